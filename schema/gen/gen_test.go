package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCommittedSchemaIsCurrent regenerates the schema from the recorded Kubernetes version and
// compares it with the committed file, so that a hand edit or a generator change without
// `go generate ./schema` fails here.
func TestCommittedSchemaIsCurrent(t *testing.T) {
	dir := ".."
	version, err := recordedVersion(dir)
	if err != nil {
		t.Fatal(err)
	}
	modDir, err := downloadKubernetes(version)
	if err != nil {
		t.Skipf("cannot check the committed schema against Kubernetes %s: the spec cannot be downloaded: %v", version, err)
	}
	want, err := generateFrom(modDir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, schemaFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("schema/%s differs from what the generator makes from Kubernetes %s: run `go generate ./schema` and commit the result\n%s",
			schemaFile, version, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			c := 0
			for c < len(gl) && c < len(wl) && gl[c] == wl[c] {
				c++
			}
			from := max(c-60, 0)
			return fmt.Sprintf("first difference at line %d, column %d:\ncommitted: ...%.120s\ngenerated: ...%.120s",
				i+1, c+1, gl[min(from, len(gl)):], wl[min(from, len(wl)):])
		}
	}
	return ""
}

// fakeSpec builds a swagger.json whose roots all share one spec definition, plus extra definitions.
func fakeSpec(t *testing.T, spec map[string]any, extra map[string]any) []byte {
	t.Helper()
	defs := map[string]any{"io.k8s.api.test.v1.Spec": spec}
	for _, r := range roots {
		group := r.Group
		if group == "" {
			group = "core"
		}
		defs["io.k8s.api."+group+"."+r.Version+"."+r.Kind] = map[string]any{
			"type": "object",
			"properties": map[string]any{
				"apiVersion": map[string]any{"type": "string"},
				"kind":       map[string]any{"type": "string"},
				"spec":       map[string]any{"$ref": "#/definitions/io.k8s.api.test.v1.Spec"},
				"status":     map[string]any{"$ref": "#/definitions/io.k8s.api.test.v1.Status"},
			},
			"x-kubernetes-group-version-kind": []any{map[string]any{"group": r.Group, "version": r.Version, "kind": r.Kind}},
		}
	}
	defs["io.k8s.api.test.v1.Status"] = map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{"type": "string"}}}
	for k, v := range extra {
		defs[k] = v
	}
	b, err := json.Marshal(map[string]any{"definitions": defs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const fakeGoDefs = `package openapi

import testv1 "k8s.io/api/test/v1"

func GetOpenAPIDefinitions(ref common.ReferenceCallback) map[string]common.OpenAPIDefinition {
	return map[string]common.OpenAPIDefinition{
		testv1.Spec{}.OpenAPIModelName(): schema_spec(ref),
	}
}

func schema_spec(ref common.ReferenceCallback) common.OpenAPIDefinition {
	return common.OpenAPIDefinition{
		Schema: spec.Schema{
			SchemaProps: spec.SchemaProps{
				Properties: map[string]spec.Schema{
					"protocol": {SchemaProps: spec.SchemaProps{Type: []string{"string"}, Enum: []interface{}{"UDP", "TCP"}}},
					"modes": {SchemaProps: spec.SchemaProps{Type: []string{"array"},
						Items: &spec.SchemaOrArray{Schema: &spec.Schema{SchemaProps: spec.SchemaProps{Enum: []interface{}{"B", "A"}}}}}},
				},
			},
		},
	}
}
`

func TestGenerate(t *testing.T) {
	str := map[string]any{"type": "string"}
	tests := []struct {
		name  string
		spec  map[string]any
		extra map[string]any
		// want maps a path into the output (slash-separated) to its expected JSON.
		want    map[string]string
		wantErr string
	}{
		{
			name: "objects are closed, required kept, descriptions dropped",
			spec: map[string]any{"type": "object", "description": "d", "required": []any{"b", "a"},
				"properties": map[string]any{"a": str, "b": map[string]any{"type": "integer", "format": "int32", "description": "x"}}},
			want: map[string]string{
				"definitions/test.v1.Spec": `{"additionalProperties":false,"properties":{"a":{"type":"string"},"b":{"type":"integer"}},"required":["a","b"],"type":"object"}`,
			},
		},
		{
			name: "roots check apiVersion and kind, status is free-form",
			spec: map[string]any{"type": "object", "properties": map[string]any{"a": str}},
			want: map[string]string{
				"definitions/apps.v1.Deployment/properties/apiVersion": `{"enum":["apps/v1"],"type":"string"}`,
				"definitions/core.v1.Pod/properties/kind":              `{"enum":["Pod"],"type":"string"}`,
				"definitions/core.v1.Pod/properties/status":            `{"type":"object"}`,
				"definitions/core.v1.Pod/required":                     `["apiVersion","kind"]`,
				"kinds/CronJob":                                        `{"apiVersion":"batch/v1","definition":"batch.v1.CronJob"}`,
				"definitions/test.v1.Status":                           ``,
			},
		},
		{
			name: "int-or-string and quantity",
			spec: map[string]any{"type": "object", "properties": map[string]any{
				"port": map[string]any{"$ref": "#/definitions/" + intOrStringDef},
				"mem":  map[string]any{"$ref": "#/definitions/" + quantityDef},
				"raw":  map[string]any{"type": "string", "format": "int-or-string"},
			}},
			extra: map[string]any{
				intOrStringDef: map[string]any{"type": "string", "format": "int-or-string"},
				quantityDef:    map[string]any{"type": "string"},
			},
			want: map[string]string{
				"definitions/util.intstr.IntOrString":      `{"type":["integer","string"]}`,
				"definitions/api.resource.Quantity/type":   `["string","number"]`,
				"definitions/test.v1.Spec/properties/port": `{"$ref":"#/definitions/util.intstr.IntOrString"}`,
				"definitions/test.v1.Spec/properties/raw":  `{"type":["integer","string"]}`,
			},
		},
		{
			name: "enums from the Go definitions, empty string allowed",
			spec: map[string]any{"type": "object", "properties": map[string]any{
				"protocol": str,
				"modes":    map[string]any{"type": "array", "items": str},
			}},
			want: map[string]string{
				"definitions/test.v1.Spec/properties/protocol":    `{"enum":["","TCP","UDP"],"type":"string"}`,
				"definitions/test.v1.Spec/properties/modes/items": `{"enum":["","A","B"],"type":"string"}`,
			},
		},
		{
			name: "maps and free-form objects",
			spec: map[string]any{"type": "object", "properties": map[string]any{
				"labels": map[string]any{"type": "object", "additionalProperties": str},
				"raw":    map[string]any{"type": "object"},
				"when":   map[string]any{"type": "string", "format": "date-time"},
			}},
			want: map[string]string{
				"definitions/test.v1.Spec/properties/labels": `{"additionalProperties":{"type":"string"},"type":"object"}`,
				"definitions/test.v1.Spec/properties/raw":    `{"type":"object"}`,
				"definitions/test.v1.Spec/properties/when":   `{"format":"date-time","type":"string"}`,
			},
		},
		{
			name:    "an unknown keyword is refused",
			spec:    map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"oneOf": []any{str}}}},
			wantErr: `unsupported keyword "oneOf"`,
		},
		{
			name:    "a dangling reference is refused",
			spec:    map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"$ref": "#/definitions/nope"}}},
			wantErr: `unresolvable reference`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := generate(fakeSpec(t, tt.spec, tt.extra), []byte(fakeGoDefs))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			for path, want := range tt.want {
				var v any = doc
				for _, seg := range strings.Split(path, "/") {
					m, _ := v.(map[string]any)
					v = m[seg]
				}
				got := ""
				if v != nil {
					b, _ := json.Marshal(v)
					got = string(b)
				}
				if got != want {
					t.Errorf("%s = %s, want %s", path, got, want)
				}
			}
		})
	}
}

