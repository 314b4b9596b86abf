package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
)

const twoPortsPod = `---
# Source: web/templates/pod.yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, rel: stable}
spec:
  containers:
  - name: a
    image: nginx:1.27
    ports: [{containerPort: 80, name: http}]
  - name: b
    image: nginx:1.27
    ports: [{containerPort: 80, name: other}]
`

// YAML that is not Kubernetes is counted, not reported, and does not change the exit code.
func TestNotManifestsAreCounted(t *testing.T) {
	dir := repo(t, map[string]string{
		"values.yaml":        "replicaCount: 1\nimage: {repository: nginx}\n",
		"docker-compose.yml": "services:\n  web: {image: nginx}\n",
		"ci.yaml":            "on: [push]\njobs: {test: {runs-on: ubuntu-latest}}\n",
		"broken-meant.yaml":  "apiVersion: v1\nmetadata: {name: x}\n",
	})
	code, out, _ := runIn(t, dir, "", "--format", "json", ".")
	var res lint.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Summary.NotManifests != 3 || res.Summary.Files != 4 {
		t.Errorf("summary = %+v, want 3 files that are not manifests out of 4", res.Summary)
	}
	if code != ExitFindings || len(res.Findings) != 1 || res.Findings[0].Rule != "missing-kind" || res.Findings[0].File != "broken-meant.yaml" {
		t.Errorf("exit %d, findings %+v: want only missing-kind on the document meant as an object", code, res.Findings)
	}
	code, out, _ = runIn(t, dir, "", "values.yaml", "ci.yaml")
	if code != ExitOK || !strings.Contains(out, "2 files are not Kubernetes manifests") {
		t.Errorf("exit %d, output %q", code, out)
	}
}

// A run that lints nothing says so on standard error, and --fail-if-no-objects (or the
// configuration's failIfNoObjects) makes that an error.
func TestNothingLinted(t *testing.T) {
	dir := repo(t, map[string]string{"values.yaml": "a: 1\n"})
	code, _, stderr := runIn(t, dir, "", ".")
	if code != ExitOK || !strings.Contains(stderr, "no Kubernetes manifests found in . (1 file read, 1 not Kubernetes)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runIn(t, dir, "", "--fail-if-no-objects", "."); code != ExitError {
		t.Errorf("--fail-if-no-objects: exit %d, want %d", code, ExitError)
	}
	dir = repo(t, map[string]string{"values.yaml": "a: 1\n", ".podlint.yaml": "failIfNoObjects: true\n"})
	if code, _, _ := runIn(t, dir, "", "."); code != ExitError {
		t.Errorf("failIfNoObjects: exit %d, want %d", code, ExitError)
	}
	dir = repo(t, map[string]string{"values.yaml": "a: 1\n", ".podlint.yaml": "failIfNoObjects: yes please\n"})
	if code, _, stderr := runIn(t, dir, "", "."); code != ExitError || !strings.Contains(stderr, ".podlint.yaml:1:18: failIfNoObjects must be true or false") {
		t.Errorf("bad failIfNoObjects: exit %d, stderr %q", code, stderr)
	}
}

// --stdin-filename names piped input in findings and for excludes; "# Source:" comments name the
// template each document came from.
func TestStdinFilename(t *testing.T) {
	dir := repo(t, map[string]string{".podlint.yaml": "exclude: [\"generated/**\"]\n"})
	code, out, _ := runIn(t, dir, twoPortsPod, "--format", "json", "--stdin-filename", "rendered/web.yaml", "-")
	var res lint.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if code != ExitFindings || len(res.Findings) == 0 {
		t.Fatalf("exit %d, findings %v", code, res.Findings)
	}
	for _, f := range res.Findings {
		if f.File != "rendered/web.yaml" || f.Template != "web/templates/pod.yaml" {
			t.Errorf("finding %s at %s from %q, want rendered/web.yaml from web/templates/pod.yaml", f.Rule, f.File, f.Template)
		}
	}
	code, out, stderr := runIn(t, dir, twoPortsPod, "--stdin-filename", "generated/web.yaml", "-")
	if code != ExitOK || strings.Contains(out, "port-conflict") || !strings.Contains(stderr, "no Kubernetes manifests") {
		t.Errorf("excluded standard input: exit %d, out %q, stderr %q", code, out, stderr)
	}
	if code, _, stderr := runIn(t, dir, "", "--stdin-filename", "x.yaml", "."); code != ExitError || !strings.Contains(stderr, "- is not among the paths") {
		t.Errorf("--stdin-filename without -: exit %d, stderr %q", code, stderr)
	}
}
