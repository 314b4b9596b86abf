// Package refs is the run-wide view of a lint run: every object in a compact form (identity,
// labels, pod-template labels and container ports, selectors, references to other objects), with
// the placed positions of the fields that refer and of the objects referred to. Rules that judge
// one object against the others (a Service's selector against the pods of the run) evaluate once
// over it, after every file is checked; memory grows with this index, never with the documents,
// which are dropped once checked.
package refs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// DefaultNamespace is where an object without a namespace lands, for every object of a run alike
// (a chart's objects land in its release namespace).
const DefaultNamespace = "default"

// Loc is a placed position: the file a person edits, its line and column, and for the findings
// that land on it, the text of the line, the object and the document path.
type Loc struct {
	File      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
	Source    string
	Path      string
	Template  string
	Object    manifest.Object
}

// Object is one object of the run in compact form. Loc fields index Locs.
type Object struct {
	APIVersion string
	Kind       string
	Name       string
	// Namespace is where the object lands: its own namespace, else the default of its unit.
	Namespace    string
	NamespaceSet bool
	Labels       map[string]string
	// At is the object's own position (its name).
	At       int
	Pods     []Pod
	Selector *Selector
	Service  *Service
	Refs     []Ref
	// Context objects come from outside the run (the rest of the repository, or objects --selector
	// left out): they are resolved against, never reported on.
	Context bool
	// Templated objects hold placeholders that something substitutes before they are applied
	// (${VAR}, {{ .Values.x }}, a port written as a word): their names, labels and ports are not
	// what the cluster will see.
	Templated bool
	// Ignore lists the rules its podlint.io/ignore annotations name.
	Ignore []string
	Locs   []Loc
}

// Pod is a pod the object makes: its labels and the ports its containers declare.
type Pod struct {
	Labels map[string]string
	Ports  []Port
	At     int
	// Templated: a containerPort is not a number (a placeholder), so the ports are not known.
	Templated bool
}

// Port is one declared container port (regular containers and native sidecars: the ports a
// Service's named targetPort can resolve to).
type Port struct {
	Name      string
	Number    int
	Protocol  string
	Container string
}

// Selector is a label selector that picks pods: a Service's spec.selector (labels only), a
// PodDisruptionBudget's spec.selector, a NetworkPolicy's spec.podSelector.
type Selector struct {
	Field       string
	MatchLabels map[string]string
	Expressions []Requirement
	At          int
}

// Requirement is one matchExpressions entry.
type Requirement struct {
	Key      string
	Operator string
	Values   []string
}

// Service is what a Service says about how it is reached.
type Service struct {
	Type      string
	ClusterIP string
	Ports     []ServicePort
}

// ServicePort is one entry of a Service's ports. TargetPort is a string (a port name) or an int;
// absent, it is the port's number.
type ServicePort struct {
	Name       string
	Port       int
	Protocol   string
	TargetPort any
	// At is the position of targetPort (or of the entry when it has none).
	At int
}

// Ref is a reference by name to another object of the same namespace.
type Ref struct {
	// Field names what refers, as the manifest writes it (spec.scaleTargetRef, spec.serviceName,
	// an Ingress backend's service).
	Field      string
	APIVersion string
	Kind       string
	Name       string
	// Port, for an Ingress backend, is the Service port it names: a string (a port name) or an int;
	// nil when it names none.
	Port   any
	At     int
	PortAt int
}

// Locate places a document path: the position of the value (or of the key, atKey) in the file a
// person edits.
type Locate func(p manifest.Path, atKey bool) Loc

