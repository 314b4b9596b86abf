package manifest

import (
	"fmt"
	"reflect"
	"testing"
)

func TestParseStreamAnyShape(t *testing.T) {
	const src = `- op: add
  path: /spec/containers/0/ports/-
  value:
    containerPort: 8080
---
# only a comment
---
spec:
  replicas: 3
---
"just text"
`
	s := ParseStream("patch.yaml", []byte(src))
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %v", s.Problems)
	}
	var got []string
	for _, tr := range s.Trees {
		got = append(got, fmt.Sprintf("%d %s %T", tr.Index, tr.Position(nil), tr.Value))
	}
	want := []string{"0 1:1 []interface {}", "1 8:1 map[string]interface {}", "2 11:1 string"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trees = %q, want %q", got, want)
	}
	ops := s.Trees[0]
	for _, c := range []struct {
		path   Path
		key    bool
		want   string
		endCol int
	}{
		{Path{"0", "path"}, false, "2:9", 35},
		{Path{"0", "value"}, false, "3:3", 8},
		{Path{"0", "value", "containerPort"}, false, "4:20", 24},
		{Path{"0", "value", "containerPort"}, true, "4:5", 18},
		{Path{"0", "value", "missing"}, false, "3:3", 8},
	} {
		var p Position
		if c.key {
			p = ops.KeyPosition(c.path)
		} else {
			p = ops.Position(c.path)
		}
		if p.String() != c.want || p.EndColumn != c.endCol {
			t.Errorf("position of %v (key %v) = %s end %d, want %s end %d", c.path, c.key, p, p.EndColumn, c.want, c.endCol)
		}
	}
	if v, _ := Get(s.Trees[1].Value, Path{"spec", "replicas"}); v != int64(3) {
		t.Errorf("replicas = %#v, want int64 3", v)
	}
}

// ParseStream gives a Kubernetes object the same value, index and positions as Load.
func TestParseStreamMatchesLoad(t *testing.T) {
	src := "---\n" + fmt.Sprintf(pod, "a") + "---\nkind: x\n---\n" + fmt.Sprintf(pod, "b") + "  - name: d\n    <<: &m {image: j, ports: [{containerPort: 0777}]}\n"
	f := Load("x.yaml", []byte(src))
	s := ParseStream("x.yaml", []byte(src))
	if len(f.Documents) != 2 || len(s.Trees) != 3 {
		t.Fatalf("documents %d, trees %d", len(f.Documents), len(s.Trees))
	}
	for _, d := range f.Documents {
		tr := s.Trees[d.Index]
		if !reflect.DeepEqual(tr.Value, any(d.Value)) {
			t.Errorf("document %d: value %v, want %v", d.Index, tr.Value, d.Value)
		}
		for _, p := range []Path{nil, {"spec", "containers"}, {"spec", "containers", "1", "ports", "0", "containerPort"},
			{"spec", "containers", "0", "image"}, {"metadata", "labels", "x"}} {
			if got, want := tr.Position(p), d.Position(p); got != want {
				t.Errorf("document %d: Position(%v) = %+v, want %+v", d.Index, p, got, want)
			}
			if got, want := tr.KeyPosition(p), d.KeyPosition(p); got != want {
				t.Errorf("document %d: KeyPosition(%v) = %+v, want %+v", d.Index, p, got, want)
			}
		}
	}
}

func TestParseStreamProblems(t *testing.T) {
	tests := []struct {
		name, src string
		trees     []int // indexes of the trees kept
		problems  []string
	}{
		{"syntax error keeps the others", "a: 1\n---\nb: [\n---\nc: 3\r\n", []int{0, 1}, []string{"4:1 parse-error"}},
		{"undecodable value uses its index", "a: .nan\n---\nb: 2\n", []int{1}, []string{"1:4 parse-error"}},
		{"binary", "a: 1\n\x00", nil, []string{"2:1 unreadable-file"}},
		{"not UTF-8", "a: \xff\n", nil, []string{"1:4 unreadable-file"}},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		s := ParseStream("x.yaml", []byte(tt.src))
		var idx []int
		for _, tr := range s.Trees {
			idx = append(idx, tr.Index)
		}
		var probs []string
		for _, p := range s.Problems {
			probs = append(probs, fmt.Sprintf("%s %s", p.Pos, p.Rule))
		}
		if !reflect.DeepEqual(idx, tt.trees) || !reflect.DeepEqual(probs, tt.problems) {
			t.Errorf("%s: trees %v problems %q, want %v %q", tt.name, idx, probs, tt.trees, tt.problems)
		}
	}
}
