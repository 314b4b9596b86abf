package policy

import (
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/manifest"
)

// The podlint.pods builtin finds the pods of a document and their containers, with paths, once per
// evaluation. Rules reach it through data.podlint.lib (rules/lib). It is Go because walking and
// building these objects in Rego costs more than all the rules' own checks: a user function call
// or an object built in Rego is a microsecond or two each, and a pod has several containers.

// containerFields are the container lists of a pod spec, in the order the kubelet starts them.
var containerFields = []string{"initContainers", "containers", "ephemeralContainers"}

// podsOf describes the pods of a document (an object value); none for kinds without a pod.
func podsOf(doc ast.Value) *ast.Term {
	obj, ok := doc.(ast.Object)
	if !ok {
		return ast.ArrayTerm()
	}
	kindTerm := obj.Get(key("kind"))
	if kindTerm == nil {
		return ast.ArrayTerm()
	}
	kind, _ := kindTerm.Value.(ast.String)
	paths, ok := manifest.PodPaths(string(kind))
	if !ok {
		return ast.ArrayTerm()
	}
	spec, ok := lookup(obj, paths.Spec).(ast.Object)
	if !ok {
		return ast.ArrayTerm()
	}
	metadata, ok := lookup(obj, paths.Metadata).(ast.Object)
	if !ok {
		metadata = ast.NewObject()
	}
	specPath := pathTerm(paths.Spec)
	var containers []*ast.Term
	order := 0
	for _, field := range containerFields {
		list, ok := get(spec, field).(*ast.Array)
		if !ok {
			continue
		}
		for i := range list.Len() {
			ct := list.Elem(i)
			c, ok := ct.Value.(ast.Object)
			if !ok {
				continue
			}
			containers = append(containers, containerTerm(c, ct, field, i, order, specPath))
			order++
		}
	}
	pod := ast.ObjectTerm(
		ast.Item(key("kind"), kindTerm),
		ast.Item(key("spec"), ast.NewTerm(spec)),
		ast.Item(key("path"), specPath),
		ast.Item(key("metadata"), ast.NewTerm(metadata)),
		ast.Item(key("metadata_path"), pathTerm(paths.Metadata)),
		ast.Item(key("containers"), ast.ArrayTerm(containers...)),
	)
	return ast.ArrayTerm(pod)
}

func containerTerm(c ast.Object, ct *ast.Term, field string, index, order int, specPath *ast.Term) *ast.Term {
	nameTerm := c.Get(key("name"))
	var name ast.String
	isString := false
	if nameTerm != nil {
		name, isString = nameTerm.Value.(ast.String)
	}
	if !isString {
		nameTerm = key("")
	}
	sidecar, init := false, false
	if field == "initContainers" {
		rp, _ := get(c, "restartPolicy").(ast.String)
		sidecar = rp == "Always"
		init = !sidecar
	}
	role := "container"
	switch {
	case sidecar:
		role = "sidecar"
	case init:
		role = "init container"
	case field == "ephemeralContainers":
		role = "ephemeral container"
	}
	specArr := specPath.Value.(*ast.Array)
	path := make([]*ast.Term, 0, specArr.Len()+2)
	for i := range specArr.Len() {
		path = append(path, specArr.Elem(i))
	}
	path = append(path, key(field), ast.InternedTerm(index))
	var argv []*ast.Term
	for _, key := range []string{"command", "args"} {
		if a, ok := get(c, key).(*ast.Array); ok {
			for i := range a.Len() {
				argv = append(argv, a.Elem(i))
			}
		}
	}
	return ast.ObjectTerm(
		ast.Item(key("container"), ct),
		ast.Item(key("name"), nameTerm),
		ast.Item(key("path"), ast.ArrayTerm(path...)),
		ast.Item(key("pod_path"), specPath),
		ast.Item(key("field"), key(field)),
		ast.Item(key("index"), ast.InternedTerm(index)),
		ast.Item(key("order"), ast.InternedTerm(order)),
		ast.Item(key("sidecar"), ast.InternedTerm(sidecar)),
		ast.Item(key("init"), ast.InternedTerm(init)),
		ast.Item(key("concurrent"), ast.InternedTerm(!init)),
		ast.Item(key("role"), key(role)),
		ast.Item(key("label"), ast.StringTerm(role+" "+strconv.Quote(string(name)))),
		ast.Item(key("argv"), ast.ArrayTerm(argv...)),
	)
}

func lookup(obj ast.Object, path manifest.Path) ast.Value {
	var v ast.Value = obj
	for _, seg := range path {
		o, ok := v.(ast.Object)
		if !ok {
			return nil
		}
		t := o.Get(key(seg))
		if t == nil {
			return nil
		}
		v = t.Value
	}
	return v
}

func pathTerm(p manifest.Path) *ast.Term {
	terms := make([]*ast.Term, len(p))
	for i, s := range p {
		terms[i] = key(s)
	}
	return ast.ArrayTerm(terms...)
}

// get returns the value of k in o, or nil.
func get(o ast.Object, k string) ast.Value {
	if t := o.Get(key(k)); t != nil {
		return t.Value
	}
	return nil
}
