package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a run with one finding of each severity, a multi-column range and a finding without a frame.
func sample() *lint.Result {
	pod := manifest.Object{APIVersion: "v1", Kind: "Pod", Name: "web"}
	r := &lint.Result{Findings: []lint.Finding{
		{Rule: "port-conflict", Severity: lint.Error, Message: `containerPort 8080/TCP is also declared by container "a"`,
			File: "pods/web.yaml", Line: 14, Column: 26, EndLine: 14, EndColumn: 30, Object: pod,
			Path: "/spec/containers/1/ports/0/containerPort", Source: "        - containerPort: 8080"},
		{Rule: "required-labels", Severity: lint.Warning, Message: `pod has no "rel" label`,
			File: "pods/web.yaml", Line: 3, Column: 1, Object: pod, Path: "/metadata", Source: "metadata:"},
		{Rule: "undocumented-port", Severity: lint.Info, Message: "containerPort 8080 has no name",
			File: "pods/web.yaml", Line: 14, Column: 11, EndLine: 14, EndColumn: 24, Object: pod,
			Path: "/spec/containers/1/ports/0", Source: "        - containerPort: 8080"},
		{Rule: "parse-error", Severity: lint.Error, Message: "YAML does not parse: mapping values are not allowed in this context",
			File: "-", Line: 2, Column: 7},
	}}
	lint.Sort(r.Findings)
	r.Summary = lint.Summary{Files: 2, Objects: 1}
	for _, f := range r.Findings {
		r.Summary.Count(f)
	}
	return r
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		format string
		opts   Options
		result *lint.Result
	}{
		{"text", "text", Options{}, sample()},
		{"text-color", "text", Options{Color: true}, sample()},
		{"json", "json", Options{}, sample()},
		{"text-empty", "text", Options{}, &lint.Result{Summary: lint.Summary{Files: 1, Objects: 1}}},
		{"json-empty", "json", Options{}, &lint.Result{Summary: lint.Summary{Files: 1, Objects: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Lookup(tt.format)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := w(&buf, tt.result, tt.opts); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s:\n%s", golden, buf.String())
			}
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := Lookup("yaml"); err == nil {
		t.Fatal("want an error for an unknown format")
	}
}
