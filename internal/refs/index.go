package refs

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/lint"
)

// Index gathers the objects of a run. Add is safe for use from several goroutines.
type Index struct {
	mu      sync.Mutex
	objects []*Object
	// Incomplete says why the index may lack objects that exist (a chart that did not render, a
	// file that could not be read): rules do not claim that something is absent then.
	Incomplete []string
	// placed are the objects Input gave the rules, and starts the at of the first Loc of each:
	// the Locs of placed, numbered in order, are the positions the rules' results name.
	placed []*Object
	starts []int
}

// Add puts objects in the index.
func (x *Index) Add(objs ...*Object) {
	x.mu.Lock()
	for _, o := range objs {
		if o != nil {
			x.objects = append(x.objects, o)
		}
	}
	x.mu.Unlock()
}

// Len is the number of objects.
func (x *Index) Len() int { return len(x.objects) }

// Input is the index as rules see it (input of a run-scope rule), with positions numbered across
// the run (`at`). For each object of the run that selects or names others (a referrer), each
// selector's matches are worked out (`selected`, the pod-making objects of its namespace whose pod
// labels it matches, by id; `elsewhere`, those of other namespaces) and each reference's
// (`targets`, the objects of its namespace with its kind and name, and its API group when it names
// one; `elsewhere`, objects of that kind and name in other namespaces). The built-in rules judge
// referrers only, so the other objects are there when a referrer of the run selects or names
// them, or when they bear on every judgement: those with placeholders (templated) and custom
// resources that carry no pod template. So a one-file run in a large repository evaluates its
// rules over a few objects, not over the repository, and a run of many workloads over those its
// Services and references reach.
//
// With all set (user policies of the whole run, which may judge any object by any other), every
// object is there, and every selector's and reference's matches are worked out.
func (x *Index) Input(all bool) *ast.Term {
	sortObjects(x.objects)
	m := newMatcher(x.objects)
	n := len(x.objects)
	include := make([]bool, n)
	sel := make([]matches, n)
	refs := make([][]matches, n)
	for i, o := range x.objects {
		referrer := o.Selector != nil || len(o.Refs) > 0
		if !all && (o.Context || !referrer) {
			if o.Templated || (len(o.Pods) == 0 && customGroup(o.APIVersion)) {
				include[i] = true
			}
			continue
		}
		include[i] = true
		if o.Selector != nil {
			s, e := m.match(o)
			sel[i] = matches{s, e}
			markAll(include, s, e)
		}
		for _, r := range o.Refs {
			t, e := m.resolve(o, r)
			refs[i] = append(refs[i], matches{t, e})
			markAll(include, t, e)
		}
	}
	id := make([]int, n)
	x.placed, x.starts = x.placed[:0], x.starts[:0]
	var kept []int
	at := 0
	for i, o := range x.objects {
		id[i] = -1
		if !include[i] {
			continue
		}
		id[i] = len(kept)
		kept = append(kept, i)
		x.placed, x.starts = append(x.placed, o), append(x.starts, at)
		at += len(o.Locs)
	}
	b := termBuilder{objects: x.objects, id: id, starts: x.starts, sel: sel, refs: refs}
	objs := make([]*ast.Term, len(kept))
	// The objects' terms are independent of each other: on a large run, build them on every core.
	workers := min(runtime.GOMAXPROCS(0), len(kept)/2000+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(kept); j += workers {
				objs[j] = b.object(kept[j])
			}
		}()
	}
	wg.Wait()
	return ast.ObjectTerm(
		ast.Item(termKey("objects"), ast.ArrayTerm(objs...)),
		ast.Item(termKey("complete"), ast.BooleanTerm(len(x.Incomplete) == 0)),
		ast.Item(termKey("incomplete"), stringsTerm(x.Incomplete)),
	)
}

// matches are the objects a selector picks, or a reference names: of its namespace, and of others.
type matches struct{ selected, elsewhere []int }

// termBuilder makes the terms of Input's objects, straight from the compact form: the index is
// built once per run and read once, so it never goes through Go maps or JSON.
type termBuilder struct {
	objects []*Object
	id      []int // an object's id in Input, or -1 when it is not there
	starts  []int // by id, the at of an object's first Loc
	sel     []matches
	refs    [][]matches
}

func (tb *termBuilder) ids(old []int) *ast.Term {
	out := make([]*ast.Term, len(old))
	for j, i := range old {
		out[j] = ast.InternedTerm(tb.id[i])
	}
	return ast.ArrayTerm(out...)
}

