package report

import (
	"strconv"
	"strings"
	"unicode"
)

// visible makes control characters in a name or message visible as Go escapes (ESC as \x1b), so
// that a file or object name cannot move the cursor, recolour or rewrite a terminal or a log. A
// message keeps its line breaks and tabs (keepLines); a name keeps nothing.
func visible(s string, keepLines bool) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) && !(keepLines && (r == '\n' || r == '\t')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) && !(keepLines && (r == '\n' || r == '\t')) {
			q := strconv.QuoteRune(r) // '\x1b'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Visible is visible for one-line text outside the reports (podlint's notes on standard error).
func Visible(s string) string { return visible(s, false) }
