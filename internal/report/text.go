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
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "%s: %s: %s %s\n",
			p.bold.Sprintf("%s:%d:%d", visible(f.File, false), f.Line, f.Column),
			p.severity(f.Severity).Sprint(f.Severity.String()),
			visible(f.Message, true),
			p.dim.Sprintf("[%s]", f.Rule))
		writeFrame(bw, p, f)
		if f.Template != "" {
			fmt.Fprintf(bw, "      %s\n", p.dim.Sprintf("rendered from %s", visible(f.Template, false)))
		}
	}
	fmt.Fprintln(bw, summaryLine(r.Summary))
	return bw.Flush()
}

// writeFrame prints the finding's source line and a caret line under the value.
func writeFrame(w io.Writer, p palette, f lint.Finding) {
	if f.Source == "" && f.Line <= 0 {
		return
	}
	source, column := frameWindow(f.Source, f.Column)
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

// frameWindow cuts a long line to about frameWidth characters around the column, marking what is
// cut with "…", and returns the column within the window.
func frameWindow(line string, column int) (string, int) {
	if len(line) <= frameWidth {
		return line, column
	}
	first := max(column-1-frameWidth/3, 0) // the first character shown, from 0
	var start, end, n int
	end = -1
	for i := range line { // walks only up to the window's end
		if n == first {
			start = i
		}
		if n == first+frameWidth {
			end = i
			break
		}
		n++
	}
	if first >= n && end < 0 { // the column is past the end of the line: show its tail
		return line, column
	}
	window := line[start:]
	if end >= 0 {
		window = line[start:end] + "…"
	}
	if first > 0 {
		return "…" + window, column - first + 1
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
	return fmt.Sprintf("%s in %s (%s)", strings.Join(parts, ", "), plural(s.Files, "file"), objects)
}
