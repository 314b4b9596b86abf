package policy_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/policy"
	"github.com/podlint/podlint/rules"
)

// TestCatalog checks that every built-in rule is complete: a folder named by its id holding the
// rule and its Rego test, METADATA with everything the catalog and the generated docs need, and
// both kinds of fixture.
func TestCatalog(t *testing.T) {
	cat, err := policy.Catalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]policy.Rule{}
	for _, r := range cat {
		if !r.Builtin {
			t.Errorf("%s: catalog without --policy lists a rule that is not built in", r.ID)
		}
		byID[r.ID] = r
	}
	entries, err := fs.ReadDir(rules.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	folders := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "lib" {
			continue
		}
		folders++
		id := e.Name()
		t.Run(id, func(t *testing.T) {
			snake := strings.ReplaceAll(id, "-", "_")
			for _, f := range []string{snake + ".rego", snake + "_test.rego"} {
				if _, err := fs.Stat(rules.FS, id+"/"+f); err != nil {
					t.Errorf("rules/%s/%s is missing", id, f)
				}
			}
			r, ok := byID[id]
			if !ok {
				t.Fatalf("no rule in the catalog has the id %q (METADATA custom.id must equal the folder name)", id)
			}
			if r.File != "rules/"+id+"/"+snake+".rego" {
				t.Errorf("METADATA comes from %s, want rules/%s/%s.rego", r.File, id, snake)
			}
			if r.Severity < lint.Info || r.Severity > lint.Error {
				t.Errorf("severity %v: METADATA custom.severity must be error, warning or info", r.Severity)
			}
			if r.Title == "" || r.Description == "" || r.Remediation == "" {
				t.Errorf("METADATA needs title, description and custom.remediation")
			}
			if len(r.RelatedResources) == 0 {
				t.Errorf("METADATA needs related_resources")
			}
			for _, kind := range []string{"pass-", "fail-"} {
				matches, _ := filepath.Glob(filepath.Join("../../fixtures", id, kind+"*"))
				if len(matches) == 0 {
					t.Errorf("fixtures/%s has no %s* fixture", id, kind)
				}
			}
		})
	}
	if folders != len(cat) {
		t.Errorf("%d rule folders but %d rules in the catalog", folders, len(cat))
	}
}
