package lint

import (
	"github.com/podlint/podlint/internal/manifest"
)

// NoFixHere is added to the message of a finding of rendered text whose fix cannot be carried to the
// file the user edits.
const NoFixHere = " (no automatic fix: the text is not written literally in this file)"

// placeFixes carries the fixes of a finding on rendered text (rendered, before Place) over to the
// file the finding was placed in (placed). An edit is carried only where its span maps to literal
// text of that file: the placed span holds the same text as the rendered one (a replacement), or the
// placed line is the rendered line itself, at the same column (an insertion). Otherwise the
// finding has no fix, and its message says so.
func placeFixes(f *manifest.File, doc *manifest.Document, rendered Finding, placed *Finding, place func(*manifest.Document, *Finding)) {
	if len(rendered.Fixes) == 0 {
		return
	}
	placed.Fixes = nil
	for _, fx := range rendered.Fixes {
		out := Fix{Description: fx.Description}
		for _, e := range fx.Edits {
			pe, ok := placeEdit(f, doc, rendered, placed.File, e, place)
			if !ok {
				out.Edits = nil
				break
			}
			out.Edits = append(out.Edits, pe)
		}
		if len(out.Edits) > 0 {
			placed.Fixes = append(placed.Fixes, out)
		}
	}
	if len(placed.Fixes) == 0 {
		placed.Message += NoFixHere
	}
}

func placeEdit(f *manifest.File, doc *manifest.Document, rendered Finding, file string, e Edit, place func(*manifest.Document, *Finding)) (Edit, bool) {
	if e.Line != e.EndLine || e.Line < 1 || e.Line > len(f.Lines) {
		return Edit{}, false
	}
	line := []rune(f.Lines[e.Line-1])
	if e.Column < 1 || e.EndColumn < e.Column || e.EndColumn-1 > len(line) {
		return Edit{}, false
	}
	probe := rendered
	probe.Line, probe.Column, probe.EndLine, probe.EndColumn = e.Line, e.Column, e.EndLine, e.EndColumn
	probe.Fixes = nil
	place(doc, &probe)
	if probe.File != file || probe.Line < 1 || probe.Column < 1 {
		return Edit{}, false
	}
	src := []rune(probe.Source)
	if e.Column == e.EndColumn {
		if string(src) != string(line) || probe.Column != e.Column {
			return Edit{}, false
		}
		return Edit{Line: probe.Line, Column: probe.Column, EndLine: probe.Line, EndColumn: probe.Column, Text: e.Text}, true
	}
	width := e.EndColumn - e.Column
	if probe.EndLine != probe.Line || probe.EndColumn-probe.Column != width || probe.EndColumn-1 > len(src) {
		return Edit{}, false
	}
	if string(src[probe.Column-1:probe.EndColumn-1]) != string(line[e.Column-1:e.EndColumn-1]) {
		return Edit{}, false
	}
	return Edit{Line: probe.Line, Column: probe.Column, EndLine: probe.Line, EndColumn: probe.EndColumn, Text: e.Text}, true
}
