package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs podlint with args and returns the exit code, standard output and standard error.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }}
	code := Run(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRulesCommand(t *testing.T) {
	code, out, errOut := run(t, "rules")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkGolden(t, filepath.Join("testdata", "rules.golden"), []byte(out))

	code, out, _ = run(t, "rules", "--format", "json")
	var cat []struct {
		ID          string `json:"id"`
		Severity    string `json:"severity"`
		Title       string `json:"title"`
		Remediation string `json:"remediation"`
	}
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatal(err)
	}
	// the ten pod rules, the three rules of the whole run and podlint's seven own checks, sorted by id
	if len(cat) != 20 || cat[0].ID != "bare-pod" || cat[0].Severity != "info" || cat[3].ID != "hostname-pinning" || cat[3].Severity != "warning" || cat[3].Remediation == "" {
		t.Errorf("json catalog: %+v", cat)
	}

	code, out, _ = run(t, "rules", "port-conflict")
	if code != ExitOK || !strings.HasPrefix(out, "port-conflict (error)\n") || !strings.Contains(out, "How to fix:") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, "rules", "required-labels", "--format", "json")
	if code != ExitOK || !strings.Contains(out, `"params"`) {
		t.Errorf("exit %d:\n%s", code, out)
	}

	if code, _, errOut := run(t, "rules", "no-such-rule"); code != ExitError || !strings.Contains(errOut, `no rule "no-such-rule"`) {
		t.Errorf("unknown rule: exit %d: %s", code, errOut)
	}

	dir := writeFiles(t, map[string]string{"p.rego": "package acme\n\nwarn contains \"x\" if true\n"})
	if code, out, _ := run(t, "rules", "--policy", dir); code != ExitOK || !strings.Contains(out, "acme/warn") {
		t.Errorf("with --policy: exit %d:\n%s", code, out)
	}
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, rel: stable}
spec:
  containers:
  - name: web
    image: nginx:1.27
`

func TestLintWithPolicy(t *testing.T) {
	manifests := writeFiles(t, map[string]string{"pod.yaml": pod})
	policies := writeFiles(t, map[string]string{"images.rego": `package images

deny contains {"msg": "images must come from example.com", "path": ["spec", "containers", i, "image"]} if {
	some i, c in input.spec.containers
	not startswith(c.image, "example.com/")
}
`})
	// bare-pod (info) would also report the Pod; this test is about the user's policy.
	code, out, errOut := run(t, "--policy", policies, "--disable", "bare-pod", "--format", "json", manifests)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	var res struct {
		Findings []struct {
			Rule string
			Line int
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != "images/deny" || res.Findings[0].Line != 9 {
		t.Errorf("findings: %+v", res.Findings)
	}

	if code, out, _ := run(t, manifests); code != ExitOK {
		t.Errorf("without the policy: exit %d\n%s", code, out)
	}

	broken := writeFiles(t, map[string]string{"broken.rego": "package broken\n\ndeny contains msg if {\n"})
	code, _, errOut = run(t, "--policy", broken, manifests)
	if code != ExitError || !strings.Contains(errOut, "policy does not load") || !strings.Contains(errOut, "broken.rego:4: unexpected eof token") {
		t.Errorf("broken policy: exit %d: %s", code, errOut)
	}
}

func TestVerifyCommand(t *testing.T) {
	policy := "package acme\n\nimport data.podlint.lib\n\ndeny contains \"no pods\" if count(lib.pods) == 0\n"
	passing := writeFiles(t, map[string]string{
		"acme.rego": policy,
		"acme_test.rego": `package acme_test

import data.acme

test_service_is_denied if {
	acme.deny == {"no pods"} with input as {"kind": "Service"}
}

test_pod_is_fine if {
	count(acme.deny) == 0 with input as {"kind": "Pod", "spec": {"containers": []}}
}

test_shell_builtin if {
	podlint.parse_command(["sh", "-c", "a & b"]).parsed.commands[0].background
}
`,
	})
	code, out, errOut := run(t, "verify", "-v", passing)
	if code != ExitOK || !strings.Contains(out, "3 tests passed") || !strings.Contains(out, "PASS data.acme_test.test_pod_is_fine") {
		t.Errorf("passing tests: exit %d\n%s%s", code, out, errOut)
	}

	failing := writeFiles(t, map[string]string{
		"acme.rego": policy,
		"acme_test.rego": `package acme_test

import data.acme

