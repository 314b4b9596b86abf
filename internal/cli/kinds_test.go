package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
)

// workerConfig adds a custom resource whose pod template is at spec.pod.
const workerConfig = `podKinds:
  - group: example.com
    kind: Worker
    template: spec.pod
`

// worker is such a resource: its own labels differ from its pod's, the pod's annotation turns
// undocumented-port off, and two containers share a port on a pinned node.
const worker = `apiVersion: example.com/v1
kind: Worker
metadata:
  name: w
  labels: {app: other}
spec:
  pod:
    metadata:
      labels: {app: worker, rel: stable}
      annotations: {podlint.io/ignore: undocumented-port}
    spec:
      nodeSelector:
        kubernetes.io/hostname: node-1
      containers:
      - name: a
        image: example.com/a:1
        ports:
        - containerPort: 8080
      - name: b
        image: example.com/b:1
        ports:
        - containerPort: 8080
`

// TestConfiguredPodKinds runs the command with a configuration that adds a pod-bearing kind: the
// rules find its pod at their lines, the annotation on its pod template and the selector read the
// pod's metadata, and schema validation skips it.
func TestConfiguredPodKinds(t *testing.T) {
	dir := repo(t, map[string]string{".podlint.yaml": workerConfig, "w.yaml": worker, "defaults.yaml": "# nothing set\n"})
	tests := []struct {
		args    []string
		code    int
		objects int
		want    []string
	}{
		{[]string{"w.yaml"}, ExitFindings, 1, []string{"13 hostname-pinning", "22 port-conflict"}},
		{[]string{"-l", "app=worker", "w.yaml"}, ExitFindings, 1, []string{"13 hostname-pinning", "22 port-conflict"}},
		{[]string{"-l", "app=other", "w.yaml"}, ExitOK, 0, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runIn(t, dir, "", append([]string{"--format", "json"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			var res struct {
				Findings []lint.Finding
				Summary  lint.Summary
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, fmt.Sprintf("%d %s", f.Line, f.Rule))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("findings %q, want %q", got, tt.want)
			}
			if res.Summary.Objects != tt.objects || res.Summary.Skipped != tt.objects {
				t.Errorf("objects %d, skipped %d, want %d of each", res.Summary.Objects, res.Summary.Skipped, tt.objects)
			}
			if tt.objects == 1 && res.Summary.Suppressed.Annotation != 2 {
				t.Errorf("%d findings suppressed by annotation, want the 2 undocumented ports", res.Summary.Suppressed.Annotation)
			}
		})
	}

	// Without the configuration the kind is unknown: skipped, and no rule finds a pod.
	code, out, errs := runIn(t, dir, "", "--config", "defaults.yaml", "--format", "json", "w.yaml")
	if code != ExitOK || !strings.Contains(out, `"findings": []`) {
		t.Errorf("without podKinds: exit %d\n%s%s", code, out, errs)
	}

	// podlint config shows the entries.
	code, out, errs = runIn(t, dir, "", "config")
	if code != ExitOK || !strings.Contains(out, "podKinds:\n    - group: example.com\n      kind: Worker\n      template: spec.pod\n") {
		t.Errorf("podlint config: exit %d\n%s%s", code, out, errs)
	}

	// A broken entry stops the run with its line.
	bad := repo(t, map[string]string{".podlint.yaml": "podKinds:\n  - group: apps\n    kind: StatefulSet\n    template: spec.template\n", "w.yaml": worker})
	code, _, errs = runIn(t, bad, "", "w.yaml")
	if code != ExitError || !strings.Contains(errs, `.podlint.yaml:3:11: podKinds[0]: StatefulSet in group "apps" is Kubernetes' own kind`) {
		t.Errorf("bad podKinds: exit %d\n%s", code, errs)
	}
}
