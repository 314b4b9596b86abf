package lint

import (
	"context"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// TestPlaceFixes checks that a fix of rendered text reaches the template only where its span is
// literal text there, and that the finding says so otherwise.
func TestPlaceFixes(t *testing.T) {
	rendered := "apiVersion: v1\nkind: Pod\nspec:\n  a: tcp\n  b: tcp\n  c: tcp\n"
	template := []string{"apiVersion: v1", "kind: Pod", "spec:", "  a: tcp", "  b: {{ .Values.b }}", "    c: tcp"}
	fixOn := func(line int) Fix {
		return Fix{Description: "write TCP", Edits: []Edit{{Line: line, Column: 6, EndLine: line, EndColumn: 9, Text: "TCP"}}}
	}
	checker := CheckerFunc(func(_ context.Context, doc *manifest.Document) ([]Issue, error) {
		var out []Issue
		for i, k := range []string{"a", "b", "c"} {
			out = append(out, Issue{Rule: "r", Severity: Error, Message: "lower case " + k, Path: manifest.Path{"spec", k}, Fixes: []Fix{fixOn(4 + i)}})
		}
		return out, nil
	})
	// the template: line 4 is literal, line 5 an action, line 6 literal but indented differently
	place := func(_ *manifest.Document, f *Finding) {
		f.File = "tpl.yaml"
		src := template[f.Line-1]
		switch f.Line {
		case 5:
			f.Column, f.EndLine, f.EndColumn = 6, 0, 0
		case 6:
			f.Column += 2
			f.EndColumn += 2
		}
		f.Source = src
	}
	opts := &Options{Checkers: []Checker{checker}}
	r := checkUnit(context.Background(), &Unit{Name: "rendered.yaml", Text: []byte(rendered), Place: place}, opts)
	if len(r.placed) != 3 {
		t.Fatalf("%d findings", len(r.placed))
	}
	got := map[string]Finding{}
	for _, f := range r.placed {
		got[strings.Fields(f.Message)[2]] = f
	}
	if a := got["a"]; len(a.Fixes) != 1 || a.Fixes[0].Edits[0] != (Edit{Line: 4, Column: 6, EndLine: 4, EndColumn: 9, Text: "TCP"}) || strings.Contains(a.Message, "no automatic fix") {
		t.Errorf("literal line: %+v", a)
	}
	if b := got["b"]; len(b.Fixes) != 0 || !strings.HasSuffix(b.Message, NoFixHere) {
		t.Errorf("action: %+v", b)
	}
	if c := got["c"]; len(c.Fixes) != 1 || c.Fixes[0].Edits[0] != (Edit{Line: 6, Column: 8, EndLine: 6, EndColumn: 11, Text: "TCP"}) {
		t.Errorf("literal text at another column: %+v", c)
	}
}
