package manifest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// The JSON scanner must build what the YAML parser builds from the same text: the same node kinds,
// styles, values and positions, so that everything downstream sees no difference.

func yamlNode(t testing.TB, text string) (*yaml.Node, bool) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, false
	}
	return root.Content[0], true
}

func sameNodes(a, b *yaml.Node, path string) error {
	if a.Kind != b.Kind || a.Line != b.Line || a.Column != b.Column || a.Value != b.Value ||
		a.Style&(yaml.FlowStyle|yaml.DoubleQuotedStyle) != b.Style&(yaml.FlowStyle|yaml.DoubleQuotedStyle) {
		return fmt.Errorf("%s: json %+v, yaml %+v", path, *a, *b)
	}
	if len(a.Content) != len(b.Content) {
		return fmt.Errorf("%s: json has %d children, yaml %d", path, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if err := sameNodes(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkJSONMatchesYAML(t *testing.T, text string) {
	t.Helper()
	got, ok := parseJSON(text)
	if ok != json.Valid([]byte(text)) && !strings.Contains(text, strings.Repeat("[", 50)) && !strings.Contains(text, strings.Repeat("{", 50)) {
		t.Fatalf("JSON scanner says %v, encoding/json says %v for %q", ok, !ok, text)
	}
	want, yok := yamlNode(t, text)
	if !ok || !yok {
		// Valid JSON the YAML parser refuses (a leading tab, an escaped surrogate pair) is read as
		// JSON, as kubectl reads it; anything else still goes to the YAML parser.
		return
	}
	if err := sameNodes(got, want, ""); err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	a, b := &decoder{}, &decoder{}
	va, oka := a.decode(got)
	vb, okb := b.decode(want)
	if oka != okb || fmt.Sprint(va) != fmt.Sprint(vb) {
		t.Fatalf("%q decodes to %v (%v) from JSON, %v (%v) from YAML", text, va, oka, vb, okb)
	}
}

func TestJSONMatchesYAML(t *testing.T) {
	for _, text := range []string{
		`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}`,
		"{\n  \"a\": [1, 2.5, -3, 1e3, 0.5E-2, true, false, null],\n\t\"b\": {}, \"c\": []\n}\n",
		`{"é": "ü", "k": "tab\there \"quoted\" \u00e9 \/", "n": "x"}`,
		`[{"a":1},{"b":[[],[{}]]}]`,
		`{"port": "8080", "on": "yes", "v": 10000000000000000000000}`,
		`  {"a": "日本語", "b": "after multibyte"}`,
		`{"dup": 1, "dup": 2}`,
	} {
		checkJSONMatchesYAML(t, text)
		if _, ok := parseJSON(text); !ok {
			t.Errorf("JSON scanner refused valid JSON %q", text)
		}
	}
	if n, ok := parseJSON(`{"emoji": "\ud83d\ude00"}`); !ok || n.Content[1].Value != "\U0001F600" {
		t.Errorf("escaped surrogate pair not read as one character: %v", n)
	}
	for _, text := range []string{`{a: b}`, `{"a": 1} {"b": 2}`, `{"a": 01}`, `{"a": .5}`, `{"a": "x`, "{\"a\": \"line\nbreak\"}", `{"a": 1,}`, `[1 2]`, strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)} {
		if _, ok := parseJSON(text); ok {
			t.Errorf("JSON scanner accepted %q, which is not exactly one JSON value", text)
		}
	}
}

func FuzzJSONMatchesYAML(f *testing.F) {
	f.Add(`{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]}}`)
	f.Add(`[1, -0.5e+3, "\u00e9", {"": null}]`)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) || strings.Contains(text, "\r") {
			return // Load refuses such text, or normalises line breaks, before any parser sees it
		}
		checkJSONMatchesYAML(t, text)
	})
}

// A one-line JSON file with many values costs about as much per value as a short one: the scanner
// is linear where the YAML parser was quadratic. The assertion is on work (nodes built), not time.
func TestLongJSONLine(t *testing.T) {
	n := 200000
	var b strings.Builder
	b.WriteString(`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"x": "1"}, "list": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, i)
	}
	b.WriteString("]}")
	f := Load("big.json", []byte(b.String()))
	if len(f.Problems) != 0 || len(f.Documents) != 1 {
		t.Fatalf("problems %v, %d documents", f.Problems, len(f.Documents))
	}
	list := f.Documents[0].Value["list"].([]any)
	if len(list) != n {
		t.Fatalf("list has %d items, want %d", len(list), n)
	}
	p := f.Documents[0].Position(Path{"list", fmt.Sprint(n - 1)})
	if p.Line != 1 || p.Column != strings.LastIndex(b.String(), ",")+2 {
		t.Errorf("last item at %+v, want column %d", p, strings.LastIndex(b.String(), ",")+2)
	}
}

// The column index of long lines gives the same offsets as walking the line.
func TestColumnIndex(t *testing.T) {
	line := strings.Repeat("aé日😀", 3000)
	s := source{lines: []string{"short", line}, cols: &columns{}}
	runes := utf8.RuneCountInString(line)
	for _, col := range []int{1, 2, columnStep, columnStep + 1, columnStep + 2, 5 * columnStep, 5*columnStep + 7, runes, runes + 1, runes + 2, runes + columnStep} {
		if got, want := s.byteOffset(1, col), byteOffset(line, col); got != want {
			t.Errorf("column %d: offset %d, want %d", col, got, want)
		}
	}
	if got := s.byteOffset(0, 3); got != 2 {
		t.Errorf("short line: %d", got)
	}
}

// Load reads a JSON document with the scanner, not the YAML parser (whose queue is quadratic on one
// long line): an escaped surrogate pair, valid JSON that the YAML parser refuses, loads cleanly at
// the end of a long line. The scanner is one pass by construction; BenchmarkOneLargeFile in
// internal/cli shows the cost per object of one-line JSON staying flat as the file grows.
func TestLoadReadsJSONWithTheScanner(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {`)
	for i := range 50000 {
		fmt.Fprintf(&b, `"k%d": "v", `, i)
	}
	b.WriteString(`"emoji": "\ud83d\ude00"}}`)
	f := Load("big.json", []byte(b.String()))
	if len(f.Problems) != 0 || len(f.Documents) != 1 {
		t.Fatalf("problems %v, %d documents", f.Problems, len(f.Documents))
	}
	if got := f.Documents[0].Value["data"].(map[string]any)["emoji"]; got != "\U0001F600" {
		t.Errorf("emoji = %q", got)
	}
	p := f.Documents[0].Position(Path{"data", "emoji"})
	if want := strings.Index(b.String(), `"\ud83d`) + 1; p.Line != 1 || p.Column != want {
		t.Errorf("emoji at %+v, want 1:%d", p, want)
	}
}
