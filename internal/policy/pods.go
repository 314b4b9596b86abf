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

// podsOf describes the pods of a document (an object value), finding them with the table of
// pod-bearing kinds (nil: the built-in one); none for kinds without a pod.
func podsOf(kinds *manifest.PodKinds, doc ast.Value) *ast.Term {
	obj, ok := doc.(ast.Object)
	if !ok {
		return ast.ArrayTerm()
	}
	kindTerm := obj.Get(key("kind"))
	if kindTerm == nil {
		return ast.ArrayTerm()
	}
	kind, _ := kindTerm.Value.(ast.String)
	var apiVersion ast.String
	if t := obj.Get(key("apiVersion")); t != nil {
		apiVersion, _ = t.Value.(ast.String)
	}
	pk, ok := kinds.Lookup(string(apiVersion), string(kind))
	if !ok {
		return ast.ArrayTerm()
	}
	paths := pk.Pod()
	spec, ok := lookup(obj, paths.Spec).(ast.Object)
	if !ok {
		return ast.ArrayTerm()
	}
	metadata, ok := lookup(obj, paths.Metadata).(ast.Object)
	if !ok {
		metadata = ast.NewObject()
	}
	metadataPath := pathTerm(paths.Metadata)
	labels, ok := get(metadata, "labels").(ast.Object)
	labelsPath := metadataPath
	if ok {
		labelsPath = appendPath(metadataPath, key("labels"))
	} else {
		labels = ast.NewObject()
	}
	specPath := pathTerm(paths.Spec)
	completes := pk.Completes
	if rp, ok := get(spec, "restartPolicy").(ast.String); ok && (rp == "Never" || rp == "OnFailure") {
		completes = true
	}
	var containers []*ast.Term
	var entries []portEntry
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
			path := appendPath(specPath, key(field), ast.InternedTerm(i))
			order := len(containers)
			containers = append(containers, containerTerm(c, ct, field, i, order, path, specPath, completes))
			entries = appendPorts(entries, c, order, field, path)
		}
	}
	markRepeats(entries)
	ports := portTerms(entries)
	numbers, repeated, repeatedHost := portIndex(ports)
	pod := ast.ObjectTerm(
		ast.Item(key("port_numbers"), numbers),
		ast.Item(key("repeated_ports"), ast.InternedTerm(repeated)),
		ast.Item(key("repeated_host_ports"), ast.InternedTerm(repeatedHost)),
		ast.Item(key("completes"), ast.InternedTerm(completes)),
		ast.Item(key("kind"), kindTerm),
		ast.Item(key("custom"), ast.InternedTerm(pk.Custom)),
		ast.Item(key("spec"), ast.NewTerm(spec)),
		ast.Item(key("path"), specPath),
		ast.Item(key("metadata"), ast.NewTerm(metadata)),
		ast.Item(key("metadata_path"), metadataPath),
		ast.Item(key("labels"), ast.NewTerm(labels)),
		ast.Item(key("labels_path"), labelsPath),
		ast.Item(key("containers"), ast.ArrayTerm(containers...)),
		ast.Item(key("ports"), ast.ArrayTerm(ports...)),
	)
	return ast.ArrayTerm(pod)
}

func containerTerm(c ast.Object, ct *ast.Term, field string, index, order int, path, specPath *ast.Term, podCompletes bool) *ast.Term {
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
	var argv []*ast.Term
	for _, k := range []string{"command", "args"} {
		if a, ok := get(c, k).(*ast.Array); ok {
			for i := range a.Len() {
				argv = append(argv, a.Elem(i))
			}
		}
	}
	argvTerm := ast.ArrayTerm(argv...)
	items := make([][2]*ast.Term, 0, 17)
	if len(argv) > 0 {
		// The command line described once, here, rather than by each rule that reads it.
		if cmd, err := commandTerm(argvTerm.Value.(*ast.Array)); err == nil {
			items = append(items, ast.Item(key("command"), cmd))
		}
	}
	return ast.ObjectTerm(append(items,
		ast.Item(key("container"), ct),
		ast.Item(key("name"), nameTerm),
		ast.Item(key("path"), path),
		ast.Item(key("pod_path"), specPath),
		ast.Item(key("field"), key(field)),
		ast.Item(key("index"), ast.InternedTerm(index)),
		ast.Item(key("order"), ast.InternedTerm(order)),
		ast.Item(key("sidecar"), ast.InternedTerm(sidecar)),
		ast.Item(key("init"), ast.InternedTerm(init)),
		ast.Item(key("concurrent"), ast.InternedTerm(!init)),
		ast.Item(key("role"), key(role)),
		ast.Item(key("label"), ast.StringTerm(role+" "+strconv.Quote(string(name)))),
		ast.Item(key("argv"), argvTerm),
		ast.Item(key("handlers"), handlersTerm(c, path)),
		ast.Item(key("port_names"), portNames(c)),
		ast.Item(key("pod_completes"), ast.InternedTerm(podCompletes)),
	)...)
}

// portIndex summarises the pod's ports (as appendPorts lists them) for the rules' first tests: the
// set of declared numbers, whether a number and protocol is declared twice, and whether a hostPort
// (other than 0) is.
func portIndex(ports []*ast.Term) (numbers *ast.Term, repeated, repeatedHost bool) {
	set := ast.NewSet()
	seen := ast.NewSet()
	host := ast.NewSet()
	for _, p := range ports {
		o := p.Value.(ast.Object)
		port, protocol, hostPort := o.Get(key("port")), o.Get(key("protocol")), o.Get(key("host_port"))
		set.Add(port)
		pair := ast.ArrayTerm(port, protocol)
		if seen.Contains(pair) {
			repeated = true
		}
		seen.Add(pair)
		if ast.Compare(hostPort.Value, ast.Number("0")) != 0 {
			if host.Contains(hostPort) {
				repeatedHost = true
			}
			host.Add(hostPort)
		}
	}
	return ast.NewTerm(set), repeated, repeatedHost
}

