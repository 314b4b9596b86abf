package rendered

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/srcmap"
)

// helmUnit is one rendered template. Its findings move to the template line that produced the
// rendered line (srcmap.TemplateMap); suppression comments in the template then apply as in a plain
// file.
func helmUnit(chart string, o *render.Output, files *fileCache) lint.Unit {
	name := o.Template
	if o.Archive != "" {
		name = o.Archive + ":" + o.Template
	}
	var (
		once sync.Once
		tm   *srcmap.TemplateMap
	)
	place := func(_ *manifest.Document, f *lint.Finding) {
		if o.Archive != "" {
			placeInArchive(chart, o, f, files)
			return
		}
		once.Do(func() { tm = srcmap.MapTemplate(files.text(o.Template), o.Text) })
		f.File = o.Template
		f.Line, f.Column, f.EndLine, f.EndColumn = tm.Position(f.Line, f.Column, f.EndLine, f.EndColumn)
		f.Source = files.line(o.Template, f.Line)
	}
	return lint.Unit{Name: name, Text: []byte(o.Text), Place: place}
}

// placeInArchive puts a finding of a packaged dependency, whose templates nobody can open, on the
// line of the parent chart's Chart.yaml that names the dependency, and says where it came from.
func placeInArchive(chart string, o *render.Output, f *lint.Finding, files *fileCache) {
	f.Message = fmt.Sprintf("%s (in %s of the packaged dependency %s)", f.Message, o.Template, filepath.Base(o.Archive))
	f.File = filepath.Join(chart, manifest.ChartFile)
	f.Line, f.Column, f.EndLine, f.EndColumn = 1, 1, 0, 0
	base := filepath.Base(o.Archive)
	for i, l := range strings.Split(files.text(f.File), "\n") {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "-"))
		name, ok := strings.CutPrefix(t, "name:")
		name = strings.Trim(strings.TrimSpace(name), `"'`)
		if ok && name != "" && strings.HasPrefix(base, name+"-") {
			f.Line, f.Column = i+1, 1+indent(l)
			break
		}
	}
	f.Source = files.line(f.File, f.Line)
}

// fileCache reads the files findings are placed in once, for every unit (units are checked on
// several workers).
type fileCache struct {
	mu      sync.Mutex
	texts   map[string]string
	lines   map[string][]string
	sources map[string]*srcmap.File
}

func newFileCache() *fileCache {
	return &fileCache{texts: map[string]string{}, lines: map[string][]string{}, sources: map[string]*srcmap.File{}}
}

// source returns a file parsed for locating fields in it, or nil when it cannot be read.
func (c *fileCache) source(name string) *srcmap.File {
	text := c.text(name)
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.sources[name]; ok {
		return f
	}
	var f *srcmap.File
	if text != "" {
		f = srcmap.LoadFile(name, []byte(text))
	}
	c.sources[name] = f
	return f
}

// text returns a file's text with line breaks normalised, or "" when it cannot be read.
func (c *fileCache) text(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.texts[name]; ok {
		return t
	}
	data, err := manifest.ReadFile(name)
	t := ""
	if err == nil {
		t = strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n")
	}
	c.texts[name] = t
	c.lines[name] = strings.Split(strings.TrimSuffix(t, "\n"), "\n")
	return t
}

// line returns line n (from 1) of a file, or "".
func (c *fileCache) line(name string, n int) string {
	c.text(name)
	c.mu.Lock()
	defer c.mu.Unlock()
	ls := c.lines[name]
	if n < 1 || n > len(ls) {
		return ""
	}
	return ls[n-1]
}
