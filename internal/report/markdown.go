package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/podlint/podlint/internal/lint"
)

// Markdown writes a findings table in GitHub-flavored Markdown, for job summaries
// ($GITHUB_STEP_SUMMARY) and pull request comments.
func Markdown(w io.Writer, r *lint.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### podlint\n\n%s\n", summaryLine(r.Summary))
	if len(r.Findings) > 0 {
		fmt.Fprint(bw, "\n| Severity | Rule | Location | Object | Message |\n| --- | --- | --- | --- | --- |\n")
		for _, f := range r.Findings {
			rule := "`" + f.Rule + "`"
			if info, ok := opts.Rules[f.Rule]; ok && info.HelpURI != "" {
				rule = "[" + rule + "](" + info.HelpURI + ")"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", f.Severity, rule,
				mdCell(fmt.Sprintf("%s:%d:%d", relPath(f.File, opts.BaseDir), f.Line, f.Column)),
				mdCell(f.Object.String()), mdCell(f.Message))
		}
	}
	return bw.Flush()
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// mdCell makes text safe inside a table cell: pipes would split the cell, line breaks end the row,
// and markup characters would be rendered rather than shown.
func mdCell(s string) string {
	s = lineBreaks.Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
