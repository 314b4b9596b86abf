package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// binary is the podlint built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "podlint-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "podlint")
	// the repository index cache of the runs goes with the binaries, never to the user's cache
	os.Setenv("PODLINT_CACHE_DIR", filepath.Join(dir, "cache"))
	// Without a symbol table and DWARF, as releases are built (.goreleaser.yaml): linking is the
	// slowest part of this package's tests, and debug information makes it slower still.
	if out, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build podlint: %v\n%s", err, out)
		os.Exit(2)
	}
	// podlint runs the renderer of charts and kustomizations from its own folder, as releases ship it
	if out, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "podlint-render"), "../podlint-render").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build podlint-render: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type run struct {
	stdout, stderr string
	code           int
}

func podlint(t *testing.T, stdin string, args ...string) run {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return run{out.String(), errb.String(), code}
}

type jsonReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		File     string `json:"file"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Message  string `json:"message"`
		Related  []struct {
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"related"`
	} `json:"findings"`
	Summary struct {
		Files, Objects, Errors, Warnings, Infos, Skipped int
		NotManifests, Charts, Kustomizations             int
	} `json:"summary"`
}

func decode(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return r
}

var wantMarker = regexp.MustCompile(`#\s*want:\s*([a-z0-9/-]+(?:\s*,\s*[a-z0-9/-]+)*)`)

// wants reads the `# want: rule` markers of a fixture: "file:line rule" for each.
func wants(t *testing.T, path string) []string {
	f, err := os.Open(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := wantMarker.FindStringSubmatch(sc.Text()); m != nil {
			for _, id := range strings.Split(m[1], ",") {
				out = append(out, fmt.Sprintf("%s:%d %s", filepath.ToSlash(path), n, strings.TrimSpace(id)))
			}
		}
	}
	return out
}

// TestInputFixtures runs the binary over fixtures/input and checks that every bad-input finding lands
// on the line its fixture marks, and nowhere else.
func TestInputFixtures(t *testing.T) {
	r := podlint(t, "", "--format", "json", "fixtures/input")
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1; stderr: %s", r.code, r.stderr)
	}
	var got, want []string
	for _, f := range decode(t, r.stdout).Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "input", "*"))
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join("..", ".."), f)
		want = append(want, wants(t, rel)...)
	}
	// fail-latin1.yaml cannot carry a marker in a file that is not text; its line is fixed here.
	want = append(want, "fixtures/input/fail-latin1.yaml:4 unreadable-file")
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCRDFixtures runs the binary over fixtures/crds, custom resources that carry pods, with the
// configuration beside them (which adds a kind of its own): every finding must land on the line its
// fixture marks, pass-* files must give none, and no object is validated against Kubernetes'
// schema. Without the configuration, the kind it adds is not linted.
func TestCRDFixtures(t *testing.T) {
	const dir = "fixtures/crds"
	files, _ := filepath.Glob(filepath.Join("..", "..", dir, "[pf]*.yaml")) // pass-*, fail-*; not .podlint.yaml
	if len(files) < 10 {
		t.Fatalf("%d fixtures in %s", len(files), dir)
	}
	var want, wantUnconfigured []string
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join("..", ".."), f)
		w := wants(t, rel)
		if strings.HasPrefix(filepath.Base(f), "pass-") && len(w) > 0 {
			t.Errorf("%s: a pass fixture expects no findings", rel)
		}
		want = append(want, w...)
		if !strings.Contains(filepath.Base(f), "configured-kind") {
			wantUnconfigured = append(wantUnconfigured, w...)
		}
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--config", dir + "/.podlint.yaml"}, want},
		{nil, wantUnconfigured},
	} {
		r := podlint(t, "", append(append([]string{"--format", "json"}, tt.args...), dir)...)
		if r.code != 1 {
			t.Fatalf("%v: exit code %d, want 1; stderr: %s", tt.args, r.code, r.stderr)
		}
		rep := decode(t, r.stdout)
		var got []string
		for _, f := range rep.Findings {
			got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
		}
		sort.Strings(got)
		sort.Strings(tt.want)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%v: findings:\n%s\nwant:\n%s", tt.args, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		if rep.Summary.Objects != len(files) || rep.Summary.Skipped != len(files) {
			t.Errorf("%v: %d objects, %d skipped; want all %d skipped (custom resources have no schema)", tt.args,
				rep.Summary.Objects, rep.Summary.Skipped, len(files))
		}
	}
}

func TestExamplesAreClean(t *testing.T) {
	r := podlint(t, "", "fixtures/examples")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "in 2 files (2 objects)") {
		t.Errorf("summary missing: %q", r.stdout)
	}
}

func TestExitCodes(t *testing.T) {
	dup := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n"
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string // substring of stdout
		err   string // substring of stderr
	}{
		{"clean stdin", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n", []string{"-"}, 0, "0 errors", ""},
		{"error on stdin", dup, []string{"-"}, 1, "-:5:3: error: duplicate key", ""},
		{"lint subcommand", dup, []string{"lint", "-"}, 1, "[duplicate-key]", ""},
		{"flags after paths", dup, []string{"-", "--format", "json"}, 1, `"rule": "duplicate-key"`, ""},
		{"missing path", "", []string{"no/such/file.yaml"}, 2, "", "no/such/file.yaml"},
		{"no paths", "", nil, 2, "", "no paths given"},
		{"bad flag", "", []string{"--nope", "x"}, 2, "", "-nope"},
		{"bad fail level", "", []string{"--fail-level", "fatal", "-"}, 2, "", "fail-level"},
		{"bad format", "", []string{"--format", "xml", "-"}, 2, "", "unknown format"},
		{"help", "", []string{"--help"}, 0, "Usage:", ""},
		{"version", "", []string{"version"}, 0, "podlint ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := podlint(t, tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("podlint %v: exit %d\nstdout: %s\nstderr: %s", tt.args, r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestDeterministicOutput(t *testing.T) {
	first := podlint(t, "", "--format", "json", "-j", "2", "fixtures")
	for i := 0; i < 3; i++ {
		again := podlint(t, "", "--format", "json", "-j", "1", "fixtures")
		if again.stdout != first.stdout {
			t.Fatalf("run %d differs from the first", i)
		}
	}
}

func TestNeverWritesInputs(t *testing.T) {
	before := snapshot(t, filepath.Join("..", "..", "fixtures"))
	podlint(t, "", "fixtures")
	if after := snapshot(t, filepath.Join("..", "..", "fixtures")); after != before {
		t.Fatal("fixtures changed while linting")
	}
}

func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			data, _ := os.ReadFile(p)
			fmt.Fprintf(&b, "%s %v %d %x\n", p, info.ModTime(), len(data), data)
		}
		return nil
	})
	return b.String()
}
