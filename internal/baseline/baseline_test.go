package baseline

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

func findings(dir string) []lint.Finding {
	web := manifest.Object{APIVersion: "v1", Kind: "Pod", Name: "web"}
	return []lint.Finding{
		{Rule: "duplicate-key", Severity: lint.Error, Message: `duplicate key "name" (first at line 4): only this last value counts`,
			File: filepath.Join(dir, "web.yaml"), Line: 5, Column: 3, Object: web},
		{Rule: "bare-pod", Severity: lint.Info, Message: "no controller", File: filepath.Join(dir, "web.yaml"), Line: 2, Column: 7, Object: web, Path: "/kind"},
		// the same finding twice: a baseline entry accepts one finding
		{Rule: "parse-error", Severity: lint.Error, Message: "YAML does not parse", File: filepath.Join(dir, "broken.yaml"), Line: 3, Column: 1},
		{Rule: "parse-error", Severity: lint.Error, Message: "YAML does not parse", File: filepath.Join(dir, "broken.yaml"), Line: 9, Column: 1},
	}
}

func result(fs []lint.Finding) *lint.Result {
	r := &lint.Result{Findings: fs}
	for _, f := range fs {
		r.Summary.Count(f)
	}
	return r
}

func TestRoundTripAndMatching(t *testing.T) {
	dir := t.TempDir()
	b := New(findings(dir), dir)
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), dir) || strings.Contains(string(data), `"line"`) {
		t.Errorf("the baseline names the folder or lines:\n%s", data)
	}
	b, err = Parse("b.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != 4 || b.Entries[0].File != "broken.yaml" {
		t.Fatalf("entries %+v", b.Entries)
	}

	// Later: every line moved, the first parse error is fixed, the bare-pod finding is new in
	// another object, and one finding is new.
	later := findings(dir)
	for i := range later {
		later[i].Line += 3
	}
	later[1].Object.Name = "api"
	later = append(later[:2], later[3:]...)
	later = append(later, lint.Finding{Rule: "schema", Severity: lint.Warning, Message: "new", File: filepath.Join(dir, "web.yaml"), Line: 7})
	r := result(later)
	stale := b.Apply(r, dir)

	var kept []string
	for _, f := range r.Findings {
		kept = append(kept, f.Rule+"/"+f.Object.Name)
	}
	if got := strings.Join(kept, " "); got != "bare-pod/api schema/" {
		t.Errorf("findings left %q, want the moved-object finding and the new one", got)
	}
	if r.Summary.Baselined != 2 || r.Summary.Errors != 0 || r.Summary.Warnings != 1 || r.Summary.Infos != 1 {
		t.Errorf("summary %+v", r.Summary)
	}
	var staleRules []string
	for _, e := range stale {
		staleRules = append(staleRules, e.Rule+"/"+e.Object)
	}
	if got := strings.Join(staleRules, " "); got != "parse-error/ bare-pod/Pod/web" || r.Summary.StaleBaseline != 2 {
		t.Errorf("stale %q (%d), want the second parse error and the bare-pod of web", got, r.Summary.StaleBaseline)
	}
}

// A baseline is matched against the folder it lives in, not the folder podlint runs from.
func TestRelativeToBaselineFolder(t *testing.T) {
	dir := t.TempDir()
	b := New(findings(dir), dir)
	if b.Entries[2].File != "web.yaml" {
		t.Fatalf("entry file %q, want web.yaml", b.Entries[2].File)
	}
	t.Chdir(filepath.Join(dir))
	rel := findings("")
	r := result(rel)
	if stale := b.Apply(r, dir); len(stale) != 0 || len(r.Findings) != 0 {
		t.Errorf("relative names did not match: %d left, %d stale", len(r.Findings), len(stale))
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"not JSON", "findings: []", "not a podlint baseline"},
		{"other tool", `{"tool":"x","version":1,"fingerprints":"podlint/v1","entries":[]}`, `tool is "x"`},
		{"newer", `{"tool":"podlint","version":2,"fingerprints":"podlint/v1","entries":[]}`, "version 2"},
		{"old scheme", `{"tool":"podlint","version":1,"fingerprints":"podlint/v0","entries":[]}`, "--write-baseline"},
		{"bad fingerprint", `{"tool":"podlint","version":1,"fingerprints":"podlint/v1","entries":[{"fingerprint":"xyz","rule":"r","file":"f","message":"m"}]}`, "entry 1"},
		{"unknown field", `{"tool":"podlint","version":1,"fingerprints":"podlint/v1","entries":[],"extra":1}`, "extra"},
	} {
		if _, err := Parse("b.json", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
	}
}

// Pre-commit names only the changed files: entries of other files are not stale.
func TestStaleOnlyInScope(t *testing.T) {
	dir := t.TempDir()
	b := New(findings(dir), dir)
	r := result(nil)
	r.Scope = []string{filepath.Join(dir, "broken.yaml")} // linted, and both parse errors are gone
	stale := b.Apply(r, dir)
	if len(stale) != 2 || stale[0].File != "broken.yaml" || stale[1].File != "broken.yaml" {
		t.Errorf("stale %+v, want the two entries of broken.yaml only", stale)
	}
	// web.yaml inside a rendered folder is in scope
	r = result(nil)
	r.Scope, r.ScopeDirs = []string{"elsewhere.yaml"}, []string{dir}
	if stale := b.Apply(r, dir); len(stale) != 4 {
		t.Errorf("%d stale, want all 4 entries under the folder", len(stale))
	}
}
