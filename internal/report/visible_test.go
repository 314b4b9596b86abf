package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// Control characters in file and object names (and messages quoting them) never reach the terminal
// or the log raw: ESC would let a name recolour or rewrite what a reader sees.
func TestControlCharactersAreVisible(t *testing.T) {
	esc := "\x1b]0;owned\x07\x1b[2J"
	res := &lint.Result{Findings: []lint.Finding{{
		Rule: "r", Severity: lint.Error, File: "dir/" + esc + ".yaml", Line: 2, Column: 3,
		Message: "container " + esc + " is bad\nsecond line", Source: "  name: " + esc,
		Template: "t/" + esc, Object: manifest.Object{Kind: "Pod", Name: "p" + esc},
	}}}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":   func(b *bytes.Buffer) error { return Text(b, res, Options{}) },
		"github": func(b *bytes.Buffer) error { return GitHub(b, res, Options{}) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s: raw control characters in %q", name, out)
		}
		if !strings.Contains(out, `\x1b]0;owned\a\x1b[2J`) {
			t.Errorf("%s: escapes not shown in %q", name, out)
		}
	}
	if got := visible("a\tb\nc\x00", true); got != "a\tb\nc\\x00" {
		t.Errorf("visible keeps lines: %q", got)
	}
	if got := visible("a\tb\n", false); got != `a\tb\n` {
		t.Errorf("visible name: %q", got)
	}
}
