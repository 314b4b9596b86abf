package policy

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// TestSkippedStagesChangeNothing checks that the built-in rules, compiled without the check-only
// compiler stages (as every podlint run does), find exactly what a full compile finds.
func TestSkippedStagesChangeNothing(t *testing.T) {
	ctx := context.Background()
	fast, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fullCompile = true
	full, err := New(ctx, Options{})
	fullCompile = false
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../fixtures/*/*")
	if err != nil {
		t.Fatal(err)
	}
	docs := 0
	for _, path := range files {
		if !manifest.IsManifestName(path) {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range manifest.Load(path, data).Documents {
			docs++
			a, err := fast.Check(ctx, doc)
			if err != nil {
				t.Fatal(err)
			}
			b, err := full.Check(ctx, doc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %s: fast compile found %v, full compile %v", path, doc.Object, a, b)
			}
		}
	}
	if docs == 0 {
		t.Fatal("no fixtures")
	}
}
