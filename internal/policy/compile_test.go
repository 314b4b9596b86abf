package policy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// TestCompiledUpToDate fails when rules/compiled.json was not regenerated after a rule changed (or
// OPA was upgraded): podlint would still be right, compiling the sources, but slow to start.
func TestCompiledUpToDate(t *testing.T) {
	ok, err := CompiledUpToDate()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("rules/compiled.json is out of date: run `go generate ./rules` and commit the result")
	}
	srcs, err := builtinSources(false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, used, err := loadCompiled(srcs); err != nil || !used {
		t.Fatalf("the compiled rules are not used (err %v)", err)
	}
}

// TestCompiledChangesNothing checks that the compiled rules have the sources' catalog and that,
// like the sources compiled without the check-only stages, they find exactly what a full compile
// of the sources finds, on every fixture.
func TestCompiledChangesNothing(t *testing.T) {
	ctx := context.Background()
	compiled, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	useSources = true
	fast, err := New(ctx, Options{})
	fullCompile = true
	full, err2 := New(ctx, Options{})
	useSources, fullCompile = false, false
	if err != nil || err2 != nil {
		t.Fatal(err, err2)
	}
	if !reflect.DeepEqual(compiled.Rules(), full.Rules()) {
		t.Errorf("catalogs differ:\ncompiled %+v\nsources  %+v", compiled.Rules(), full.Rules())
	}
	listed, err := Catalog(nil) // podlint rules reads the compiled catalog too
	if err != nil {
		t.Fatal(err)
	}
	useSources = true
	parsed, err := Catalog(nil)
	useSources = false
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(listed, parsed) || !reflect.DeepEqual(listed, full.Rules()) {
		t.Errorf("podlint rules lists %+v from the compiled rules, %+v from the sources", listed, parsed)
	}
	if a, b := outputsText(compiled.parts[0].outputs), outputsText(full.parts[0].outputs); a != b {
		t.Errorf("outputs differ:\ncompiled %s\nsources  %s", a, b)
	}
	docs, findings := 0, 0
	for _, doc := range fixtureDocuments(t) {
		docs++
		a := mustCheck(t, fast, doc)
		b := mustCheck(t, full, doc)
		c := mustCheck(t, compiled, doc)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s: fast compile found %v, full compile %v", doc.File, doc.Object, a, b)
		}
		if !reflect.DeepEqual(c, b) {
			t.Errorf("%s: %s: compiled rules found %v, full compile %v", doc.File, doc.Object, c, b)
		}
		findings += len(b)
	}
	if docs == 0 || findings == 0 {
		t.Fatalf("%d fixture documents, %d findings: nothing was compared", docs, findings)
	}
}

func outputsText(outs []output) string {
	var b strings.Builder
	for _, o := range outs {
		fmt.Fprintf(&b, "%s=%s %s %s %v; ", o.binding, o.ref, o.id, o.severity, o.builtin)
	}
	return b.String()
}

