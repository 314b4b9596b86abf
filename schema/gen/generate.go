package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// kindRoot is a kind podlint validates, with the group/version the API serves it at.
type kindRoot struct {
	Group, Version, Kind string
}

// apiVersion is the apiVersion written in manifests: "v1" for the core group, "apps/v1" otherwise.
func (k kindRoot) apiVersion() string {
	if k.Group == "" {
		return k.Version
	}
	return k.Group + "/" + k.Version
}

// roots are the pod-bearing kinds; only they and what they reference go into the schema.
var roots = []kindRoot{
	{"", "v1", "Pod"},
	{"", "v1", "PodTemplate"},
	{"", "v1", "ReplicationController"},
	{"apps", "v1", "Deployment"},
	{"apps", "v1", "StatefulSet"},
	{"apps", "v1", "DaemonSet"},
	{"apps", "v1", "ReplicaSet"},
	{"batch", "v1", "Job"},
	{"batch", "v1", "CronJob"},
}

// serverRequired lists fields the published spec marks optional but the API server's validation
// rejects when missing, for every object podlint validates. The spec leaves them optional so that
// tools may fill them in before an object reaches the server; a manifest without them cannot be
// applied.
var serverRequired = map[string][]string{
	"io.k8s.api.core.v1.Container":          {"image"},
	"io.k8s.api.core.v1.EphemeralContainer": {"image"},
}

// Names of the definitions that need a schema of their own instead of a translation of the spec.
const (
	intOrStringDef = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
	quantityDef    = "io.k8s.apimachinery.pkg.api.resource.Quantity"
)

// quantityPattern is what resource.ParseQuantity accepts once surrounding blanks are trimmed: a
// signed decimal number, then an optional suffix (binary Ki..Ei, decimal n, u, m, k, M..E, or an
// exponent such as e3). Checked against the parser on every string of up to four pieces from digits,
// signs, dots, suffix letters and blanks: they agree on each one whose number has a digit; the parser
// also takes a few strings with no digit at all ("k", "+e1"), which this refuses.
const quantityPattern = `^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]*)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?\s*$`

// ignoredKeywords are spec keywords that do not change which documents are valid.
var ignoredKeywords = map[string]bool{
	"description": true, "x-kubernetes-list-type": true, "x-kubernetes-list-map-keys": true,
	"x-kubernetes-patch-strategy": true, "x-kubernetes-patch-merge-key": true,
	"x-kubernetes-map-type": true, "x-kubernetes-unions": true, "x-kubernetes-group-version-kind": true,
}

// specSchema is the part of an OpenAPI v2 schema the generator understands.
type specSchema struct {
	Ref                  string                 `json:"$ref"`
	Type                 string                 `json:"type"`
	Format               string                 `json:"format"`
	Properties           map[string]*specSchema `json:"properties"`
	Required             []string               `json:"required"`
	Items                *specSchema            `json:"items"`
	AdditionalProperties *specSchema            `json:"additionalProperties"`
	GVK                  []struct {
		Group, Version, Kind string
	} `json:"x-kubernetes-group-version-kind"`

	rest map[string]json.RawMessage // every keyword, to refuse the ones not understood
}

func (s *specSchema) UnmarshalJSON(b []byte) error {
	type plain specSchema
	if err := json.Unmarshal(b, (*plain)(s)); err != nil {
		return err
	}
	return json.Unmarshal(b, &s.rest)
}

// generator turns the definitions reachable from the roots into a compact JSON Schema.
type generator struct {
	spec  map[string]*specSchema
	enums enumSet
	short map[string]string // OpenAPI name -> short definition name
	out   map[string]any    // short name -> schema
	queue []string
}