// Extract makes the compact form of one document. namespace is the namespace of an object that
// sets none. It returns nil for a document that is not an object with a kind.
func Extract(doc *manifest.Document, namespace string, locate Locate) *Object {
	v := doc.Value
	if doc.Object.Kind == "" {
		return nil
	}
	if namespace == "" {
		namespace = DefaultNamespace
	}
	o := &Object{APIVersion: doc.Object.APIVersion, Kind: doc.Object.Kind, Name: doc.Object.Name, Namespace: namespace}
	if doc.Object.Namespace != "" {
		o.Namespace, o.NamespaceSet = doc.Object.Namespace, true
	}
	at := func(p manifest.Path, atKey bool) int {
		o.Locs = append(o.Locs, locate(p, atKey))
		return len(o.Locs) - 1
	}
	if _, ok := manifest.Get(v, manifest.Path{"metadata", "name"}); ok {
		o.At = at(manifest.Path{"metadata", "name"}, false)
	} else {
		o.At = at(manifest.Path{"kind"}, false)
	}
	o.Labels = stringMap(get(v, "metadata", "labels"))
	o.Ignore = ignoreList(doc)
	for _, p := range doc.Pods {
		spec, ok := manifest.Get(v, p.Spec)
		if _, isMap := spec.(map[string]any); !ok || !isMap {
			continue
		}
		labelsPath := p.Metadata.Append("labels")
		pod := Pod{At: o.At}
		if lv, ok := manifest.Get(v, labelsPath); ok {
			pod.Labels, pod.At = stringMap(lv), at(labelsPath, true)
		}
		pod.Ports, pod.Templated = podPorts(spec.(map[string]any))
		o.Pods = append(o.Pods, pod)
	}
	group, _ := groupOf(o.APIVersion)
	switch {
	case group == "" && o.Kind == "Service":
		o.Service = service(v, at)
		if sel, ok := get(v, "spec", "selector").(map[string]any); ok && len(sel) > 0 {
			o.Selector = &Selector{Field: "spec.selector", MatchLabels: stringMap(sel), At: at(manifest.Path{"spec", "selector"}, true)}
		}
	case group == "policy" && o.Kind == "PodDisruptionBudget":
		o.Selector = labelSelector(v, manifest.Path{"spec", "selector"}, at)
	case group == "networking.k8s.io" && o.Kind == "NetworkPolicy":
		o.Selector = labelSelector(v, manifest.Path{"spec", "podSelector"}, at)
	case group == "autoscaling" && o.Kind == "HorizontalPodAutoscaler":
		if ref, ok := get(v, "spec", "scaleTargetRef").(map[string]any); ok {
			if name, _ := ref["name"].(string); name != "" {
				kind, _ := ref["kind"].(string)
				api, _ := ref["apiVersion"].(string)
				o.Refs = append(o.Refs, Ref{Field: "spec.scaleTargetRef", APIVersion: api, Kind: kind, Name: name,
					At: at(manifest.Path{"spec", "scaleTargetRef", "name"}, false)})
			}
		}
	case (group == "networking.k8s.io" || group == "extensions") && o.Kind == "Ingress":
		o.Refs = ingressBackends(v, at)
	case group == "apps" && o.Kind == "StatefulSet":
		if name, _ := get(v, "spec", "serviceName").(string); name != "" {
			o.Refs = append(o.Refs, Ref{Field: "spec.serviceName", APIVersion: "v1", Kind: "Service", Name: name,
				At: at(manifest.Path{"spec", "serviceName"}, false)})
		}
	}
	o.Templated = templated(o)
	return o
}

// placeholder says whether a value is a template's placeholder rather than a value: ${VAR},
// $(VAR), {{ ... }}.
func placeholder(s string) bool {
	return strings.Contains(s, "${") || strings.Contains(s, "$(") || strings.Contains(s, "{{")
}

