package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/podlint/podlint/internal/lint"
)

type palette struct {
	err, warn, info, bold, dim, caret *color.Color
}

func newPalette(on bool) palette {
	p := palette{
		err:   color.New(color.FgRed, color.Bold),
		warn:  color.New(color.FgYellow, color.Bold),
		info:  color.New(color.FgCyan, color.Bold),
		bold:  color.New(color.Bold),
		dim:   color.New(color.Faint),
		caret: color.New(color.FgGreen, color.Bold),
	}
	for _, c := range []*color.Color{p.err, p.warn, p.info, p.bold, p.dim, p.caret} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

func (p palette) severity(s lint.Severity) *color.Color {
	switch s {
	case lint.Error:
		return p.err
	case lint.Warning:
		return p.warn
	}
	return p.info
}

// Text writes one block per finding, `file:line:col: severity: message [rule]` and a code frame of the
// line with a caret under the offending value, then a summary line.
func Text(w io.Writer, r *lint.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	p := newPalette(opts.Color)
	var cur lineCursor
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "%s: %s: %s %s\n",
			p.bold.Sprintf("%s:%d:%d", visible(f.File, false), f.Line, f.Column),
			p.severity(f.Severity).Sprint(f.Severity.String()),
			visible(f.Message, true),
			p.dim.Sprintf("[%s]", f.Rule))
		writeFrame(bw, p, f, &cur)
		if f.Template != "" {
			fmt.Fprintf(bw, "      %s\n", p.dim.Sprintf("rendered from %s", visible(f.Template, false)))
		}
		writeRelated(bw, p, f)
	}
	fmt.Fprintln(bw, summaryLine(r.Summary))
	return bw.Flush()
}

// relatedShown is how many related places a finding lists in text; the rest are counted (a
// selector can match pods of many objects elsewhere). SARIF and JSON carry them all.
const relatedShown = 5

// writeRelated lists the other places the finding involves, one line each.
func writeRelated(w io.Writer, p palette, f lint.Finding) {
	for i, rel := range f.Related {
		if i == relatedShown {
			fmt.Fprintf(w, "      %s\n", p.dim.Sprintf("and %s", plural(len(f.Related)-i, "more related place")))
			return
		}
		msg := ""
		if rel.Message != "" {
			msg = ": " + visible(rel.Message, true)
		}
		fmt.Fprintf(w, "      %s\n", p.dim.Sprintf("see %s:%d:%d%s", visible(rel.File, false), rel.Line, rel.Column, msg))
	}
}

// writeFrame prints the finding's source line and a caret line under the value.
func writeFrame(w io.Writer, p palette, f lint.Finding, cur *lineCursor) {
	if f.Source == "" && f.Line <= 0 {
		return
	}
	source, column := cur.window(f, f.Column)
	src := visible(strings.ReplaceAll(source, "\t", " "), false)
	if strings.TrimSpace(src) == "" {
		return
	}
	num := fmt.Sprintf("%5d", f.Line)
	fmt.Fprintf(w, "%s %s %s\n", p.dim.Sprint(num), p.dim.Sprint("|"), src)
	width := 1
	if f.EndLine == f.Line && f.EndColumn > f.Column {
		width = f.EndColumn - f.Column
	}
	if max := utf8.RuneCountInString(src) - column + 1; width > max && max > 0 {
		width = max
	}
	pad := strings.Repeat(" ", max(column-1, 0))
	fmt.Fprintf(w, "%s %s %s%s\n", strings.Repeat(" ", len(num)), p.dim.Sprint("|"), pad, p.caret.Sprint(strings.Repeat("^", width)))
}

// frameWidth is the most of a line a code frame shows: minified JSON puts a whole file on one
// line, and printing it for every finding made the report quadratic in the file's size.
const frameWidth = 120

// lineCursor remembers where the last window started in a long line, so that the next finding on
// the same line (findings come sorted by column) walks on from there rather than from the line's
// start: thousands of findings on one line of minified JSON stay linear.
type lineCursor struct {
	file       string
	line       int
	runes, off int // a character count and the byte offset where it is reached
}

// window is frameWindow for finding f, walking on from the cursor when f is on the same line.
func (c *lineCursor) window(f lint.Finding, column int) (string, int) {
	if len(f.Source) <= frameWidth {
		return f.Source, column
	}
	if c.file != f.File || c.line != f.Line {
		*c = lineCursor{file: f.File, line: f.Line}
	}
	first := max(column-1-frameWidth/3, 0)
	if first < c.runes {
		c.runes, c.off = 0, 0 // out of order: start again
	}
	for c.runes < first && c.off < len(f.Source) {
		_, size := utf8.DecodeRuneInString(f.Source[c.off:])
		c.off += size
		c.runes++
	}
	return frameWindowAt(f.Source, column, c.runes, c.off)
}

// frameWindow cuts a long line to about frameWidth characters around the column, marking what is
// cut with "…", and returns the column within the window.
func frameWindow(line string, column int) (string, int) {
	var c lineCursor
	return c.window(lint.Finding{Source: line, Line: 1}, column)
}

// frameWindowAt is frameWindow with the window's first character known: runes characters in, at
// byte offset off.
func frameWindowAt(line string, column, runes, off int) (string, int) {
	if runes < max(column-1-frameWidth/3, 0) { // the column is past the end of the line
		return "", column
	}
	end := off
	for n := 0; n < frameWidth && end < len(line); n++ {
		_, size := utf8.DecodeRuneInString(line[end:])
		end += size
	}
	window := line[off:end]
	if end < len(line) {
		window += "…"
	}
	if runes > 0 {
		return "…" + window, column - runes + 1
	}
	return window, column
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func summaryLine(s lint.Summary) string {
	parts := []string{plural(s.Errors, "error"), plural(s.Warnings, "warning")}
	if s.Infos > 0 {
		parts = append(parts, plural(s.Infos, "info"))
	}
	objects := plural(s.Objects, "object")
	if s.Skipped > 0 {
		objects += fmt.Sprintf(", %d skipped", s.Skipped)
	}
	var rendered []string
	if s.Charts > 0 {
		rendered = append(rendered, plural(s.Charts, "chart"))
	}
	if s.Kustomizations > 0 {
		rendered = append(rendered, plural(s.Kustomizations, "kustomization"))
	}
	if len(rendered) > 0 {
		objects += "; from " + strings.Join(rendered, " and ")
	}
	if s.NotManifests > 0 {
		if s.NotManifests == 1 {
			objects += "; 1 file is not a Kubernetes manifest"
		} else {
			objects += fmt.Sprintf("; %d files are not Kubernetes manifests", s.NotManifests)
		}
	}
	line := fmt.Sprintf("%s in %s (%s)", strings.Join(parts, ", "), plural(s.Files, "file"), objects)
	if s.Baselined > 0 || s.StaleBaseline > 0 {
		line += fmt.Sprintf("; %d accepted by the baseline", s.Baselined)
		if s.StaleBaseline > 0 {
			entries := "entries"
			if s.StaleBaseline == 1 {
				entries = "entry"
			}
			line += fmt.Sprintf(", %d stale baseline %s", s.StaleBaseline, entries)
		}
	}
	return line
}