test_wrong if {
	print("deny is", acme.deny)
	count(acme.deny) == 0 with input as {"kind": "Service"}
}
`,
	})
	code, out, _ = run(t, "verify", failing)
	if code != ExitFindings || !strings.Contains(out, "FAIL data.acme_test.test_wrong (") || !strings.Contains(out, "acme_test.rego:5)") ||
		!strings.Contains(out, "1 of 1 tests failed") {
		t.Errorf("failing test: exit %d\n%s", code, out)
	}

	if code, _, errOut := run(t, "verify", writeFiles(t, map[string]string{"acme.rego": policy})); code != ExitError || !strings.Contains(errOut, "no tests found") {
		t.Errorf("no tests: exit %d: %s", code, errOut)
	}
	if code, _, errOut := run(t, "verify", writeFiles(t, map[string]string{"x_test.rego": "package x\n\ntest_ if {"})); code != ExitError || !strings.Contains(errOut, "x_test.rego:3") {
		t.Errorf("broken test file: exit %d: %s", code, errOut)
	}
	if code, _, _ := run(t, "verify"); code != ExitError {
		t.Errorf("no folder: exit %d", code)
	}
}

// A user's policy of the whole run (custom.scope: run) sees every object of the run, and of the
// rest of the repository when the run names only some files; it is tested with podlint verify.
func TestUserPolicyOfTheWholeRun(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"disruption.rego": `package acme.disruption

# METADATA
# title: Every Deployment has a disruption budget
# custom:
#   id: acme/pdb
#   severity: warning
#   scope: run
deny contains {"msg": msg, "at": d.at} if {
	some d in input.objects
	d.kind == "Deployment"
	not _protected(d.id)
	msg := sprintf("no PodDisruptionBudget selects the pods of Deployment %s", [d.name])
}

_protected(id) if {
	some b in input.objects
	b.kind == "PodDisruptionBudget"
	id in b.selector.selected
}
`,
		"disruption_test.rego": `package acme.disruption_test

import data.acme.disruption

test_unprotected if {
	findings := disruption.deny with input as {"objects": [{"id": 0, "kind": "Deployment", "name": "web", "at": 3}]}
	findings == {{"msg": "no PodDisruptionBudget selects the pods of Deployment web", "at": 3}}
}

test_protected if {
	count(disruption.deny) == 0 with input as {"objects": [
		{"id": 0, "kind": "Deployment", "name": "web", "at": 3},
		{"id": 1, "kind": "PodDisruptionBudget", "name": "web", "at": 7, "selector": {"selected": [0]}},
	]}
}
`,
	})
	if code, out, errOut := run(t, "verify", dir); code != ExitOK || !strings.Contains(out, "2 tests passed") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errOut)
	}
	deployment := func(name string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " + name +
			"}\n  template:\n    metadata:\n      labels: {app: " + name + ", rel: stable}\n    spec:\n      containers:\n      - {name: c, image: nginx:1.27}\n"
	}
	pdb := "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: a\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: a}\n"
	repo := writeFiles(t, map[string]string{".podlint.yaml": "failLevel: error\n", "a.yaml": deployment("a"), "b.yaml": deployment("b"), "pdb.yaml": pdb})
	code, out, errOut := run(t, "--policy", dir, "--format", "json", repo)
	if code != ExitOK || strings.Count(out, `"rule": "acme/pdb"`) != 1 || !strings.Contains(out, "Deployment b") || !strings.Contains(out, `"line": 4`) {
		t.Errorf("whole repository: exit %d\n%s%s", code, out, errOut)
	}
	// a.yaml alone: its budget is in pdb.yaml, which the repository index brings in
	code, out, errOut = run(t, "--policy", dir, "--format", "json", filepath.Join(repo, "a.yaml"))
	if code != ExitOK || strings.Contains(out, "acme/pdb") {
		t.Errorf("a.yaml alone: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, "--policy", dir, "--format", "json", filepath.Join(repo, "b.yaml"))
	if strings.Count(out, `"rule": "acme/pdb"`) != 1 {
		t.Errorf("b.yaml alone: exit %d\n%s", code, out)
	}
}

// A policy rule cannot take the id of a rule podlint implements in Go: findings, suppressions and
// configuration could no longer tell the two apart.
func TestPolicyTakesGoRuleID(t *testing.T) {
	manifests := writeFiles(t, map[string]string{"pod.yaml": pod})
	policies := writeFiles(t, map[string]string{"p.rego": "# METADATA\n# custom:\n#   id: parse-error\npackage acme\n\ndeny contains \"x\" if input.kind == \"Pod\"\n"})
	for _, args := range [][]string{{"--policy", policies, manifests}, {"rules", "--policy", policies}} {
		code, out, errOut := run(t, args...)
		if code != ExitError || !strings.Contains(errOut, `rule id "parse-error"`) || !strings.Contains(errOut, "p.rego") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
}
