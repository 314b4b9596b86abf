package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/validate"
)

const schemaFixtures = "../../fixtures/schema"

// wantMark is a trailing comment naming the rule ids expected on its line: `# want: schema`.
var wantMark = regexp.MustCompile(`#\s*want:\s*([a-z0-9, -]+)\s*$`)

// expectedFindings reads the `# want:` marks of a fixture as "line rule" strings.
func expectedFindings(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, line := range strings.Split(string(data), "\n") {
		m := wantMark.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, id := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
			want = append(want, fmt.Sprintf("%4d %s", i+1, id))
		}
	}
	sort.Strings(want)
	return want
}

// TestSchemaFixtures runs every schema fixture through the pipeline with the schema checker: a
// pass-* file must give no finding at all, a fail-* file exactly the findings its marks name, on
// their lines.
func TestSchemaFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(schemaFixtures, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var golden bytes.Buffer
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			if !strings.HasPrefix(name, "pass-") && !strings.HasPrefix(name, "fail-") {
				t.Fatalf("fixture names start with pass- or fail-")
			}
			res, err := lint.Run(context.Background(), []string{path},
				lint.Options{Workers: 1, Checkers: []lint.Checker{schemaChecker(validate.Options{})}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, fmt.Sprintf("%4d %s", f.Line, f.Rule))
				if f.Rule == ruleSchema && f.Severity != lint.Error {
					t.Errorf("line %d: severity %s, want error", f.Line, f.Severity)
				}
				fmt.Fprintf(&golden, "%s:%d:%d: %s\n", name, f.Line, f.Column, f.Message)
			}
			sort.Strings(got)
			want := expectedFindings(t, path)
			if strings.HasPrefix(name, "pass-") && len(want) > 0 {
				t.Fatalf("a pass fixture must not expect findings")
			}
			if strings.HasPrefix(name, "fail-") && len(want) == 0 {
				t.Fatalf("a fail fixture must mark its findings with # want: schema")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings (line rule):\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	checkGolden(t, "testdata/schema-messages.golden", golden.Bytes())
}

// TestStrictKinds checks the flag end to end: kinds without a schema are counted as skipped, and
// with --strict-kinds they are errors.
func TestStrictKinds(t *testing.T) {
	path := filepath.Join(schemaFixtures, "pass-other-kinds.yaml")
	tests := []struct {
		args     []string
		code     int
		skipped  int
		findings []string
	}{
		{args: []string{"--format", "json", path}, code: ExitOK, skipped: 3},
		{args: []string{"--format", "json", "--strict-kinds", path}, code: ExitFindings, skipped: 0, findings: []string{
			`4:7 no schema for kind "Service" (v1): podlint validates CronJob, DaemonSet, Deployment, Job, Pod, PodTemplate, ReplicaSet, ReplicationController, StatefulSet`,
			`15:7 no schema for kind "ConfigMap" (v1): podlint validates CronJob, DaemonSet, Deployment, Job, Pod, PodTemplate, ReplicaSet, ReplicationController, StatefulSet`,
			`33:9 no schema for kind "PodDisruptionBudget" (policy/v1): podlint validates CronJob, DaemonSet, Deployment, Job, Pod, PodTemplate, ReplicaSet, ReplicationController, StatefulSet`,
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
			if code := Run(context.Background(), env, tt.args); code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			var out struct {
				Findings []lint.Finding
				Summary  lint.Summary
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if out.Summary.Skipped != tt.skipped {
				t.Errorf("skipped = %d, want %d", out.Summary.Skipped, tt.skipped)
			}
			var got []string
			for _, f := range out.Findings {
				if f.Rule == ruleSchema { // the pod rules have their own tests
					got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Message))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.findings, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.findings, "\n"))
			}
		})
	}
}
