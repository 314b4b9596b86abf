package lint

import (
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

func TestFingerprint(t *testing.T) {
	base := Finding{Rule: "duplicate-key", Message: `duplicate key "name" (first at line 4): only this last value counts`,
		File: "deploy/web.yaml", Line: 5, Column: 3, EndLine: 5, EndColumn: 7,
		Object: manifest.Object{APIVersion: "v1", Kind: "Pod", Namespace: "prod", Name: "web"}, Path: "/metadata/name"}
	fp := Fingerprint(base, "/repo")
	if len(fp) != 32 {
		t.Fatalf("fingerprint %q is not 32 hex digits", fp)
	}
	same := map[string]func(*Finding){
		"lines moved": func(f *Finding) {
			f.Line, f.EndLine, f.Message = 9, 9, `duplicate key "name" (first at line 8): only this last value counts`
		},
		"columns moved":       func(f *Finding) { f.Column, f.EndColumn = 5, 9 },
		"absolute path":       func(f *Finding) { f.File = "/repo/deploy/web.yaml" },
		"apiVersion upgraded": func(f *Finding) { f.Object.APIVersion = "v2" },
		"severity configured": func(f *Finding) { f.Severity = Info },
		"related place moved": func(f *Finding) { f.Related = []Location{{File: f.File, Line: 2}} },
	}
	for name, change := range same {
		f := base
		change(&f)
		if got := Fingerprint(f, "/repo"); got != fp {
			t.Errorf("%s: fingerprint changed", name)
		}
	}
	different := map[string]func(*Finding){
		"rule":      func(f *Finding) { f.Rule = "schema" },
		"file":      func(f *Finding) { f.File = "deploy/api.yaml" },
		"namespace": func(f *Finding) { f.Object.Namespace = "dev" },
		"name":      func(f *Finding) { f.Object.Name = "web2" },
		"kind":      func(f *Finding) { f.Object.Kind = "Deployment" },
		"path":      func(f *Finding) { f.Path = "/metadata/labels" },
		"message":   func(f *Finding) { f.Message = `duplicate key "app" (first at line 4): only this last value counts` },
		// the fields are length-prefixed, so moving text from one to the next is a change
		"boundary": func(f *Finding) { f.Object.Namespace, f.Object.Name = "prodw", "eb" },
	}
	for name, change := range different {
		f := base
		change(&f)
		if got := Fingerprint(f, "/repo"); got == fp {
			t.Errorf("%s changed, the fingerprint did not", name)
		}
	}
	if a, b := Fingerprint(Finding{Message: "at line 3:7"}, ""), Fingerprint(Finding{Message: "at line 12:1"}, ""); a != b {
		t.Error("a line:column quoted in a message changes the fingerprint")
	}
	fps := Fingerprints([]Finding{base, base, {Rule: "x"}}, "/repo")
	if fps[0] != fp+":1" || fps[1] != fp+":2" || fps[2][len(fps[2])-2:] != ":1" {
		t.Errorf("Fingerprints %q", fps)
	}
}