func (tb *termBuilder) object(i int) *ast.Term {
	o := tb.objects[i]
	b := tb.starts[tb.id[i]]
	loc := o.Locs[o.At]
	pods := make([]*ast.Term, len(o.Pods))
	for j, p := range o.Pods {
		ports := make([]*ast.Term, len(p.Ports))
		for k, pt := range p.Ports {
			ports[k] = ast.ObjectTerm(
				ast.Item(termKey("name"), ast.StringTerm(pt.Name)),
				ast.Item(termKey("containerPort"), ast.InternedTerm(pt.Number)),
				ast.Item(termKey("protocol"), ast.StringTerm(pt.Protocol)),
				ast.Item(termKey("container"), ast.StringTerm(pt.Container)),
			)
		}
		pods[j] = ast.ObjectTerm(
			ast.Item(termKey("labels"), labelsTerm(p.Labels)),
			ast.Item(termKey("ports"), ast.ArrayTerm(ports...)),
			ast.Item(termKey("at"), ast.InternedTerm(b+p.At)),
		)
	}
	rs := make([]*ast.Term, len(o.Refs))
	for j, r := range o.Refs {
		var m matches
		if j < len(tb.refs[i]) {
			m = tb.refs[i][j]
		}
		items := []([2]*ast.Term){
			ast.Item(termKey("field"), ast.StringTerm(r.Field)),
			ast.Item(termKey("apiVersion"), ast.StringTerm(r.APIVersion)),
			ast.Item(termKey("kind"), ast.StringTerm(r.Kind)),
			ast.Item(termKey("name"), ast.StringTerm(r.Name)),
			ast.Item(termKey("at"), ast.InternedTerm(b+r.At)),
			ast.Item(termKey("targets"), tb.ids(m.selected)),
			ast.Item(termKey("elsewhere"), tb.ids(m.elsewhere)),
		}
		if r.Port != nil {
			items = append(items, ast.Item(termKey("port"), scalarTerm(r.Port)), ast.Item(termKey("portAt"), ast.InternedTerm(b+r.PortAt)))
		}
		rs[j] = ast.ObjectTerm(items...)
	}
	items := []([2]*ast.Term){
		ast.Item(termKey("id"), ast.InternedTerm(tb.id[i])),
		ast.Item(termKey("apiVersion"), ast.StringTerm(o.APIVersion)),
		ast.Item(termKey("kind"), ast.StringTerm(o.Kind)),
		ast.Item(termKey("group"), ast.StringTerm(groupOfOnly(o.APIVersion))),
		ast.Item(termKey("name"), ast.StringTerm(o.Name)),
		ast.Item(termKey("namespace"), ast.StringTerm(o.Namespace)),
		ast.Item(termKey("namespaceSet"), ast.BooleanTerm(o.NamespaceSet)),
		ast.Item(termKey("labels"), labelsTerm(o.Labels)),
		ast.Item(termKey("file"), ast.StringTerm(loc.File)),
		ast.Item(termKey("line"), ast.InternedTerm(loc.Line)),
		ast.Item(termKey("at"), ast.InternedTerm(b+o.At)),
		ast.Item(termKey("context"), ast.BooleanTerm(o.Context)),
		ast.Item(termKey("templated"), ast.BooleanTerm(o.Templated)),
		ast.Item(termKey("nameTemplated"), ast.BooleanTerm(placeholder(o.Name))),
		ast.Item(termKey("namespaceTemplated"), ast.BooleanTerm(placeholder(o.Namespace))),
		ast.Item(termKey("pods"), ast.ArrayTerm(pods...)),
		ast.Item(termKey("refs"), ast.ArrayTerm(rs...)),
	}
	if s := o.Selector; s != nil {
		exprs := make([]*ast.Term, len(s.Expressions))
		for j, r := range s.Expressions {
			exprs[j] = ast.ObjectTerm(
				ast.Item(termKey("key"), ast.StringTerm(r.Key)),
				ast.Item(termKey("operator"), ast.StringTerm(r.Operator)),
				ast.Item(termKey("values"), stringsTerm(r.Values)),
			)
		}
		items = append(items, ast.Item(termKey("selector"), ast.ObjectTerm(
			ast.Item(termKey("field"), ast.StringTerm(s.Field)),
			ast.Item(termKey("matchLabels"), labelsTerm(s.MatchLabels)),
			ast.Item(termKey("matchExpressions"), ast.ArrayTerm(exprs...)),
			ast.Item(termKey("at"), ast.InternedTerm(b+s.At)),
			ast.Item(termKey("empty"), ast.BooleanTerm(len(s.MatchLabels) == 0 && len(s.Expressions) == 0)),
			ast.Item(termKey("selected"), tb.ids(tb.sel[i].selected)),
			ast.Item(termKey("elsewhere"), tb.ids(tb.sel[i].elsewhere)),
		)))
	}
	if s := o.Service; s != nil {
		ports := make([]*ast.Term, len(s.Ports))
		for j, p := range s.Ports {
			ports[j] = ast.ObjectTerm(
				ast.Item(termKey("name"), ast.StringTerm(p.Name)),
				ast.Item(termKey("port"), ast.InternedTerm(p.Port)),
				ast.Item(termKey("protocol"), ast.StringTerm(p.Protocol)),
				ast.Item(termKey("targetPort"), scalarTerm(p.TargetPort)),
				ast.Item(termKey("at"), ast.InternedTerm(b+p.At)),
			)
		}
		items = append(items, ast.Item(termKey("service"), ast.ObjectTerm(
			ast.Item(termKey("type"), ast.StringTerm(s.Type)),
			ast.Item(termKey("clusterIP"), ast.StringTerm(s.ClusterIP)),
			ast.Item(termKey("headless"), ast.BooleanTerm(s.ClusterIP == "None")),
			ast.Item(termKey("ports"), ast.ArrayTerm(ports...)),
		)))
	}
	return ast.ObjectTerm(items...)
}