func templated(o *Object) bool {
	if placeholder(o.Name) || placeholder(o.Namespace) || placeholderMap(o.Labels) {
		return true
	}
	for _, p := range o.Pods {
		if p.Templated || placeholderMap(p.Labels) {
			return true
		}
		for _, pt := range p.Ports {
			if placeholder(pt.Name) {
				return true
			}
		}
	}
	if s := o.Selector; s != nil {
		if placeholderMap(s.MatchLabels) {
			return true
		}
		for _, r := range s.Expressions {
			if placeholder(r.Key) || placeholder(strings.Join(r.Values, ",")) {
				return true
			}
		}
	}
	if s := o.Service; s != nil {
		for _, p := range s.Ports {
			if p.Port == 0 {
				return true // a port written as a word, for sed or envsubst to replace
			}
			if t, ok := p.TargetPort.(string); ok && placeholder(t) {
				return true
			}
		}
	}
	for _, r := range o.Refs {
		if placeholder(r.Name) || placeholder(r.Kind) {
			return true
		}
		if t, ok := r.Port.(string); ok && placeholder(t) {
			return true
		}
	}
	return false
}

func placeholderMap(m map[string]string) bool {
	for k, v := range m {
		if placeholder(k) || placeholder(v) {
			return true
		}
	}
	return false
}

func groupOf(apiVersion string) (group, version string) {
	if g, v, ok := strings.Cut(apiVersion, "/"); ok {
		return g, v
	}
	return "", apiVersion
}

func get(v any, path ...string) any {
	x, _ := manifest.Get(v, manifest.Path(path))
	return x
}

// stringMap reads a labels map, values as kubectl would print them.
func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k] = scalar(x)
	}
	return out
}

func scalar(x any) string {
	switch s := x.(type) {
	case string:
		return s
	case nil:
		return ""
	}
	return fmt.Sprint(x)
}

func intOf(x any) (int, bool) {
	switch n := x.(type) {
	case int64:
		return int(n), true
	case int:
		return n, true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	}
	return 0, false
}

// podPorts lists the ports of the regular containers and of native sidecars (init containers that
// keep running), the containers a Service port can reach.
func podPorts(spec map[string]any) (out []Port, unknown bool) {
	add := func(c map[string]any) {
		name, _ := c["name"].(string)
		ports, _ := c["ports"].([]any)
		for _, p := range ports {
			pm, _ := p.(map[string]any)
			n, ok := intOf(pm["containerPort"])
			if !ok {
				unknown = true
				continue
			}
			port := Port{Number: n, Container: name, Protocol: "TCP"}
			port.Name, _ = pm["name"].(string)
			if proto, _ := pm["protocol"].(string); proto != "" {
				port.Protocol = proto
			}
			out = append(out, port)
		}
	}
	cs, _ := spec["containers"].([]any)
	for _, c := range cs {
		if m, ok := c.(map[string]any); ok {
			add(m)
		}
	}
	ics, _ := spec["initContainers"].([]any)
	for _, c := range ics {
		if m, ok := c.(map[string]any); ok && m["restartPolicy"] == "Always" {
			add(m)
		}
	}
	return out, unknown
}

func service(v any, at func(manifest.Path, bool) int) *Service {
	s := &Service{Type: "ClusterIP"}
	if t, _ := get(v, "spec", "type").(string); t != "" {
		s.Type = t
	}
	s.ClusterIP = scalar(get(v, "spec", "clusterIP"))
	ports, _ := get(v, "spec", "ports").([]any)
	for i, p := range ports {
		pm, ok := p.(map[string]any)
		if !ok {
			continue
		}
		sp := ServicePort{Protocol: "TCP"}
		sp.Name, _ = pm["name"].(string)
		sp.Port, _ = intOf(pm["port"])
		if proto, _ := pm["protocol"].(string); proto != "" {
			sp.Protocol = proto
		}
		base := manifest.Path{"spec", "ports", strconv.Itoa(i)}
		switch tp := pm["targetPort"].(type) {
		case string:
			sp.TargetPort = tp
			if n, err := strconv.Atoi(tp); err == nil {
				sp.TargetPort = n // an IntOrString given as a string of digits is still a number
			}
			sp.At = at(base.Append("targetPort"), false)
		default:
			if n, ok := intOf(tp); ok {
				sp.TargetPort = n
				sp.At = at(base.Append("targetPort"), false)
			} else {
				sp.TargetPort = sp.Port
				sp.At = at(base, false)
			}
		}
		s.Ports = append(s.Ports, sp)
	}
	return s
}

