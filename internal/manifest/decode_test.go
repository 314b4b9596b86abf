package manifest

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
	k8syaml "sigs.k8s.io/yaml"
)

// decodeOne decodes a single YAML document the way the loader does.
func decodeOne(src string) (any, bool) {
	var root yaml.Node
	if err := yaml.NewDecoder(strings.NewReader(src)).Decode(&root); err != nil {
		return nil, false
	}
	d := &decoder{src: source{lines: strings.Split(src, "\n")}}
	v, ok := d.decode(&root)
	return v, ok
}

// canonical renders a value as JSON so that int64 and float64 compare like the numbers kubectl sees.
func canonical(t testing.TB, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %v: %v", v, err)
	}
	var back any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(back)
	return string(b)
}

// differential checks one document against sigs.k8s.io/yaml, which is what kubectl uses.
func differential(t testing.TB, src string) {
	var want any
	wantErr := k8syaml.Unmarshal([]byte(src), &want)
	got, ok := decodeOne(src)
	if wantErr != nil || !ok {
		return // both sides refusing, or one parser stricter than the other: not a value difference
	}
	if g, w := canonical(t, got), canonical(t, want); g != w {
		t.Errorf("decoding %q\n got  %s\n want %s (sigs.k8s.io/yaml)", src, g, w)
	}
}

var decodeSeeds = []string{
	"a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: Yes\nh: OFF\ni: true\nj: False\n",
	"a: 0777\nb: 0x1F\nc: 1_000\nd: -0b101\ne: 0b11\nf: +12\ng: 1e3\nh: .5\ni: 1.\nj: 12.50\n",
	"a: ~\nb: null\nc:\nd: Null\ne: \"\"\nf: ''\n",
	"a: 2024-01-02\nb: 2024-01-02T10:00:00Z\nc: 2024-1-2 3:04:05\nd: 20240102\n",
	"a: \"yes\"\nb: 'on'\nc: |\n  multi\n  line\nd: >\n  folded\n  text\n",
	"base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
	"a: &a {p: 1}\nb: &b {p: 2, q: 2}\nc:\n  <<: [*a, *b]\n",
	"yes: 1\n1: 2\n1.5: 3\nfalse: 4\n",
	"a: !!str 123\nb: !!int \"7\"\nc: !!float 3\nd: !custom text\ne: !!binary aGVsbG8=\n",
	"list: [a, 'b', 3, 4.5, null, true]\n",
	"k: 9223372036854775807\nl: 18446744073709551615\nm: -9223372036854775808\n",
	"{apiVersion: \"v1\", kind: \"Pod\", metadata: {name: \"x\",}, spec: {containers: [{name: \"c\", image: \"i\"},]},}\n",
	"a: 1:30\nb: 12:30:00\nc: 0o17\nd: 1__0\ne: -.5\nf: +.5e+3\n",
	"a: 'it''s'\nb: \"tab\\there\"\nc: \"\\u00e9\"\n",
}

func TestDecodeMatchesKubectl(t *testing.T) {
	for _, s := range decodeSeeds {
		differential(t, s)
	}
}

// FuzzResolveMatchesKubectl searches for plain scalars (as values and as keys) that podlint resolves
// differently from kubectl: this is the part of decoding podlint writes itself. Whole-document syntax
// is the parser's business; the two YAML parsers differ on a few exotic flow-style corners (such as
// `{a:}`), which is why the fuzzer varies the scalar and not the syntax around it.
func FuzzResolveMatchesKubectl(f *testing.F) {
	for _, s := range []string{"yes", "0777", "1_000", "-0b1", ".inf", "2024-01-02", "1e3", "+.5", "0x_1F", "~", "12:30", "1.5e+3", "1e70"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainToken.MatchString(s) {
			return
		}
		differential(t, "k: "+s+"\n")
		differential(t, s+": v\n")
		differential(t, "[k, "+s+"]\n")
	})
}

// plainToken matches scalars that stay one plain scalar in both block and flow context.
var plainToken = regexp.MustCompile(`^[A-Za-z0-9._+~-][A-Za-z0-9._+~-]*$`)

// FuzzLoad checks that no input makes the loader panic, and that every problem has a position.
func FuzzLoad(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte("apiVersion: v1\nkind: Pod\n" + s))
	}
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod}\n- 3\n---\n--- |\n  x\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("a: &a {b: 1, <<: *a}\n")) // once hung the loader: a merge that recursed without a budget
	f.Add([]byte("\xef\xbb\xbf{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("fuzz.yaml", data)
		for _, p := range file.Problems {
			if p.Pos.Line < 1 || p.Pos.Column < 1 {
				t.Fatalf("problem without a position: %+v", p)
			}
		}
		for _, d := range file.Documents {
			if p := d.Position(nil); p.Line < 1 || p.Column < 1 {
				t.Fatalf("document without a position: %+v", p)
			}
		}
	})
}