// inputKeys are the keys of Input's objects, made once: every object shares them.
var inputKeys = func() map[string]*ast.Term {
	m := map[string]*ast.Term{}
	for _, k := range []string{"objects", "complete", "incomplete", "id", "apiVersion", "kind", "group", "name",
		"namespace", "namespaceSet", "labels", "file", "line", "at", "context", "templated", "nameTemplated",
		"namespaceTemplated", "pods", "refs",
		"ports", "containerPort", "protocol", "container", "field", "targets", "elsewhere", "port", "portAt",
		"selector", "key", "operator", "values", "matchLabels", "matchExpressions", "empty", "selected",
		"service", "type", "clusterIP", "headless", "targetPort"} {
		m[k] = ast.StringTerm(k)
	}
	return m
}()

func termKey(k string) *ast.Term {
	if t, ok := inputKeys[k]; ok {
		return t
	}
	panic("refs: no input key " + k)
}

func labelsTerm(m map[string]string) *ast.Term {
	items := make([][2]*ast.Term, 0, len(m))
	for k, v := range m {
		items = append(items, ast.Item(ast.StringTerm(k), ast.StringTerm(v)))
	}
	return ast.ObjectTerm(items...)
}

func stringsTerm(s []string) *ast.Term {
	out := make([]*ast.Term, len(s))
	for i, v := range s {
		out[i] = ast.StringTerm(v)
	}
	return ast.ArrayTerm(out...)
}

// scalarTerm is a port as a manifest writes it: a name, a number, or nothing.
func scalarTerm(v any) *ast.Term {
	switch x := v.(type) {
	case string:
		return ast.StringTerm(x)
	case int:
		return ast.InternedTerm(x)
	case nil:
		return ast.NullTerm()
	}
	return ast.StringTerm(fmt.Sprint(v))
}

func markAll(include []bool, lists ...[]int) {
	for _, l := range lists {
		for _, i := range l {
			include[i] = true
		}
	}
}

// customGroup says whether an apiVersion is a custom resource's: its group has a dot and is not
// one of Kubernetes' own (*.k8s.io).
func customGroup(apiVersion string) bool {
	g, _ := groupOf(apiVersion)
	return strings.Contains(g, ".") && !strings.HasSuffix(g, ".k8s.io")
}

// Result is one finding of a run-scope rule, as the policy engine reads it: at and the related
// ats number positions of Input.
type Result struct {
	Rule     string
	Severity lint.Severity
	Message  string
	At       int
	Related  []Related
}

// Related is another position a result involves.
type Related struct {
	At      int
	Message string
}

// Findings places results on their positions. A result on an object from outside the run (the
// rest of the repository) is dropped: the run reports on its own objects only. A result whose
// position is not one of the index's is an error.
func (x *Index) Findings(results []Result) ([]lint.Finding, error) {
	var out []lint.Finding
	for _, r := range results {
		owner, l := x.position(r.At)
		if owner == nil {
			return nil, fmt.Errorf("rule %s: at %d is not a position of the run's index", r.Rule, r.At)
		}
		if owner.Context {
			continue
		}
		f := lint.Finding{Rule: r.Rule, Severity: r.Severity, Message: r.Message, File: l.File, Line: l.Line, Column: l.Column,
			EndLine: l.EndLine, EndColumn: l.EndColumn, Object: l.Object, Path: l.Path, Source: l.Source, Template: l.Template}
		for _, rel := range r.Related {
			o, rl := x.position(rel.At)
			if o == nil {
				return nil, fmt.Errorf("rule %s: related at %d is not a position of the run's index", r.Rule, rel.At)
			}
			f.Related = append(f.Related, lint.Location{File: rl.File, Line: rl.Line, Column: rl.Column, EndLine: rl.EndLine, EndColumn: rl.EndColumn, Message: rel.Message})
		}
		sort.SliceStable(f.Related, func(i, j int) bool {
			a, b := f.Related[i], f.Related[j]
			if a.File != b.File {
				return a.File < b.File
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
		out = append(out, f)
	}
	return out, nil
}

// position is the object and the Loc an at of Input names; nil when it names none.
func (x *Index) position(at int) (*Object, *Loc) {
	if at < 0 || len(x.starts) == 0 {
		return nil, nil
	}
	j := sort.SearchInts(x.starts, at+1) - 1 // the last object starting at or before at
	if j < 0 || at-x.starts[j] >= len(x.placed[j].Locs) {
		return nil, nil
	}
	o := x.placed[j]
	return o, &o.Locs[at-x.starts[j]]
}

func groupOfOnly(apiVersion string) string {
	g, _ := groupOf(apiVersion)
	return g
}
