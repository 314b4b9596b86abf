package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportTargets(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "format>output ..." ("-" for standard output), or the error's text
		err  bool
	}{
		{nil, "text>-", false},
		{[]string{"--output", "r.txt"}, "text>r.txt", false},
		{[]string{"--format", "json"}, "json>-", false},
		{[]string{"--format", "json", "--output", "r.json"}, "json>r.json", false},
		{[]string{"--output", "r.json", "--format", "json"}, "json>r.json", false},
		{[]string{"--format", "text", "--format", "sarif", "--output", "p.sarif"}, "text>- sarif>p.sarif", false},
		{[]string{"--format", "sarif", "--output", "p.sarif", "--format", "text"}, "sarif>p.sarif text>-", false},
		{[]string{"--format", "github", "--format", "sarif", "--output", "p.sarif", "--format", "junit", "--output", "j.xml"}, "github>- sarif>p.sarif junit>j.xml", false},
		{[]string{"--format", "json", "--output", "-", "--format", "sarif", "--output", "p.sarif"}, "json>- sarif>p.sarif", false},
		{[]string{"--format", "text", "--output", "a.txt", "--format", "text", "--output", "b.txt"}, "text>a.txt text>b.txt", false},
		{[]string{"--format", "text", "--format", "json"}, "more than one report on standard output", true},
		{[]string{"--format", "json", "--output", "-", "--format", "text"}, "more than one report on standard output", true},
		{[]string{"--format", "json", "--output", "a", "--output", "b"}, "two --output files", true},
		{[]string{"--output", "a", "--output", "b"}, "more than one --output", true},
		{[]string{"--output", "a", "--format", "json", "--output", "b"}, "more than one --output", true},
		{[]string{"--output", "a", "--format", "json", "--format", "sarif"}, "comes before any --format", true},
		{[]string{"--format", "json", "--output", "same", "--format", "sarif", "--output", "./same"}, "both write to", true},
		{[]string{"--format", "yaml"}, "unknown format", true},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var rf reportFlags
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			rf.register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			targets, err := rf.targets()
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want one containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tg := range targets {
				out := tg.output
				if out == "" {
					out = "-"
				}
				got = append(got, tg.format+">"+out)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("targets %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

const badPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  name: web2
spec:
  containers:
  - name: app
    image: nginx
`

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }}
	code = Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestSeveralReports(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("pods", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("pods", "bad.yaml"), []byte(badPod), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "pods", "bad.yaml")

	code, stdout, stderr := runCLI(t, "--format", "text", "--format", "sarif", "--output", "out/podlint.sarif",
		abs, "--format", "junit", "--output", "junit.xml")
	if code == ExitError {
		// The report folder does not exist: writing fails and says so.
		if !strings.Contains(stderr, "podlint.sarif") {
			t.Fatalf("exit 2 without naming the report: %s", stderr)
		}
	} else {
		t.Fatalf("exit %d writing into a missing folder", code)
	}
	if err := os.Mkdir("out", 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "--format", "text", "--format", "sarif", "--output", "out/podlint.sarif",
		abs, "--format", "junit", "--output", "junit.xml")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitFindings, stderr)
	}
	if !strings.Contains(stdout, "duplicate key") || strings.Contains(stdout, "$schema") {
		t.Errorf("standard output is not just the text report:\n%s", stdout)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	data, err := os.ReadFile(filepath.Join("out", "podlint.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if uri := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "pods/bad.yaml" {
		t.Errorf("SARIF uri %q, want the path relative to the working directory", uri)
	}
	junit, err := os.ReadFile("junit.xml")
	if err != nil || !strings.Contains(string(junit), `<failure message="duplicate key &#34;name&#34; (first at line 4): only this last value counts" type="error">`) {
		t.Errorf("junit.xml: %v\n%s", err, junit)
	}
	entries, _ := os.ReadDir("out")
	if len(entries) != 1 {
		t.Errorf("the report folder holds %d files, want only the report (no temporary files)", len(entries))
	}
}

func TestReportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("bad.yaml", []byte(badPod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("report.json", []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "text", "--format", "json", "."}, "more than one report on standard output"},
		{[]string{"--format", "json", "--output", "bad.yaml", "bad.yaml"}, "is one of the files being linted"},
		{[]string{"--format", "json", "--output", "report.json", "."}, "is one of the files being linted"},
		{[]string{"--output", "a", "--format", "json", "--format", "sarif", "."}, "comes before any --format"},
		{[]string{"--format", "sarif", "--output", "x", "--output", "y", "."}, "two --output files"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != ExitError || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("a usage error printed a report: %s", stdout)
			}
		})
	}
	if data, _ := os.ReadFile("bad.yaml"); string(data) != badPod {
		t.Error("an input file was overwritten")
	}
	// Outside the linted paths the same file name is fine, and is replaced.
	code, _, stderr := runCLI(t, "--format", "json", "--output", "report.json", "bad.yaml")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile("report.json"); !strings.Contains(string(data), `"duplicate-key"`) {
		t.Errorf("report.json not replaced: %s", data)
	}
}

func TestVersionCommand(t *testing.T) {
	old := Version
	Version = "9.8.7"
	defer func() { Version = old }()
	code, stdout, _ := runCLI(t, "version")
	if code != ExitOK || stdout != "podlint 9.8.7\n" {
		t.Errorf("exit %d, %q", code, stdout)
	}
}
