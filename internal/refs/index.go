package refs

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/podlint/podlint/internal/lint"
)

// Index gathers the objects of a run. Add is safe for use from several goroutines.
type Index struct {
	mu      sync.Mutex
	objects []*Object
	// Incomplete says why the index may lack objects that exist (a chart that did not render, a
	// file that could not be read): rules do not claim that something is absent then.
	Incomplete []string
	locs       []Loc     // the Locs of the objects Input gave the rules, numbered
	owner      []*Object // the object of each of locs
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
// the run (`at`). For each object of the run, each selector's matches are worked out
// (`selected`, the pod-making objects of its namespace whose pod labels it matches, by id;
// `elsewhere`, those of other namespaces) and each reference's (`targets`, the objects of its
// namespace with its kind and name, and its API group when it names one; `elsewhere`, objects of
// that kind and name in other namespaces). Objects from outside the run (context) are there when
// an object of the run selects or names them, or when they bear on every judgement: those with
// placeholders (templated) and custom resources that carry no pod template. So a one-file run in a
// large repository evaluates its rules over a few objects, not over the repository.
//
// With all set (user policies of the whole run, which may judge any object by any other), every
// object is there, and every selector's and reference's matches are worked out.
func (x *Index) Input(all bool) map[string]any {
	sortObjects(x.objects)
	m := newMatcher(x.objects)
	n := len(x.objects)
	include := make([]bool, n)
	type matches struct{ selected, elsewhere []int }
	sel := make([]matches, n)
	refs := make([][]matches, n)
	for i, o := range x.objects {
		if o.Context && !all {
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
	x.locs, x.owner = x.locs[:0], x.owner[:0]
	base := make([]int, n)
	count := 0
	for i, o := range x.objects {
		id[i] = -1
		if !include[i] {
			continue
		}
		id[i] = count
		count++
		base[i] = len(x.locs)
		x.locs = append(x.locs, o.Locs...)
		for range o.Locs {
			x.owner = append(x.owner, o)
		}
	}
	ids := func(old []int) []any {
		out := make([]any, len(old))
		for j, i := range old {
			out[j] = id[i]
		}
		return out
	}
	objs := make([]any, 0, count)
	for i, o := range x.objects {
		if !include[i] {
			continue
		}
		b := base[i]
		loc := o.Locs[o.At]
		obj := map[string]any{
			"id": id[i], "apiVersion": o.APIVersion, "kind": o.Kind, "group": groupOfOnly(o.APIVersion), "name": o.Name,
			"namespace": o.Namespace, "namespaceSet": o.NamespaceSet, "labels": strMap(o.Labels),
			"file": loc.File, "line": loc.Line, "at": b + o.At, "context": o.Context, "templated": o.Templated,
		}
		pods := make([]any, 0, len(o.Pods))
		for _, p := range o.Pods {
			ports := make([]any, 0, len(p.Ports))
			for _, pt := range p.Ports {
				ports = append(ports, map[string]any{"name": pt.Name, "containerPort": pt.Number, "protocol": pt.Protocol, "container": pt.Container})
			}
			pods = append(pods, map[string]any{"labels": strMap(p.Labels), "ports": ports, "at": b + p.At})
		}
		obj["pods"] = pods
		if s := o.Selector; s != nil {
			exprs := make([]any, 0, len(s.Expressions))
			for _, r := range s.Expressions {
				exprs = append(exprs, map[string]any{"key": r.Key, "operator": r.Operator, "values": strList(r.Values)})
			}
			obj["selector"] = map[string]any{"field": s.Field, "matchLabels": strMap(s.MatchLabels), "matchExpressions": exprs,
				"at": b + s.At, "empty": len(s.MatchLabels) == 0 && len(s.Expressions) == 0,
				"selected": ids(sel[i].selected), "elsewhere": ids(sel[i].elsewhere)}
		}
		if s := o.Service; s != nil {
			ports := make([]any, 0, len(s.Ports))
			for _, p := range s.Ports {
				ports = append(ports, map[string]any{"name": p.Name, "port": p.Port, "protocol": p.Protocol, "targetPort": p.TargetPort, "at": b + p.At})
			}
			obj["service"] = map[string]any{"type": s.Type, "clusterIP": s.ClusterIP, "headless": s.ClusterIP == "None", "ports": ports}
		}
		rs := make([]any, 0, len(o.Refs))
		for j, r := range o.Refs {
			ref := map[string]any{"field": r.Field, "apiVersion": r.APIVersion, "kind": r.Kind, "name": r.Name, "at": b + r.At,
				"targets": []any{}, "elsewhere": []any{}}
			if j < len(refs[i]) {
				ref["targets"], ref["elsewhere"] = ids(refs[i][j].selected), ids(refs[i][j].elsewhere)
			}
			if r.Port != nil {
				ref["port"], ref["portAt"] = r.Port, b+r.PortAt
			}
			rs = append(rs, ref)
		}
		obj["refs"] = rs
		objs = append(objs, obj)
	}
	incomplete := strList(x.Incomplete)
	return map[string]any{"objects": objs, "complete": len(x.Incomplete) == 0, "incomplete": incomplete}
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
		if r.At < 0 || r.At >= len(x.locs) {
			return nil, fmt.Errorf("rule %s: at %d is not a position of the run's index", r.Rule, r.At)
		}
		if x.owner[r.At].Context {
			continue
		}
		l := x.locs[r.At]
		f := lint.Finding{Rule: r.Rule, Severity: r.Severity, Message: r.Message, File: l.File, Line: l.Line, Column: l.Column,
			EndLine: l.EndLine, EndColumn: l.EndColumn, Object: l.Object, Path: l.Path, Source: l.Source, Template: l.Template}
		for _, rel := range r.Related {
			if rel.At < 0 || rel.At >= len(x.locs) {
				return nil, fmt.Errorf("rule %s: related at %d is not a position of the run's index", r.Rule, rel.At)
			}
			rl := x.locs[rel.At]
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

func groupOfOnly(apiVersion string) string {
	g, _ := groupOf(apiVersion)
	return g
}

func strMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func strList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func intList(s []int) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
