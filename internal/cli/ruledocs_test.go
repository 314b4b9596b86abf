package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/ruledoc"
)

// podlintOut runs podlint in-process and returns its exit code and standard output.
func podlintOut(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }}
	code := Run(context.Background(), env, args)
	return code, stdout.String() + stderr.String()
}

// TestRulesCommandLinksPage checks that `podlint rules ID` points at the rule's page, and that the
// page it names is committed, so the link a user follows exists.
func TestRulesCommandLinksPage(t *testing.T) {
	rules, err := DocRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.Origin != ruledoc.Rego {
			continue
		}
		code, out := podlintOut(t, "rules", r.ID)
		want := "Documentation: " + ruledoc.URL(r.ID, ruledoc.Rego) + "\n"
		if code != ExitOK || !strings.HasSuffix(out, want) {
			t.Errorf("podlint rules %s: exit %d, output does not end with %q:\n%s", r.ID, code, want, out)
		}
		if _, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(r.Page()))); err != nil {
			t.Errorf("the page of %s is not committed: %v", r.ID, err)
		}
		if _, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(r.Source))); err != nil {
			t.Errorf("the source of %s, linked from its page, does not exist: %v", r.ID, err)
		}
	}

	// a user's rule has no page in this repository, so no link
	dir := t.TempDir()
	policy := "package acme\n\n# METADATA\n# custom:\n#   id: acme-rule\ndeny contains \"x\" if false\n"
	if err := os.WriteFile(filepath.Join(dir, "acme.rego"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := podlintOut(t, "rules", "--policy", dir, "acme-rule"); code != ExitOK || strings.Contains(out, "Documentation:") {
		t.Errorf("user rule: exit %d:\n%s", code, out)
	}
}

func TestDocLint(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pod.yaml")
	pod := `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, rel: stable}
spec:
  containers:
  - name: a
    image: nginx:1.27
    ports:
    - {name: http, containerPort: 80}
  - name: b
    image: nginx:1.27
    ports:
    - {name: web, containerPort: 80}
`
	if err := os.WriteFile(file, []byte(pod), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := DocLint(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	want := []ruledoc.Hit{{Rule: "bare-pod", Severity: lint.Info, Line: 2}, {Rule: "port-conflict", Severity: lint.Error, Line: 15}}
	if !slices.Equal(rep.Findings, want) {
		t.Errorf("findings: %+v", rep.Findings)
	}
	if !strings.HasPrefix(rep.Output, file+":2:") || !strings.Contains(rep.Output, file+":15:") || strings.Contains(rep.Output, "\x1b[") {
		t.Errorf("output is not podlint's plain text report:\n%s", rep.Output)
	}

	if _, err := DocLint(context.Background(), filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("a file podlint cannot lint is not an error")
	}
}
