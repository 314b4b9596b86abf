package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// benchResult is a run with 1,000 findings over 200 files, about what a large repository's first
// run reports.
func benchResult() *lint.Result {
	r := &lint.Result{}
	for i := 0; i < 1000; i++ {
		f := lint.Finding{Rule: []string{"required-labels", "undocumented-port", "schema"}[i%3], Severity: lint.Severity(1 + i%3),
			Message: "the pod lacks the required label rel", File: fmt.Sprintf("deploy/team-%02d/app-%03d.yaml", i%20, i/5),
			Line: 10 + i%40, Column: 7, EndLine: 10 + i%40, EndColumn: 13,
			Object: manifest.Object{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: fmt.Sprintf("app-%d", i/5)},
			Path:   "/spec/template/metadata/labels", Source: "      labels:"}
		r.Findings = append(r.Findings, f)
		r.Summary.Count(f)
	}
	r.Summary.Files, r.Summary.Objects = 200, 1000
	return r
}

func BenchmarkReport(b *testing.B) {
	r := benchResult()
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			w, _ := Lookup(format)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := w(io.Discard, r, Options{BaseDir: "/repo"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
