package refs

import (
	"context"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

func extractAll(t *testing.T, text string) []*Object {
	t.Helper()
	f := manifest.Load("x.yaml", []byte(text))
	if len(f.Problems) > 0 {
		t.Fatalf("fixture does not load: %+v", f.Problems)
	}
	var out []*Object
	for _, doc := range f.Documents {
		out = append(out, Extract(doc, "", func(p manifest.Path, atKey bool) Loc {
			pos := doc.Position(p)
			return Loc{File: "x.yaml", Line: pos.Line, Column: pos.Column, Path: p.Pointer()}
		}))
	}
	return out
}

func TestExtract(t *testing.T) {
	objs := extractAll(t, `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {port: 53, protocol: UDP}
  - {port: 8080, targetPort: "9090"}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old}
spec:
  backend: {serviceName: web, servicePort: http}
  rules:
  - http:
      paths:
      - backend: {serviceName: api, servicePort: 8080}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - {name: sidecar, image: x, restartPolicy: Always, ports: [{name: admin, containerPort: 9901}]}
      - {name: migrate, image: x, ports: [{name: ignored, containerPort: 1}]}
      containers:
      - {name: web, image: x, ports: [{name: http, containerPort: "${PORT}"}]}
`)
	svc := objs[0]
	if svc.Namespace != "shop" || !svc.NamespaceSet || svc.Selector == nil || svc.Selector.MatchLabels["app"] != "web" {
		t.Errorf("service: %+v", svc)
	}
	var targets []any
	for _, p := range svc.Service.Ports {
		targets = append(targets, p.TargetPort)
	}
	if !reflect.DeepEqual(targets, []any{"http", 53, 9090}) || svc.Service.Ports[1].Protocol != "UDP" {
		t.Errorf("target ports %v", targets)
	}
	if l := svc.Locs[svc.Service.Ports[0].At]; l.Line != 7 || l.Path != "/spec/ports/0/targetPort" {
		t.Errorf("targetPort at %+v", l)
	}
	ing := objs[1]
	if len(ing.Refs) != 2 || ing.Refs[0].Name != "web" || ing.Refs[0].Port != "http" || ing.Refs[1].Port != 8080 {
		t.Errorf("ingress refs %+v", ing.Refs)
	}
	dep := objs[2]
	if dep.Namespace != DefaultNamespace || dep.NamespaceSet || len(dep.Pods) != 1 {
		t.Fatalf("deployment %+v", dep)
	}
	if ports := dep.Pods[0].Ports; len(ports) != 1 || ports[0].Name != "admin" || ports[0].Container != "sidecar" {
		t.Errorf("ports %+v: want the native sidecar's only (the regular container's port is a placeholder)", ports)
	}
	if !dep.Pods[0].Templated || !dep.Templated {
		t.Errorf("a containerPort written as ${PORT} makes the pod's ports unknown")
	}
}

func TestSelectorMatches(t *testing.T) {
	s := &Selector{MatchLabels: map[string]string{"app": "web"}, Expressions: []Requirement{
		{Key: "rel", Operator: "In", Values: []string{"stable", "beta"}},
		{Key: "canary", Operator: "DoesNotExist"},
		{Key: "tier", Operator: "NotIn", Values: []string{"db"}},
		{Key: "team", Operator: "Exists"},
	}}
	for _, tt := range []struct {
		labels map[string]string
		want   bool
	}{
		{map[string]string{"app": "web", "rel": "beta", "team": "a"}, true},
		{map[string]string{"app": "web", "rel": "beta", "team": "a", "tier": "front"}, true},
		{map[string]string{"app": "web", "rel": "beta", "team": "a", "tier": "db"}, false},
		{map[string]string{"app": "web", "rel": "beta", "team": "a", "canary": "true"}, false},
		{map[string]string{"app": "web", "rel": "alpha", "team": "a"}, false},
		{map[string]string{"app": "web", "rel": "beta"}, false},
		{map[string]string{"app": "api", "rel": "beta", "team": "a"}, false},
	} {
		if got := s.Matches(tt.labels); got != tt.want {
			t.Errorf("%v: %v, want %v", tt.labels, got, tt.want)
		}
	}
	if (&Selector{Expressions: []Requirement{{Key: "a", Operator: "in"}}}).Matches(map[string]string{"a": ""}) {
		t.Error("an unknown operator matches nothing")
	}
}

// The cache keeps everything the rules read, and a damaged cache is an error, never a panic.
func TestCacheRoundTrip(t *testing.T) {
	objs := extractAll(t, `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data, labels: {app: db}, annotations: {podlint.io/ignore: dangling-reference}}
spec:
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: x, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  selector:
    matchLabels: {app: db}
    matchExpressions: [{key: rel, operator: In, values: [a, b]}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, ports: [{port: 5432, targetPort: pg}]}
`)
	for _, o := range objs {
		for i := range o.Locs {
			o.Locs[i] = Loc{File: "x.yaml", Line: o.Locs[i].Line, Column: o.Locs[i].Column}
		}
	}
	c := &cacheFile{Format: cacheFormat, Key: "k", Root: "/r", Files: map[string]cachedFile{
		"x.yaml": {Size: 10, ModTime: 1 << 40, Objects: objs},
		"y.yaml": {Size: 3, ModTime: -5, Broken: true},
	}}
	data := encodeCache(c)
	got, err := decodeCache(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got.Files["x.yaml"].Objects[0], c.Files["x.yaml"].Objects[0])
	}
	for n := range len(data) {
		if _, err := decodeCache(data[:n]); err == nil {
			t.Fatalf("a cache cut at byte %d decodes", n)
		}
	}
}

