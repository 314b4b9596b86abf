package rendered

import (
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/srcmap"
)

// kustomizeUnit is one kustomization's build: its resources, one YAML document each. A finding moves
// to the file its field came from: the patch that set it, else the resource file (srcmap).
func kustomizeUnit(dir string, outs []render.Output, files *fileCache) lint.Unit {
	var text strings.Builder
	for _, o := range outs {
		text.WriteString("---\n")
		text.WriteString(o.Text)
		if !strings.HasSuffix(o.Text, "\n") {
			text.WriteByte('\n')
		}
	}
	kfile := manifest.KustomizationFile(dir)
	located := make([]*srcmap.Kustomized, len(outs))
	place := func(doc *manifest.Document, f *lint.Finding) {
		fallback := func(file string) {
			f.File, f.Line, f.Column, f.EndLine, f.EndColumn = file, 1, 1, 0, 0
			f.Source = files.line(file, 1)
		}
		if doc == nil || doc.Index >= len(outs) {
			fallback(kfile) // a problem of the built text itself: the kustomization made it
			return
		}
		k := located[doc.Index]
		if k == nil {
			k = srcmap.NewKustomized(outs[doc.Index], doc.Value, files.source)
			located[doc.Index] = k
		}
		loc := k.Locate(manifest.ParsePointer(f.Path), f.AtKey)
		if loc.File == "" {
			if o := outs[doc.Index].Origin; o != "" {
				fallback(o)
			} else {
				fallback(kfile)
			}
			return
		}
		f.File = loc.File
		f.Line, f.Column, f.EndLine, f.EndColumn = loc.Pos.Line, loc.Pos.Column, loc.Pos.EndLine, loc.Pos.EndColumn
		if f.Line < 1 {
			f.Line, f.Column = 1, 1
		}
		f.Source = files.line(loc.File, f.Line)
	}
	return lint.Unit{Name: dir, Text: []byte(text.String()), Place: place}
}
