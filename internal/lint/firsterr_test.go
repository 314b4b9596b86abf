package lint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// When a check fails, the run stops the other workers; their "context canceled" must not hide the
// error that caused it, even when they come first in file order.
func TestFirstRealErrorWins(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.yaml", "b.yaml"} {
		src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + strings.TrimSuffix(n, ".yaml") + "\n"
		if err := os.WriteFile(filepath.Join(dir, n), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := CheckerFunc(func(ctx context.Context, doc *manifest.Document) ([]Issue, error) {
		if doc.Object.Name == "a" {
			<-ctx.Done() // a slow check, stopped by the other's failure
			return nil, ctx.Err()
		}
		return nil, errors.New("division by zero")
	})
	_, err := Run(context.Background(), []string{dir}, Options{Workers: 2, Checkers: []Checker{c}})
	if err == nil || !strings.Contains(err.Error(), "division by zero") || !strings.Contains(err.Error(), "b.yaml") {
		t.Fatalf("%v", err)
	}
}