func TestMissingRoot(t *testing.T) {
	spec := fakeSpec(t, map[string]any{"type": "object"}, map[string]any{"io.k8s.api.batch.v1.Job": map[string]any{"type": "object"}})
	if _, err := generate(spec, []byte(fakeGoDefs)); err == nil || !strings.Contains(err.Error(), "defines no batch/v1 Job") {
		t.Fatalf("err = %v, want a missing Job", err)
	}
}

func TestQuantityPattern(t *testing.T) {
	re := regexp.MustCompile(quantityPattern)
	tests := []struct {
		in   string
		want bool
	}{
		{"500m", true}, {"1", true}, {"1Gi", true}, {"1.5", true}, {".5", true}, {"1.", true},
		{"1e3", true}, {"1E-3", true}, {"+1", true}, {"-1", true}, {" 2 ", true}, {"128974848", true},
		{"129M", true}, {"123Mi", true}, {"100k", true}, {"5n", true}, {"2u", true}, {"1Ei", true},
		{"", false}, {" ", false}, {"1GB", false}, {"1K", false}, {"1Ki ", true}, {"1ki", false},
		{"abc", false}, {"1.2.3", false}, {"Gi", false}, {"1 Gi", false}, {"1e", false}, {"0x10", false},
	}
	for _, tt := range tests {
		if got := re.MatchString(tt.in); got != tt.want {
			t.Errorf("quantity %q: match = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestReadEnums(t *testing.T) {
	enums, err := readEnums([]byte(fakeGoDefs))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(enums)
	want := "map[io.k8s.api.test.v1.Spec:map[modes[]:[A B] protocol:[TCP UDP]]]"
	if got != want {
		t.Errorf("enums = %s, want %s", got, want)
	}
	if _, err := readEnums([]byte("package openapi\n")); err == nil {
		t.Error("a file without GetOpenAPIDefinitions was accepted")
	}
}

func TestReverseDomain(t *testing.T) {
	tests := map[string]string{
		"k8s.io/api/core/v1":                   "io.k8s.api.core.v1",
		"k8s.io/apimachinery/pkg/apis/meta/v1": "io.k8s.apimachinery.pkg.apis.meta.v1",
		"sigs.k8s.io/x":                        "io.k8s.sigs.x",
	}
	for in, want := range tests {
		if got := reverseDomain(in); got != want {
			t.Errorf("reverseDomain(%q) = %q, want %q", in, got, want)
		}
	}
}