// portNames is the set of the names a container's ports declare (any entry with a string name).
func portNames(c ast.Object) *ast.Term {
	set := ast.NewSet()
	if list, ok := get(c, "ports").(*ast.Array); ok {
		for i := range list.Len() {
			if p, ok := list.Elem(i).Value.(ast.Object); ok {
				if n := p.Get(key("name")); n != nil {
					if _, isString := n.Value.(ast.String); isString {
						set.Add(n)
					}
				}
			}
		}
	}
	return ast.NewTerm(set)
}

// appendPorts adds the container's declared ports (entries with a numeric containerPort), with
// their defaults filled in: protocol TCP, no hostPort (0), no hostIP (""), no name ("").
func appendPorts(ports []portEntry, c ast.Object, order int, field string, path *ast.Term) []portEntry {
	list, ok := get(c, "ports").(*ast.Array)
	if !ok {
		return ports
	}
	sidecar, init := false, false
	if field == "initContainers" {
		rp, _ := get(c, "restartPolicy").(ast.String)
		sidecar, init = rp == "Always", rp != "Always"
	}
	for j := range list.Len() {
		p, ok := list.Elem(j).Value.(ast.Object)
		if !ok {
			continue
		}
		number := p.Get(key("containerPort"))
		if number == nil {
			continue
		}
		if _, isNumber := number.Value.(ast.Number); !isNumber {
			continue
		}
		ports = append(ports, portEntry{
			container:  order,
			concurrent: !init,
			sidecar:    sidecar,
			port:       number,
			protocol:   orDefault(p, "protocol", key("TCP")),
			hostPort:   orDefault(p, "hostPort", ast.InternedTerm(0)),
			hostIP:     orDefault(p, "hostIP", key("")),
			name:       orDefault(p, "name", key("")),
			index:      j,
			path:       appendPath(path, key("ports"), ast.InternedTerm(j)),
		})
	}
	return ports
}

// portTerms turns the entries into the objects rules see; repeats and host_repeats appear only on
// the ports that clash with an earlier one.
func portTerms(entries []portEntry) []*ast.Term {
	out := make([]*ast.Term, len(entries))
	for i, e := range entries {
		items := make([][2]*ast.Term, 0, 10)
		items = append(items,
			ast.Item(key("container"), ast.InternedTerm(e.container)),
			ast.Item(key("index"), ast.InternedTerm(e.index)),
			ast.Item(key("port"), e.port),
			ast.Item(key("protocol"), e.protocol),
			ast.Item(key("host_port"), e.hostPort),
			ast.Item(key("host_ip"), e.hostIP),
			ast.Item(key("name"), e.name),
			ast.Item(key("path"), e.path),
		)
		if e.repeats >= 0 {
			items = append(items, ast.Item(key("repeats"), ast.InternedTerm(e.repeats)))
		}
		if e.hostRepeats >= 0 {
			items = append(items, ast.Item(key("host_repeats"), ast.InternedTerm(e.hostRepeats)))
		}
		out[i] = ast.ObjectTerm(items...)
	}
	return out
}

// handlerKinds are the handlers that check a port, where they can appear.
var (
	probeNames    = []string{"livenessProbe", "readinessProbe", "startupProbe"}
	probeHandlers = []string{"httpGet", "tcpSocket", "grpc"}
	hookNames     = []string{"postStart", "preStop"}
	hookHandlers  = []string{"httpGet", "tcpSocket"}
)

// handlersTerm lists the probe and lifecycle handlers of a container that name a port.
func handlersTerm(c ast.Object, path *ast.Term) *ast.Term {
	var out []*ast.Term
	add := func(owner ast.Object, ownerPath *ast.Term, where string, hook bool, kinds []string) {
		for _, kind := range kinds {
			h, ok := get(owner, kind).(ast.Object)
			if !ok {
				continue
			}
			port := h.Get(key("port"))
			if port == nil {
				continue
			}
			out = append(out, ast.ObjectTerm(
				ast.Item(key("where"), key(where)),
				ast.Item(key("hook"), ast.InternedTerm(hook)),
				ast.Item(key("type"), key(kind)),
				ast.Item(key("port"), port),
				ast.Item(key("host"), orDefault(h, "host", key(""))),
				ast.Item(key("path"), appendPath(ownerPath, key(kind), key("port"))),
			))
		}
	}
	for _, probe := range probeNames {
		if p, ok := get(c, probe).(ast.Object); ok {
			add(p, appendPath(path, key(probe)), probe, false, probeHandlers)
		}
	}
	if lc, ok := get(c, "lifecycle").(ast.Object); ok {
		for _, hook := range hookNames {
			if h, ok := get(lc, hook).(ast.Object); ok {
				add(h, appendPath(path, key("lifecycle"), key(hook)), hook, true, hookHandlers)
			}
		}
	}
	return ast.ArrayTerm(out...)
}

func orDefault(o ast.Object, k string, def *ast.Term) *ast.Term {
	if t := o.Get(key(k)); t != nil {
		return t
	}
	return def
}

// appendPath returns a new path term: p followed by segs.
func appendPath(p *ast.Term, segs ...*ast.Term) *ast.Term {
	arr := p.Value.(*ast.Array)
	terms := make([]*ast.Term, 0, arr.Len()+len(segs))
	for i := range arr.Len() {
		terms = append(terms, arr.Elem(i))
	}
	return ast.ArrayTerm(append(terms, segs...)...)
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
