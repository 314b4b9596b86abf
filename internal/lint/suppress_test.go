package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// imageChecker reports every container image with rule "image" and every pod's command with rule
// "cmd", so that suppression tests have findings at known lines.
var imageChecker = CheckerFunc(func(_ context.Context, doc *manifest.Document) ([]Issue, error) {
	var out []Issue
	for _, p := range doc.Pods {
		cs, _ := manifest.Get(doc.Value, p.Spec.Append("containers"))
		list, _ := cs.([]any)
		for i, c := range list {
			m, _ := c.(map[string]any)
			if _, ok := m["image"]; ok {
				out = append(out, Issue{Rule: "image", Severity: Warning, Message: "image", Path: p.Spec.Append("containers", fmt.Sprint(i), "image")})
			}
			if _, ok := m["command"]; ok {
				out = append(out, Issue{Rule: "cmd", Severity: Error, Message: "cmd", Path: p.Spec.Append("containers", fmt.Sprint(i), "command", "2")})
			}
		}
	}
	return out, nil
})

func known(id string) bool { return id == "image" || id == "cmd" || id == RuleInvalidSuppression }

func runOn(t *testing.T, src string, opts Options) *Result {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "pod.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	opts.Checkers = []Checker{imageChecker}
	if opts.KnownRule == nil {
		opts.KnownRule = known
	}
	res, err := Run(context.Background(), []string{path}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func lines(res *Result) string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%d %s", f.Line, f.Rule))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func TestSuppressions(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		want       string
		comment    int
		annotation int
	}{
		{"no directive", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n", "6 image", 0, 0},
		{"trailing comment", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x  # podlint:ignore image -- vendored\n", "", 1, 0},
		{"line above", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    # podlint:ignore image -- vendored\n    image: x\n", "", 1, 0},
		{"two ids, one used", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    # podlint:ignore image,cmd -- vendored\n    image: x\n",
			"6 invalid-suppression", 1, 0},
		{"line above a multi-line value",
			"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    # podlint:ignore cmd -- legacy entrypoint\n    command:\n    - sh\n    - -c\n    - |\n      a &\n      b\n    image: x\n",
			"13 image", 1, 0},
		{"above a compact list covers its items",
			"apiVersion: v1\nkind: Pod\nspec:\n  # podlint:ignore image -- all vendored\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: y\n",
			"", 2, 0},
		{"covers only the next entry",
			"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  # podlint:ignore image -- vendored\n  - name: a\n    image: x\n  - name: b\n    image: y\n",
			"9 image", 1, 0},
		{"no reason", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x  # podlint:ignore image\n",
			"6 image, 6 invalid-suppression", 0, 0},
		{"empty reason", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x  # podlint:ignore image --  \n",
			"6 image, 6 invalid-suppression", 0, 0},
		{"unknown rule", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x  # podlint:ignore imgae -- typo\n",
			"6 image, 6 invalid-suppression", 0, 0},
		{"suppresses nothing", "apiVersion: v1\nkind: Pod\n# podlint:ignore image -- stale\nspec:\n  containers: []\n",
			"3 invalid-suppression", 0, 0},
		{"quoted hash is not a comment", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: 'x # podlint:ignore image -- no'\n",
			"6 image", 0, 0},
		{"ignore-file covers its document only",
			"apiVersion: v1\nkind: Pod\n# podlint:ignore-file image -- generated\nspec:\n  containers:\n  - {name: a, image: x}\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: a, image: x}\n",
			"12 image", 1, 0},
		{"directive inside a List item",
			"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - name: a\n      # podlint:ignore image -- vendored\n      image: x\n    - name: b\n      image: y\n",
			"12 image", 1, 0},
		{"annotation on the object",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    podlint.io/ignore: \"cmd, image\"\nspec:\n  containers:\n  - {name: a, image: x}\n",
			"", 0, 1},
		{"annotation on a Deployment's template",
			"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n      annotations: {podlint.io/ignore: image}\n    spec:\n      containers:\n      - {name: a, image: x}\n",
			"", 0, 1},
		{"annotation of another rule",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {podlint.io/ignore: cmd}\nspec:\n  containers:\n  - {name: a, image: x}\n",
			"7 image", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runOn(t, tt.src, Options{})
			if got := lines(res); got != tt.want {
				t.Errorf("findings %q, want %q", got, tt.want)
			}
			if s := res.Summary.Suppressed; s.Comment != tt.comment || s.Annotation != tt.annotation {
				t.Errorf("suppressed %+v, want comment %d annotation %d", s, tt.comment, tt.annotation)
			}
		})
	}
}

func TestNoSuppressReportsEverything(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {podlint.io/ignore: cmd}\nspec:\n  containers:\n  - name: a\n    command: [sh, -c, x]\n    image: x  # podlint:ignore image -- vendored\n"
	res := runOn(t, src, Options{NoSuppress: true})
	if got := lines(res); got != "8 cmd, 9 image" {
		t.Errorf("findings %q", got)
	}
	if s := res.Summary.Suppressed; s.Comment != 0 || s.Annotation != 0 {
		t.Errorf("suppressed %+v, want none", s)
	}
}

func TestRuleConfiguration(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    command: [sh, -c, x]\n    image: x  # podlint:ignore image -- off anyway\n"
	res := runOn(t, src, Options{Rule: func(id string, sev Severity) (Severity, bool) {
		switch id {
		case "image":
			return sev, false
		case "cmd":
			return Info, true
		}
		return sev, true
	}})
	// image is off: no finding, and the directive naming it is not reported as unused
	if got := lines(res); got != "6 cmd" {
		t.Fatalf("findings %q", got)
	}
	if res.Findings[0].Severity != Info {
		t.Errorf("cmd severity %v, want info", res.Findings[0].Severity)
	}
}

func TestSelect(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata: {labels: {app: a}}\nspec:\n  containers: [{name: a, image: x}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {labels: {app: b}}\nspec:\n  containers: [{name: a, image: x}]\n"
	res := runOn(t, src, Options{Select: func(d *manifest.Document) bool {
		v, _ := manifest.Get(d.Value, manifest.Path{"metadata", "labels", "app"})
		return v == "b"
	}})
	if got := lines(res); got != "11 image" || res.Summary.Objects != 1 {
		t.Errorf("findings %q, objects %d", got, res.Summary.Objects)
	}
}

func TestInvalidSuppressionIsConfigurable(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x  # podlint:ignore image\n"
	res := runOn(t, src, Options{Rule: func(id string, sev Severity) (Severity, bool) {
		if id == RuleInvalidSuppression {
			return sev, false
		}
		return Error, true
	}})
	// the reasonless directive is not reported, and it suppresses nothing
	if got := lines(res); got != "6 image" || res.Findings[0].Severity != Error {
		t.Errorf("findings %q (%v)", got, res.Findings)
	}
}

func TestSelectDropsDirectivesOfObjectsLeftOut(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata: {labels: {env: dev}}\nspec:\n  containers:\n  - name: a\n    image: ok  # podlint:ignore cmd -- no command here\n  - name: b\n    image: ok  # podlint:ignore cmd\n---\napiVersion: v1\nkind: Pod\nmetadata: {labels: {env: prod}}\nspec:\n  containers:\n  - name: a\n    image: ok  # podlint:ignore cmd -- stale\n"
	prod := func(d *manifest.Document) bool {
		v, _ := manifest.Get(d.Value, manifest.Path{"metadata", "labels", "env"})
		return v == "prod"
	}
	res := runOn(t, src, Options{Select: prod})
	// the unused and the reasonless directive of the dev pod go with it; the prod pod's stays
	if got := lines(res); got != "17 image, 17 invalid-suppression" {
		t.Errorf("with the selector: findings %q", got)
	}
	res = runOn(t, src, Options{})
	if got := lines(res); got != "17 image, 17 invalid-suppression, 7 image, 7 invalid-suppression, 9 image, 9 invalid-suppression" {
		t.Errorf("without: findings %q", got)
	}
}
