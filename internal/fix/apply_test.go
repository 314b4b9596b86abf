package fix

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/podlint/podlint/internal/lint"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	if err := os.WriteFile(real, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := Write(link, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(real); string(got) != "new\n" {
		t.Errorf("target holds %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left behind: %v", entries)
	}
	if err := Write(filepath.Join(dir, "missing.yaml"), []byte("x")); err == nil {
		t.Error("wrote a file that did not exist")
	}
}

func TestPlan(t *testing.T) {
	files := map[string]string{
		"ok.yaml":     "apiVersion: v1\nkind: Pod\nspec: {restartPolicy: always}\n",
		"broken.yaml": "apiVersion: v1\nkind: Pod\nspec: {restartPolicy: always}\n---\na: [\n",
	}
	read := func(name string) ([]byte, error) { return []byte(files[name]), nil }
	fix := func(file string, text string, col int) lint.Finding {
		return lint.Finding{File: file, Fixes: []lint.Fix{{Edits: []lint.Edit{{Line: 3, Column: col, EndLine: 3, EndColumn: col + 6, Text: text}}}}}
	}
	changes := Plan([]lint.Finding{
		fix("ok.yaml", "Always", 23),
		fix("ok.yaml", "Always", 23), // the same edit again (a template rendered twice)
		fix("ok.yaml", "Never", 24),  // overlaps: waits for the next round
		fix("broken.yaml", "Always", 23),
		fix("-", "Always", 23),
	}, read)
	if len(changes) != 1 || changes[0].File != "ok.yaml" || string(changes[0].After) != "apiVersion: v1\nkind: Pod\nspec: {restartPolicy: Always}\n" || changes[0].Fixed != 2 {
		t.Fatalf("changes: %+v", changes)
	}
}
