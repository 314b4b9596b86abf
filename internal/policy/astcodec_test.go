package policy

import (
	"sort"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/rules"
)

// compileBuiltin compiles the built-in rules from their sources.
func compileBuiltin(t *testing.T) *ast.Compiler {
	t.Helper()
	srcs, err := builtinSources(false)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := compile(srcs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestASTCodecRoundTrip encodes the compiled built-in rules and checks that decoding gives back
// modules equal to the compiler's, rule by rule.
func TestASTCodecRoundTrip(t *testing.T) {
	c := compileBuiltin(t)
	names := make([]string, 0, len(c.Modules))
	for name := range c.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	data, err := encodeModules(names, c.Modules)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeModules(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(names) {
		t.Fatalf("decoded %d modules, want %d", len(got), len(names))
	}
	rules := 0
	for _, name := range names {
		want, m := c.Modules[name], got[name]
		if m == nil {
			t.Errorf("%s: not decoded", name)
			continue
		}
		if !m.Package.Path.Equal(want.Package.Path) {
			t.Errorf("%s: package %v, want %v", name, m.Package.Path, want.Package.Path)
		}
		if len(m.Rules) != len(want.Rules) {
			t.Errorf("%s: %d rules, want %d", name, len(m.Rules), len(want.Rules))
			continue
		}
		for i := range m.Rules {
			rules++
			if m.Rules[i].Compare(want.Rules[i]) != 0 {
				t.Errorf("%s: rule %d decodes as\n%v\nwant\n%v", name, i, m.Rules[i], want.Rules[i])
			}
			if m.Rules[i].Location.Row != want.Rules[i].Location.Row {
				t.Errorf("%s: rule %d at line %d, want %d", name, i, m.Rules[i].Location.Row, want.Rules[i].Location.Row)
			}
		}
	}
	if rules == 0 {
		t.Fatal("no rules compared")
	}
}

// TestASTCodecCorrupt feeds the decoder every truncation of valid input and a few flipped bytes:
// it must return an error or modules, never panic or hang.
func TestASTCodecCorrupt(t *testing.T) {
	c := compileBuiltin(t)
	data, err := encodeModules([]string{"rules/lib/pods.rego"}, c.Modules)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(data); n++ {
		if _, err := decodeModules(data[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	for i := 0; i < len(data); i += 7 {
		b := append([]byte(nil), data...)
		b[i] ^= 0xff
		decodeModules(b) // must not panic
	}
	if _, err := decodeModules(append([]byte{99}, data[1:]...)); err == nil {
		t.Error("unknown format version: no error")
	}
}

// BenchmarkDecodeCompiled measures decoding the compiled built-in rules: part of every start.
func BenchmarkDecodeCompiled(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeModules(rules.CompiledModules); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCompiled measures loading the compiled built-in rules: the digests, the decode and
// the compiler stages that build the rule indices.
func BenchmarkLoadCompiled(b *testing.B) {
	srcs, err := builtinSources(false)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, ok, err := loadCompiled(srcs); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