// generate builds the schema document from swagger.json and the generated Go definitions.
func generate(swagger, goDefs []byte) ([]byte, error) {
	var doc struct {
		Definitions map[string]*specSchema `json:"definitions"`
	}
	if err := json.Unmarshal(swagger, &doc); err != nil {
		return nil, fmt.Errorf("read swagger.json: %w", err)
	}
	if len(doc.Definitions) == 0 {
		return nil, fmt.Errorf("swagger.json has no definitions")
	}
	enums, err := readEnums(goDefs)
	if err != nil {
		return nil, err
	}
	g := &generator{spec: doc.Definitions, enums: enums, short: map[string]string{}, out: map[string]any{}}
	g.assignShortNames()
	kinds := map[string]any{}
	for _, r := range roots {
		name, err := g.findRoot(r)
		if err != nil {
			return nil, err
		}
		kinds[r.Kind] = map[string]string{"apiVersion": r.apiVersion(), "definition": g.short[name]}
		g.queue = append(g.queue, name)
	}
	for len(g.queue) > 0 {
		name := g.queue[0]
		g.queue = g.queue[1:]
		if _, done := g.out[g.short[name]]; done {
			continue
		}
		s, err := g.definition(name)
		if err != nil {
			return nil, err
		}
		g.out[g.short[name]] = s
	}
	return g.write(kinds)
}

// assignShortNames drops the long package prefixes (io.k8s.api.core.v1.Pod -> core.v1.Pod): the last
// three segments name a definition, and keep every $ref short. Names that would clash keep their
// full form.
func (g *generator) assignShortNames() {
	byShort := map[string][]string{}
	for name := range g.spec {
		parts := strings.Split(name, ".")
		s := name
		if len(parts) > 3 {
			s = strings.Join(parts[len(parts)-3:], ".")
		}
		byShort[s] = append(byShort[s], name)
	}
	for s, names := range byShort {
		for _, n := range names {
			g.short[n] = n
			if len(names) == 1 {
				g.short[n] = s
			}
		}
	}
}

func (g *generator) findRoot(r kindRoot) (string, error) {
	for name, s := range g.spec {
		for _, gvk := range s.GVK {
			if gvk.Group == r.Group && gvk.Version == r.Version && gvk.Kind == r.Kind {
				return name, nil
			}
		}
	}
	return "", fmt.Errorf("swagger.json defines no %s %s", r.apiVersion(), r.Kind)
}

// ref returns a reference to a definition and queues it for output.
func (g *generator) ref(specRef string) (map[string]any, error) {
	name, ok := strings.CutPrefix(specRef, "#/definitions/")
	if !ok || g.spec[name] == nil {
		return nil, fmt.Errorf("unresolvable reference %q", specRef)
	}
	g.queue = append(g.queue, name)
	return map[string]any{"$ref": "#/definitions/" + g.short[name]}, nil
}

// definition converts one named definition.
func (g *generator) definition(name string) (map[string]any, error) {
	switch name {
	case intOrStringDef:
		// The API server reads an int32 number or a string (a port number or a port name).
		return map[string]any{"type": []string{"integer", "string"}}, nil
	case quantityDef:
		// A quantity is written as a string ("500m", "1Gi") or a plain number (1, 0.5).
		return map[string]any{"type": []string{"string", "number"}, "pattern": quantityPattern}, nil
	}
	s := g.spec[name]
	out, err := g.convert(s, name, "")
	if err != nil {
		return nil, fmt.Errorf("definition %s: %w", name, err)
	}
	if extra := serverRequired[name]; len(extra) > 0 {
		out["required"] = mergeRequired(out["required"], extra)
	}
	for _, r := range roots {
		for _, gvk := range s.GVK {
			if gvk.Group == r.Group && gvk.Version == r.Version && gvk.Kind == r.Kind {
				props := out["properties"].(map[string]any)
				props["apiVersion"] = map[string]any{"type": "string", "enum": []string{r.apiVersion()}}
				props["kind"] = map[string]any{"type": "string", "enum": []string{r.Kind}}
				out["required"] = mergeRequired(out["required"], []string{"apiVersion", "kind"})
			}
		}
	}
	return out, nil
}

