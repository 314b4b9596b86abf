package lint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// TestSkipped checks that an object a checker returns ErrSkipped for is counted, once, and that the
// run and the other checkers go on.
func TestSkipped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "objects.yaml")
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n" +
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	skipNonPods := CheckerFunc(func(_ context.Context, doc *manifest.Document) ([]Issue, error) {
		switch doc.Object.Kind {
		case "Pod":
			return nil, nil
		case "Service":
			return nil, ErrSkipped
		}
		return nil, fmt.Errorf("no idea about %s: %w", doc.Object.Kind, ErrSkipped)
	})
	var seen int
	other := CheckerFunc(func(_ context.Context, doc *manifest.Document) ([]Issue, error) {
		seen++
		return []Issue{{Rule: "r", Severity: Warning, Message: "m", Path: manifest.Path{"metadata", "name"}}}, nil
	})
	res, err := Run(context.Background(), []string{path}, Options{Workers: 1, Checkers: []Checker{skipNonPods, skipNonPods, other}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Objects != 3 || res.Summary.Skipped != 2 {
		t.Errorf("objects %d, skipped %d; want 3 and 2", res.Summary.Objects, res.Summary.Skipped)
	}
	if seen != 3 || res.Summary.Warnings != 3 {
		t.Errorf("the other checker ran %d times and gave %d warnings, want 3 and 3", seen, res.Summary.Warnings)
	}

	failing := CheckerFunc(func(context.Context, *manifest.Document) ([]Issue, error) {
		return nil, errors.New("broken")
	})
	if _, err := Run(context.Background(), []string{path}, Options{Workers: 1, Checkers: []Checker{failing}}); err == nil {
		t.Error("a failing checker did not fail the run")
	}
}
