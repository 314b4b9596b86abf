package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const baselinePod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  name: web2
  labels: {app: web, rel: stable}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: 7a9e2c41}]
spec:
  containers:
    - name: app
      image: nginx
`

// TestBaseline adopts podlint in a repository with a finding: the baseline is written, accepts the
// finding after lines move, lets a new finding fail the run, and lists the entry that went stale.
func TestBaseline(t *testing.T) {
	dir := repo(t, map[string]string{"deploy/web.yaml": baselinePod})

	code, _, stderr := runIn(t, dir, "", "deploy")
	if code != ExitFindings {
		t.Fatalf("before the baseline: exit %d, want %d; %s", code, ExitFindings, stderr)
	}
	code, stdout, stderr := runIn(t, dir, "", "--write-baseline", "podlint-baseline.json", "deploy")
	if code != ExitOK || !strings.Contains(stderr, "wrote 1 finding to the baseline podlint-baseline.json") ||
		!strings.Contains(stdout, "0 errors, 0 warnings in 1 file (1 object); 1 accepted by the baseline") {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, stdout, stderr)
	}

	// Lines move, and the run starts from a subfolder: the entry still matches.
	pod := "# a comment that moves every line\n" + baselinePod
	if err := os.WriteFile(filepath.Join(dir, "deploy", "web.yaml"), []byte(pod), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runIn(t, filepath.Join(dir, "deploy"), "", "--baseline", "../podlint-baseline.json", "--format", "json", ".")
	var rep struct {
		Findings []struct{ Rule string }
		Summary  struct{ Errors, Baselined, StaleBaseline int }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if code != ExitOK || len(rep.Findings) != 0 || rep.Summary.Baselined != 1 || rep.Summary.StaleBaseline != 0 || stderr != "" {
		t.Fatalf("moved lines: exit %d, %+v\n%s", code, rep, stderr)
	}

	// A new problem fails the run; the accepted one is fixed, so its entry is stale. The baseline
	// named in .podlint.yaml is used without the flag.
	pod = strings.Replace(strings.Replace(baselinePod, "  name: web2\n", "", 1), "image: nginx", "image: nginx\n      foo: bar", 1)
	if err := os.WriteFile(filepath.Join(dir, "deploy", "web.yaml"), []byte(pod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".podlint.yaml"), []byte("baseline: podlint-baseline.json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runIn(t, filepath.Join(dir, "deploy"), "", ".")
	if code != ExitFindings || !strings.Contains(stdout, `unknown field "foo"`) ||
		!strings.Contains(stdout, "0 accepted by the baseline, 1 stale baseline entry") ||
		!strings.Contains(stderr, "1 entry of the baseline "+filepath.Join(dir, "podlint-baseline.json")+" matched no finding") ||
		!strings.Contains(stderr, `duplicate-key: deploy/web.yaml Pod/web2: duplicate key "name"`) {
		t.Fatalf("new finding: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := repo(t, map[string]string{"web.yaml": baselinePod, "bad.json": `{"tool":"other"}`})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--baseline", "missing.json", "web.yaml"}, "baseline"},
		{[]string{"--baseline", "bad.json", "web.yaml"}, "not a podlint baseline"},
		{[]string{"--write-baseline", "web.yaml", "."}, "--write-baseline web.yaml is one of the files being linted"},
	} {
		code, _, stderr := runIn(t, dir, "", tc.args...)
		if code != ExitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s", tc.args, code, ExitError, tc.want, stderr)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "web.yaml")); string(data) != baselinePod {
		t.Error("--write-baseline overwrote a linted file")
	}
}

// pre-commit passes only the changed files: the baseline's entries of other files are not stale.
func TestBaselineNamedFiles(t *testing.T) {
	dir := repo(t, map[string]string{"a.yaml": baselinePod, "b.yaml": baselinePod})
	if code, _, stderr := runIn(t, dir, "", "--write-baseline", "bl.json", "a.yaml", "b.yaml"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runIn(t, dir, "", "--baseline", "bl.json", "a.yaml")
	if code != ExitOK || stderr != "" || !strings.Contains(stdout, "; 1 accepted by the baseline\n") {
		t.Errorf("one named file: exit %d\n%s%s", code, stdout, stderr)
	}
}