// TestHasPodMatchesPodsBuiltin checks that Check's test before evaluating (hasPod) agrees with
// podlint.pods, which the built-in rules start from: on every fixture and on objects whose pod
// spec is missing or not an object, of Kubernetes' kinds and of custom resources, with the
// built-in table of pod-bearing kinds and with one that a configuration extends.
func TestHasPodMatchesPodsBuiltin(t *testing.T) {
	edge := []string{
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: a}]}\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: null\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: [1]\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 1}\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {}}}\n",
		"apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {}}}\n",
		"apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {}}}\n",
		"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {jobTemplate: {spec: {template: {spec: 3}}}}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n",
		"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: a}\nspec: {template: {spec: {containers: []}}}\n",
		"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: a}\nspec: {workloadRef: {kind: Deployment, name: a}}\n",
		"apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {template: {spec: {}}}\n",
		"apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: a}\nspec: {template: {spec: {containers: []}}}\n",
		"apiVersion: serving.knative.dev/v1\nkind: Revision\nmetadata: {name: a}\nspec: {containers: []}\n",
		"apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: a}\nspec: {jobTargetRef: {template: {spec: {}}}}\n",
		"apiVersion: example.com/v1\nkind: Worker\nmetadata: {name: a}\nspec: {pod: {spec: {containers: []}}}\n",
		"apiVersion: example.com/v1\nkind: Worker\nmetadata: {name: a}\nspec: {pod: []}\n",
	}
	configured, err := manifest.NewPodKinds([]manifest.PodKind{{Group: "example.com", Kind: "Worker", Template: manifest.Path{"spec", "pod"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, kinds := range []*manifest.PodKinds{nil, configured} {
		var docs []*manifest.Document
		for i, y := range edge {
			docs = append(docs, kinds.Load(fmt.Sprintf("edge-%d.yaml", i), []byte(y)).Documents...)
		}
		docs = append(docs, fixtureDocumentsWith(t, kinds)...)
		with, without := 0, 0
		for _, doc := range docs {
			in, err := toTerm(doc.Value)
			if err != nil {
				continue
			}
			pods := podsOf(kinds, in.Value).Value.(*ast.Array).Len() > 0
			if hasPod(doc) != pods {
				t.Errorf("%s: %s: hasPod %v, podlint.pods finds a pod: %v", doc.File, doc.Object, hasPod(doc), pods)
			}
			if pods {
				with++
			} else {
				without++
			}
		}
		if with == 0 || without < 5 {
			t.Fatalf("%d documents with a pod, %d without: the comparison covered too little", with, without)
		}
	}
}

// TestBuiltinOutputsArePartialSets checks that every built-in finding rule is a partial set, which
// the query takes without a comprehension, in the compiled rules and in the compiled sources.
func TestBuiltinOutputsArePartialSets(t *testing.T) {
	srcs, err := builtinSources(false)
	if err != nil {
		t.Fatal(err)
	}
	c, outs, _, ok, err := loadCompiled(srcs)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	c2, _, err := compile(srcs)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if !partialSet(c, o.ref) || !partialSet(c2, o.ref) {
			t.Errorf("%s (%s) is not a partial set rule", o.ref, o.id)
		}
	}
	if len(outs) == 0 {
		t.Fatal("no outputs")
	}
	if partialSet(c, ast.MustParseRef("data.podlint.lib.pods")) {
		t.Error("data.podlint.lib.pods, a complete rule, taken for a partial set")
	}
}

// fixtureDocuments loads every document of every fixture manifest.
func fixtureDocuments(t *testing.T) []*manifest.Document {
	t.Helper()
	return fixtureDocumentsWith(t, nil)
}

// fixtureDocumentsWith loads every document of every fixture manifest, finding pods with kinds.
func fixtureDocumentsWith(t *testing.T, kinds *manifest.PodKinds) []*manifest.Document {
	t.Helper()
	files, err := filepath.Glob("../../fixtures/*/*")
	if err != nil {
		t.Fatal(err)
	}
	var docs []*manifest.Document
	for _, path := range files {
		if !manifest.IsManifestName(path) {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, kinds.Load(path, data).Documents...)
	}
	return docs
}

// userPolicies are policies of each kind the engine handles: conftest style, with METADATA and
// parameters, on the rule library, about objects without a pod, and Rego v0.
var userPolicies = map[string]string{
	"images.rego": `package acme.images

deny contains msg if {
	some c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("%s uses a latest tag", [c.name])
}
`,
	"team.rego": `# METADATA
# title: Objects name their team
# custom:
#   id: acme-team
#   severity: info
#   params:
#     key: team
package acme.team

import data.podlint.lib

warn contains {"msg": "no team label", "path": pod.labels_path} if {
	some pod in lib.pods
	not pod.labels[lib.params("acme-team").key]
}
`,
	"kinds.rego": `package acme.kinds

violation contains "a Service" if input.kind == "Service"
`,
	"legacy.rego": `package acme.legacy

deny[msg] {
	input.kind == "Job"
	msg := "jobs are run elsewhere"
}
`,
}

// TestUserPoliciesBesideCompiledRules checks that user policies, compiled with the rule library on
// their own beside the compiled built-in rules, find what they find when everything is compiled
// from source together, on every fixture; and that a policy reaching into the built-in rules'
// documents makes the engine compile everything together, and works.
func TestUserPoliciesBesideCompiledRules(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for name, text := range userPolicies {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	split, err := New(ctx, Options{Dirs: []string{dir}, Params: map[string]map[string]any{"acme-team": {"key": "owner"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(split.parts) != 2 {
		t.Fatalf("%d parts, want the compiled built-in rules and the user's", len(split.parts))
	}
	useSources = true
	together, err := New(ctx, Options{Dirs: []string{dir}, Params: map[string]map[string]any{"acme-team": {"key": "owner"}}})
	useSources = false
	if err != nil {
		t.Fatal(err)
	}
	if len(together.parts) != 1 {
		t.Fatalf("%d parts from source, want 1", len(together.parts))
	}
	if !reflect.DeepEqual(split.Rules(), together.Rules()) {
		t.Errorf("catalogs differ:\nsplit    %+v\ntogether %+v", split.Rules(), together.Rules())
	}
	user := map[string]int{}
	for _, doc := range fixtureDocuments(t) {
		a := mustCheck(t, split, doc)
		b := mustCheck(t, together, doc)
		sortIssues(a)
		sortIssues(b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s: split found %v, together %v", doc.File, doc.Object, a, b)
		}
		for _, is := range a {
			if strings.HasPrefix(is.Rule, "acme") {
				user[is.Rule]++
			}
		}
	}
	for _, id := range []string{"acme.images/deny", "acme-team", "acme.kinds/violation", "acme.legacy/deny"} {
		if user[id] == 0 {
			t.Errorf("no finding of %s on the fixtures: the comparison does not cover it (found %v)", id, user)
		}
	}

	// A policy that reads a built-in rule's findings needs them in its compiler.
	reach := t.TempDir()
	if err := os.WriteFile(filepath.Join(reach, "count.rego"), []byte(`package acme.count

warn contains sprintf("%d port conflicts", [count(data.podlint.rules.port_conflict.deny)]) if {
	count(data.podlint.rules.port_conflict.deny) > 0
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(ctx, Options{Dirs: []string{reach}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.parts) != 1 {
		t.Fatalf("%d parts, want everything compiled together", len(e.parts))
	}
	doc := manifest.Load("conflict.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: a, image: a, ports: [{containerPort: 80}]}\n  - {name: b, image: b, ports: [{containerPort: 80}]}\n")).Documents[0]
	issues, err := e.Check(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, is := range issues {
		found = found || (is.Rule == "acme.count/warn" && is.Message == "1 port conflicts")
	}
	if !found {
		t.Errorf("the policy on port-conflict's findings did not report: %v", issues)
	}
}

func sortIssues(issues []lint.Issue) {
	sort.Slice(issues, func(i, j int) bool {
		return fmt.Sprint(issues[i]) < fmt.Sprint(issues[j])
	})
}

// mustCheck evaluates e on doc, failing the test on an error.
func mustCheck(t *testing.T, e *Engine, doc *manifest.Document) []lint.Issue {
	t.Helper()
	issues, err := e.Check(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return issues
}

// TestRulesOffAreNotEvaluated checks that turning rules off removes exactly their findings: the
// engine leaves them out of its query, and keeps them in the catalog.
func TestRulesOffAreNotEvaluated(t *testing.T) {
	ctx := context.Background()
	all, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	off := map[string]bool{"port-conflict": true, "required-labels": true}
	some, err := New(ctx, Options{Off: func(id string) bool { return off[id] }})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all.Rules(), some.Rules()) {
		t.Error("rules that are off left the catalog")
	}
	dropped := 0
	for _, doc := range fixtureDocuments(t) {
		var want []lint.Issue
		for _, is := range mustCheck(t, all, doc) {
			if off[is.Rule] {
				dropped++
				continue
			}
			want = append(want, is)
		}
		if got := mustCheck(t, some, doc); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s: with rules off found %v, want %v", doc.File, doc.Object, got, want)
		}
	}
	if dropped == 0 {
		t.Fatal("the fixtures have no finding of the rules turned off: nothing was tested")
	}
	none, err := New(ctx, Options{Off: func(string) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	if len(none.parts) != 0 {
		t.Errorf("every rule off: %d parts to evaluate, want none", len(none.parts))
	}
}
