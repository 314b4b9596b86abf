// Package fix makes podlint's mechanical fixes: where a finding has exactly one right answer, it
// proposes the textual edits that correct it (lint.Fix), and it applies them to files. A fix is
// always an edit at an exact span of the file, never a re-serialisation of the YAML, and every fix is
// checked before it is offered: the edited document must parse and decode to the same value as
// before, apart from the value the fix is for (manifest.Document.Verify).
//
// Schema fixes come from internal/validate (validate.Fix); the Rego rules' fixes are made here, in
// Go, by fixers keyed by rule id, from the document and the finding's path, so the rules' Rego text
// knows nothing of fixing.
package fix

import (
	"context"
	"fmt"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/validate"
)

// Fixer proposes the fixes of one issue of a document, or none.
type Fixer func(doc *manifest.Document, is lint.Issue) []lint.Fix

// Rules are the fixers of the Rego rules, by rule id.
var Rules = map[string]Fixer{
	"signal-unsafe-entrypoint": execFix,
	"undocumented-port":        portNameFix,
}

// WithFixers wraps a checker so that each issue of a rule with a fixer carries its fixes.
func WithFixers(c lint.Checker, fixers map[string]Fixer) lint.Checker {
	return lint.CheckerFunc(func(ctx context.Context, doc *manifest.Document) ([]lint.Issue, error) {
		issues, err := c.Check(ctx, doc)
		for i := range issues {
			if f := fixers[issues[i].Rule]; f != nil && len(issues[i].Fixes) == 0 {
				issues[i].Fixes = f(doc, issues[i])
			}
		}
		return issues, err
	})
}

// Schema is the fix of a schema violation, when validate found the one right answer and the text
// can be edited in place.
func Schema(doc *manifest.Document, v validate.Violation) []lint.Fix {
	return schemaProposal(doc, v).fixes()
}

func schemaProposal(doc *manifest.Document, v validate.Violation) *proposal {
	if v.Fix == nil {
		return nil
	}
	if v.Fix.Key != "" {
		want, ok := manifest.Renamed(doc.Value, v.Path, v.Fix.Key)
		if !ok {
			return nil
		}
		e, ok := doc.RenameKey(v.Path, v.Fix.Key)
		if !ok {
			return nil
		}
		return verified(doc, fmt.Sprintf("rename %s to %s", v.Path[len(v.Path)-1], v.Fix.Key), want, e)
	}
	want, ok := manifest.With(doc.Value, v.Path, v.Fix.Value)
	if !ok {
		return nil
	}
	e, ok := doc.ReplaceValue(v.Path, v.Fix.Value)
	if !ok {
		return nil
	}
	desc := fmt.Sprintf("write %s", e.Text)
	if _, isInt := v.Fix.Value.(int64); isInt {
		desc = "remove the quotes"
	} else if e.Text != v.Fix.Value {
		desc = fmt.Sprintf("quote %s", v.Fix.Value)
	}
	return verified(doc, desc, want, e)
}

// proposal is a fix together with the document value it leads to.
type proposal struct {
	fix  lint.Fix
	want map[string]any
}

func (p *proposal) fixes() []lint.Fix {
	if p == nil {
		return nil
	}
	return []lint.Fix{p.fix}
}

// verified turns edits into a fix when they do exactly what they are for: the edited document
// parses and decodes to want.
func verified(doc *manifest.Document, desc string, want any, edits ...manifest.Edit) *proposal {
	m, ok := want.(map[string]any)
	if !ok || !doc.Verify(edits, m) {
		return nil
	}
	out := lint.Fix{Description: desc, Edits: make([]lint.Edit, len(edits))}
	for i, e := range edits {
		out.Edits[i] = lint.Edit(e)
	}
	return &proposal{fix: out, want: m}
}