// Findings land on the run's objects only, with the objects involved as related locations.
func TestIndexFindings(t *testing.T) {
	var x Index
	x.Add(&Object{Kind: "Service", Name: "a", At: 0, Locs: []Loc{{File: "a.yaml", Line: 3}}},
		&Object{Kind: "Deployment", Name: "b", At: 0, Context: true, Locs: []Loc{{File: "b.yaml", Line: 5}}})
	input := x.Input(true)
	objs, _ := input.Get(ast.StringTerm("objects")).Value.(*ast.Array)
	if objs == nil || objs.Len() != 2 || !input.Get(ast.StringTerm("complete")).Equal(ast.BooleanTerm(true)) {
		t.Fatalf("input %v", input)
	}
	fs, err := x.Findings([]Result{
		{Rule: "r", Severity: lint.Error, Message: "m", At: 0, Related: []Related{{At: 1, Message: "here"}}},
		{Rule: "r", Severity: lint.Error, Message: "on context", At: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].File != "a.yaml" || fs[0].Line != 3 || len(fs[0].Related) != 1 || fs[0].Related[0].File != "b.yaml" {
		t.Errorf("findings %+v", fs)
	}
	if _, err := x.Findings([]Result{{Rule: "r", At: 7}}); err == nil {
		t.Error("a position the index does not have is an error")
	}
}

// For the built-in rules (all false), Input holds the objects that select or name others and
// what they reach; for user policies of the whole run (all true), every object.
func TestInputObjects(t *testing.T) {
	objs := extractAll(t, `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: a, image: a}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch}
spec:
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec: {containers: [{name: a, image: a}]}
`)
	names := func(all bool) []string {
		var x Index
		x.Add(objs...)
		arr := x.Input(all).Get(ast.StringTerm("objects")).Value.(*ast.Array)
		var out []string
		for i := range arr.Len() {
			o := arr.Elem(i)
			out = append(out, string(o.Get(ast.StringTerm("kind")).Value.(ast.String))+"/"+string(o.Get(ast.StringTerm("name")).Value.(ast.String)))
		}
		return out
	}
	if got, want := names(false), []string{"Service/web", "Deployment/web"}; !reflect.DeepEqual(got, want) {
		t.Errorf("built-in rules' input: %v, want %v", got, want)
	}
	if got, want := names(true), []string{"Service/web", "Deployment/web", "Deployment/batch"}; !reflect.DeepEqual(got, want) {
		t.Errorf("user policies' input: %v, want %v", got, want)
	}
}

// With every rule of the whole run off, the run evaluates nothing.
func TestRunInactive(t *testing.T) {
	checked := false
	r := &Run{Active: func() bool { return false },
		Check: func(context.Context, *ast.Term) ([]Result, error) { checked = true; return nil, nil }}
	var opts lint.Options
	r.Wire(&opts)
	f := manifest.Load("x.yaml", []byte("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}}\n"))
	opts.Collect(f.Documents[0], "", true, func(manifest.Path, bool) lint.Finding { return lint.Finding{File: "x.yaml", Line: 1} })
	if fs, _, err := opts.Across(context.Background(), &lint.RunInfo{}); err != nil || len(fs) > 0 || checked {
		t.Errorf("across: %v, %v, rules evaluated: %v", fs, err, checked)
	}
	r = &Run{Active: func() bool { return true },
		Check: func(context.Context, *ast.Term) ([]Result, error) { checked = true; return nil, nil }}
	r.Wire(&opts)
	opts.Collect(f.Documents[0], "", true, func(manifest.Path, bool) lint.Finding { return lint.Finding{File: "x.yaml", Line: 1} })
	if r.index.Len() != 1 {
		t.Errorf("active: the index holds %d objects", r.index.Len())
	}
	if _, _, err := opts.Across(context.Background(), &lint.RunInfo{}); err != nil || !checked {
		t.Errorf("active: %v, rules evaluated: %v", err, checked)
	}
}

// Pods carry labels their controller adds: a Job's name, a StatefulSet's pod names, revision
// hashes. A selector on them picks pods that exist.
func TestSelectorMatchesControllerLabels(t *testing.T) {
	job := &Object{APIVersion: "batch/v1", Kind: "Job", Name: "train"}
	cron := &Object{APIVersion: "batch/v1", Kind: "CronJob", Name: "nightly"}
	sts := &Object{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "db"}
	dep := &Object{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}
	pod := &Object{APIVersion: "v1", Kind: "Pod", Name: "train"}
	labels := Pod{Labels: map[string]string{"app": "x"}}
	sel := func(ml map[string]string, exprs ...Requirement) *Selector {
		return &Selector{MatchLabels: ml, Expressions: exprs}
	}
	for _, tt := range []struct {
		s    *Selector
		o    *Object
		want bool
	}{
		{sel(map[string]string{"job-name": "train"}), job, true},
		{sel(map[string]string{"batch.kubernetes.io/job-name": "train"}), job, true},
		{sel(map[string]string{"job-name": "other"}), job, false},
		{sel(map[string]string{"job-name": "train"}), pod, false}, // a bare pod gets no such label
		{sel(map[string]string{"job-name": "nightly-28930123"}), cron, true},
		{sel(map[string]string{"statefulset.kubernetes.io/pod-name": "db-0"}), sts, true},
		{sel(map[string]string{"statefulset.kubernetes.io/pod-name": "db-12"}), sts, true},
		{sel(map[string]string{"statefulset.kubernetes.io/pod-name": "db-x"}), sts, false},
		{sel(map[string]string{"statefulset.kubernetes.io/pod-name": "db-01"}), sts, false},
		{sel(map[string]string{"statefulset.kubernetes.io/pod-name": "db-"}), sts, false},
		{sel(map[string]string{"statefulset.kubernetes.io/pod-name": "web-0"}), sts, false},
		{sel(map[string]string{"app": "x", "pod-template-hash": "5d8f7"}), dep, true},
		{sel(map[string]string{"app": "y", "pod-template-hash": "5d8f7"}), dep, false},
		{sel(map[string]string{"app": "x", "rollouts-pod-template-hash": "7c9d"}), &Object{APIVersion: "argoproj.io/v1alpha1", Kind: "Rollout", Name: "r"}, true},
		{sel(map[string]string{"app": "x", "rollouts-pod-template-hash": "7c9d"}), dep, false},
		{sel(nil, Requirement{Key: "job-name", Operator: "In", Values: []string{"a", "train"}}), job, true},
		{sel(nil, Requirement{Key: "job-name", Operator: "NotIn", Values: []string{"train"}}), job, false},
		{sel(nil, Requirement{Key: "job-name", Operator: "NotIn", Values: []string{"x"}}), cron, true},
		{sel(nil, Requirement{Key: "controller-uid", Operator: "Exists"}), job, true},
		{sel(nil, Requirement{Key: "controller-uid", Operator: "DoesNotExist"}), job, false},
		{sel(nil, Requirement{Key: "controller-uid", Operator: "DoesNotExist"}), dep, true},
	} {
		if got := tt.s.MatchesPod(tt.o, labels); got != tt.want {
			t.Errorf("%+v on %s %s: %v, want %v", tt.s, tt.o.Kind, tt.o.Name, got, tt.want)
		}
	}
	// the template's own label wins over the controller's
	if (&Selector{MatchLabels: map[string]string{"job-name": "train"}}).MatchesPod(job, Pod{Labels: map[string]string{"job-name": "mine"}}) {
		t.Error("a template label job-name: mine matched job-name: train")
	}
	// through the index: a Service selecting a Job's pods by job-name finds the Job
	var x Index
	x.Add(&Object{APIVersion: "v1", Kind: "Service", Name: "s", Namespace: "default",
		Selector: &Selector{MatchLabels: map[string]string{"job-name": "train"}}, Locs: []Loc{{File: "s.yaml"}}},
		&Object{APIVersion: "batch/v1", Kind: "Job", Name: "train", Namespace: "default", Pods: []Pod{labels}, Locs: []Loc{{File: "j.yaml"}}})
	sortObjects(x.objects)
	m := newMatcher(x.objects)
	if sel, _ := m.match(x.objects[1]); len(sel) != 1 {
		t.Errorf("the Service selects %v, want the Job", sel)
	}
}