func labelSelector(v any, p manifest.Path, at func(manifest.Path, bool) int) *Selector {
	x, ok := manifest.Get(v, p)
	if !ok {
		return nil
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil
	}
	s := &Selector{Field: strings.Join(p, "."), MatchLabels: stringMap(m["matchLabels"]), At: at(p, true)}
	exprs, _ := m["matchExpressions"].([]any)
	for _, e := range exprs {
		em, ok := e.(map[string]any)
		if !ok {
			continue
		}
		r := Requirement{Key: scalar(em["key"]), Operator: scalar(em["operator"])}
		vals, _ := em["values"].([]any)
		for _, x := range vals {
			r.Values = append(r.Values, scalar(x))
		}
		s.Expressions = append(s.Expressions, r)
	}
	return s
}

// ingressBackends lists the Services an Ingress sends traffic to: networking.k8s.io/v1
// (backend.service.name and port.name or port.number) and the older serviceName/servicePort.
func ingressBackends(v any, at func(manifest.Path, bool) int) []Ref {
	var refs []Ref
	backend := func(p manifest.Path) {
		b, ok := mapAt(v, p)
		if !ok {
			return
		}
		if svc, ok := b["service"].(map[string]any); ok {
			name, _ := svc["name"].(string)
			if name == "" {
				return
			}
			r := Ref{Field: "backend.service", APIVersion: "v1", Kind: "Service", Name: name, At: at(p.Append("service", "name"), false)}
			if port, ok := svc["port"].(map[string]any); ok {
				if n, ok := intOf(port["number"]); ok {
					r.Port, r.PortAt = n, at(p.Append("service", "port", "number"), false)
				} else if s, _ := port["name"].(string); s != "" {
					r.Port, r.PortAt = s, at(p.Append("service", "port", "name"), false)
				}
			}
			refs = append(refs, r)
			return
		}
		if name, _ := b["serviceName"].(string); name != "" {
			r := Ref{Field: "backend.serviceName", APIVersion: "v1", Kind: "Service", Name: name, At: at(p.Append("serviceName"), false)}
			switch sp := b["servicePort"].(type) {
			case string:
				r.Port, r.PortAt = sp, at(p.Append("servicePort"), false)
				if n, err := strconv.Atoi(sp); err == nil {
					r.Port = n
				}
			default:
				if n, ok := intOf(sp); ok {
					r.Port, r.PortAt = n, at(p.Append("servicePort"), false)
				}
			}
			refs = append(refs, r)
		}
	}
	backend(manifest.Path{"spec", "defaultBackend"})
	backend(manifest.Path{"spec", "backend"})
	rules, _ := get(v, "spec", "rules").([]any)
	for i, r := range rules {
		rm, _ := r.(map[string]any)
		http, _ := rm["http"].(map[string]any)
		paths, _ := http["paths"].([]any)
		for j := range paths {
			backend(manifest.Path{"spec", "rules", strconv.Itoa(i), "http", "paths", strconv.Itoa(j), "backend"})
		}
	}
	return refs
}

func mapAt(v any, p manifest.Path) (map[string]any, bool) {
	x, ok := manifest.Get(v, p)
	if !ok {
		return nil, false
	}
	m, ok := x.(map[string]any)
	return m, ok
}

// LocOf makes a Loc from a finding that lint has placed.
func LocOf(f lint.Finding) Loc {
	return Loc{File: f.File, Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
		Source: f.Source, Path: f.Path, Template: f.Template, Object: f.Object}
}

// sortObjects orders objects by their own position, so that the index, and everything derived
// from it, is the same whatever order the workers finished in.
func sortObjects(objs []*Object) {
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i].Locs[objs[i].At], objs[j].Locs[objs[j].At]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return objs[i].Kind+"/"+objs[i].Name < objs[j].Kind+"/"+objs[j].Name
	})
}
