package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// checkGolden compares output with a golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", path, got)
	}
}

// runIn executes podlint in-process in dir and returns exit code, stdout and stderr.
func runIn(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// repo makes a temporary repository with the given files.
func repo(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const dupPod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n  labels: {app: web}\n"

func TestConfigAndFlags(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		out   string
		err   string
	}{
		{"no config", map[string]string{"p.yaml": dupPod}, []string{"p.yaml"}, 1, "error: duplicate key", ""},
		{"rule turned off in config", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "rules:\n  duplicate-key: off\n"},
			[]string{"p.yaml"}, 0, "0 errors, 0 warnings", ""},
		{"severity lowered in config", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "rules:\n  duplicate-key: {severity: warning}\n"},
			[]string{"p.yaml"}, 0, "warning: duplicate key", ""},
		{"failLevel from config", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "failLevel: warning\nrules:\n  duplicate-key: warning\n"},
			[]string{"p.yaml"}, 1, "warning: duplicate key", ""},
		{"flag overrides failLevel", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "failLevel: warning\nrules:\n  duplicate-key: warning\n"},
			[]string{"--fail-level", "error", "p.yaml"}, 0, "warning: duplicate key", ""},
		{"--enable overrides off", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "rules:\n  duplicate-key: off\n"},
			[]string{"--enable", "duplicate-key", "p.yaml"}, 1, "error: duplicate key", ""},
		{"--disable", map[string]string{"p.yaml": dupPod}, []string{"--disable", "duplicate-key,parse-error", "p.yaml"}, 0, "0 errors", ""},
		{"--disable unknown rule", map[string]string{"p.yaml": dupPod}, []string{"--disable", "dup", "p.yaml"}, 2, "", `--disable: unknown rule "dup"`},
		{"exclude in config", map[string]string{"charts/p.yaml": dupPod, "ok/p.yaml": "apiVersion: v1\nkind: Pod\n", ".podlint.yaml": "exclude: [\"charts/**\"]\n"},
			[]string{"."}, 0, "in 1 file", ""},
		{"--exclude a named file", map[string]string{"p.yaml": dupPod}, []string{"--exclude", "p.yaml", "p.yaml"}, 0, "in 0 files", ""},
		{"--exclude not a glob", map[string]string{"p.yaml": dupPod}, []string{"--exclude", "[", "p.yaml"}, 2, "", `--exclude: "[" is not a valid glob pattern`},
		{"bad config key", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "rules: {}\nfailevel: info\n"},
			[]string{"p.yaml"}, 2, "", ".podlint.yaml:2:1: unknown key \"failevel\""},
		{"unknown rule in config", map[string]string{"p.yaml": dupPod, ".podlint.yaml": "rules:\n  dup-key: off\n"},
			[]string{"p.yaml"}, 2, "", ".podlint.yaml:2:3: unknown rule \"dup-key\""},
		{"--config names a file", map[string]string{"p.yaml": dupPod, "ci.yaml": "rules:\n  duplicate-key: off\n"},
			[]string{"--config", "ci.yaml", "p.yaml"}, 0, "0 errors", ""},
		{"--config missing", map[string]string{"p.yaml": dupPod}, []string{"--config", "nope.yaml", "p.yaml"}, 2, "", "nope.yaml"},
		{"selector matches", map[string]string{"p.yaml": dupPod}, []string{"-l", "app=web", "p.yaml"}, 1, "(1 object)", ""},
		{"selector excludes", map[string]string{"p.yaml": dupPod}, []string{"-l", "app in (db, cache)", "p.yaml"}, 0, "(0 objects)", ""},
		{"selector not-exists", map[string]string{"p.yaml": dupPod}, []string{"--selector", "!app", "p.yaml"}, 0, "(0 objects)", ""},
		{"bad selector", map[string]string{"p.yaml": dupPod}, []string{"-l", "app in (", "p.yaml"}, 2, "", "--selector"},
		{"config subcommand", map[string]string{".podlint.yaml": "rules:\n  duplicate-key: off\n"}, []string{"config", "--disable", "parse-error"}, 0,
			"rules:\n    duplicate-key:\n        severity: \"off\"\n    parse-error:\n        severity: \"off\"\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := repo(t, tt.files)
			code, out, errs := runIn(t, dir, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("podlint %v: exit %d\nstdout: %s\nstderr: %s", tt.args, code, out, errs)
			}
		})
	}
}

func TestInit(t *testing.T) {
	dir := repo(t, nil)
	if code, out, errs := runIn(t, dir, "", "init"); code != 0 || !strings.Contains(out, "wrote .podlint.yaml") {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	if code, _, errs := runIn(t, dir, "", "init"); code != 2 || !strings.Contains(errs, "already exists") {
		t.Fatalf("second init must refuse: %d %s", code, errs)
	}
}

func TestDoubleDashEndsFlags(t *testing.T) {
	dir := repo(t, map[string]string{"-odd.yaml": dupPod, "p.yaml": dupPod})
	code, out, errs := runIn(t, dir, "", "--format", "json", "--", "p.yaml", "-odd.yaml")
	if code != 1 || !strings.Contains(out, `"file": "-odd.yaml"`) || !strings.Contains(out, `"file": "p.yaml"`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}