func mergeRequired(have any, extra []string) []string {
	set := map[string]bool{}
	var out []string
	if h, ok := have.([]string); ok {
		for _, r := range h {
			set[r] = true
			out = append(out, r)
		}
	}
	for _, r := range extra {
		if !set[r] {
			set[r] = true
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// convert translates one spec schema. def and loc say where it sits (definition, and location inside
// it as in enumSet) so that enum values can be attached.
func (g *generator) convert(s *specSchema, def, loc string) (map[string]any, error) {
	for k := range s.rest {
		switch k {
		case "$ref", "type", "format", "properties", "required", "items", "additionalProperties":
		default:
			if !ignoredKeywords[k] {
				return nil, fmt.Errorf("%s: unsupported keyword %q", locName(loc), k)
			}
		}
	}
	if s.Ref != "" {
		return g.ref(s.Ref)
	}
	out := map[string]any{}
	switch s.Type {
	case "object":
		out["type"] = "object"
		if len(s.Properties) > 0 {
			props := map[string]any{}
			for p, ps := range s.Properties {
				if loc == "" && p == "status" && ps.Ref != "" {
					// Status is written by the cluster, never by the user; objects fetched with
					// kubectl get carry it, and it may hold fields newer than this schema.
					props[p] = map[string]any{"type": "object"}
					continue
				}
				c, err := g.convert(ps, def, joinLoc(loc, p))
				if err != nil {
					return nil, err
				}
				props[p] = c
			}
			out["properties"] = props
			out["additionalProperties"] = false
			if len(s.Required) > 0 {
				req := append([]string(nil), s.Required...)
				sort.Strings(req)
				out["required"] = req
			}
		} else if s.AdditionalProperties != nil {
			c, err := g.convert(s.AdditionalProperties, def, loc+"{}")
			if err != nil {
				return nil, err
			}
			out["additionalProperties"] = c
		}
		// An object with neither properties nor additionalProperties is free-form (FieldsV1,
		// RawExtension): anything goes inside.
	case "array":
		out["type"] = "array"
		if s.Items == nil {
			return nil, fmt.Errorf("%s: array without items", locName(loc))
		}
		c, err := g.convert(s.Items, def, loc+"[]")
		if err != nil {
			return nil, err
		}
		out["items"] = c
	case "string", "integer", "number", "boolean":
		out["type"] = s.Type
		switch s.Format {
		case "int-or-string":
			out["type"] = []string{"integer", "string"}
		case "date-time":
			out["format"] = "date-time"
		}
		if vals := g.enums[def][loc]; len(vals) > 0 && loc != "" {
			if s.Type != "string" {
				return nil, fmt.Errorf("%s: enum on a %s", locName(loc), s.Type)
			}
			// An empty string is what the user gets by leaving the field out; the server defaults
			// it or reports it as missing, so it is not a wrong value.
			enum := []string{""}
			for _, v := range vals {
				if v != "" {
					enum = append(enum, v)
				}
			}
			out["enum"] = enum
		}
	case "":
		if len(s.Properties) > 0 || s.Items != nil || s.AdditionalProperties != nil {
			return nil, fmt.Errorf("%s: structure without a type", locName(loc))
		}
		// No type at all: any value.
	default:
		return nil, fmt.Errorf("%s: unknown type %q", locName(loc), s.Type)
	}
	return out, nil
}

func joinLoc(loc, prop string) string {
	if loc == "" {
		return prop
	}
	return loc + "." + prop
}

func locName(loc string) string {
	if loc == "" {
		return "the definition"
	}
	return "field " + loc
}

// write renders the schema: one definition per line, so that a new Kubernetes version shows up in a
// diff as the definitions that changed, while the file stays compact.
func (g *generator) write(kinds map[string]any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n\"$schema\": \"http://json-schema.org/draft-04/schema#\",\n\"kinds\": ")
	k, err := json.Marshal(kinds)
	if err != nil {
		return nil, err
	}
	b.Write(k)
	b.WriteString(",\n\"definitions\": {\n")
	names := make([]string, 0, len(g.out))
	for n := range g.out {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		v, err := json.Marshal(g.out[n])
		if err != nil {
			return nil, err
		}
		q, _ := json.Marshal(n)
		b.Write(q)
		b.WriteString(": ")
		b.Write(v)
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n}\n")
	return b.Bytes(), nil
}
