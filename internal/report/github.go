package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/podlint/podlint/internal/lint"
)

// GitHub writes one workflow command per finding (::error, ::warning or ::notice with the file, the
// exact span and the rule id as title), which GitHub Actions turns into annotations on the pull
// request's lines, then a plain summary line for the log.
func GitHub(w io.Writer, r *lint.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		props := []string{"file=" + escapeProperty(visible(relPath(f.File, opts.BaseDir), false))}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
			if f.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Column))
			}
			if f.EndLine > 0 {
				props = append(props, fmt.Sprintf("endLine=%d", f.EndLine))
				if f.EndColumn > 0 {
					props = append(props, fmt.Sprintf("endColumn=%d", f.EndColumn))
				}
			}
		}
		props = append(props, "title="+escapeProperty(f.Rule))
		msg := visible(f.Message, true)
		if obj := f.Object.String(); obj != "" {
			msg += " (" + visible(obj, false) + ")"
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", githubCommand(f.Severity), strings.Join(props, ","), escapeData(msg))
	}
	fmt.Fprintf(bw, "podlint: %s\n", summaryLine(r.Summary))
	return bw.Flush()
}

func githubCommand(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a workflow command's message: the runner decodes %25, %0D and %0A, so a message
// can neither end the command early nor start a new one on the next line.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// The replacers are built once: building one costs more than escaping a message.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeProperty escapes a property value, where ':' would end the properties and ',' start the next
// one.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
