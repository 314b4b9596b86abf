package report

import (
	"encoding/json"
	"io"

	"github.com/podlint/podlint/internal/lint"
)

type jsonReport struct {
	Findings []lint.Finding `json:"findings"`
	Summary  lint.Summary   `json:"summary"`
}

// JSON writes the stable machine-readable report documented in the README.
func JSON(w io.Writer, r *lint.Result, _ Options) error {
	out := jsonReport{Findings: r.Findings, Summary: r.Summary}
	if out.Findings == nil {
		out.Findings = []lint.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
