package ghaction

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// workflowFile is the part of a workflow the test runs.
type workflowFile struct {
	Jobs map[string]struct {
		Steps []workflowStep `yaml:"steps"`
	} `yaml:"jobs"`
}

type workflowStep struct {
	ID              string            `yaml:"id"`
	Name            string            `yaml:"name"`
	If              string            `yaml:"if"`
	Uses            string            `yaml:"uses"`
	Run             string            `yaml:"run"`
	With            map[string]string `yaml:"with"`
	Env             map[string]string `yaml:"env"`
	ContinueOnError bool              `yaml:"continue-on-error"`
}

// Steps of other actions the job uses, which the test does not run: the checkout is the repository
// itself, the Go is the one on the PATH, and nothing is uploaded.
var skippedActions = []string{"actions/checkout@", "actions/setup-go@", "github/codeql-action/upload-sarif@"}

// TestWorkflow runs the repository's own workflow (.github/workflows/podlint.yml) the way a runner
// does: the action's steps for each uses: ./, the run: steps with bash, in the repository as the
// workspace, with one RUNNER_TEMP for the job. Its last step checks the action's outputs, so the test
// fails when that check fails; and each value the check reads is then changed to a wrong one, which
// the check must reject, so that it cannot pass whatever the action does.
func TestWorkflow(t *testing.T) {
	endToEnd(t)
	needTools(t, "bash", "go")
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "podlint.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflowFile
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("podlint.yml: %v", err)
	}
	job, ok := wf.Jobs["action"]
	if !ok || len(job.Steps) == 0 {
		t.Fatal("podlint.yml has no steps in job action")
	}
	before := repoStatus(t, root)
	temp := t.TempDir()
	outcomes := map[string]string{}
	outputs := map[string]map[string]string{}
	eval := func(s string) string {
		return expr.ReplaceAllStringFunc(s, func(m string) string {
			e := expr.FindStringSubmatch(m)[1]
			parts := strings.Split(e, ".")
			switch {
			case e == "runner.temp":
				return temp
			case len(parts) == 3 && parts[0] == "steps" && parts[2] == "outcome":
				return outcomes[parts[1]]
			case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
				return outputs[parts[1]][parts[3]]
			}
			t.Fatalf("the test cannot evaluate %q", e)
			return ""
		})
	}
	var check *workflowStep
	var checkEnv []string
	for i := range job.Steps {
		s := &job.Steps[i]
		switch {
		case skipped(s.Uses):
			continue
		case s.Uses == "./":
			inputs := map[string]string{}
			for k, v := range s.With {
				inputs[k] = eval(v)
			}
			r := newRunner(t, inputs)
			r.workspace, r.temp = root, temp
			code, outs := r.run()
			outcome := "success"
			if code != 0 {
				outcome = "failure"
			}
			if s.ID != "" {
				outcomes[s.ID], outputs[s.ID] = outcome, outs
			}
			if code != 0 && !s.ContinueOnError {
				t.Fatalf("step %q failed (exit %d); the job would stop here:\n%s", s.Name, code, r.log.String())
			}
		case s.Run != "":
			if s.If != "" {
				t.Fatalf("step %q has a condition the test does not evaluate", s.Name)
			}
			env := []string{"RUNNER_TEMP=" + temp, "CI=true", "GITHUB_ACTIONS=true", "GITHUB_WORKSPACE=" + root,
				// podlint's repository cache stays in the job's temporary folder, as in the action's runs
				"PODLINT_CACHE_DIR=" + filepath.Join(temp, "podlint-cache")}
			for k, v := range s.Env {
				env = append(env, k+"="+eval(v))
			}
			if out, err := runStep(root, s.Run, env); err != nil {
				t.Fatalf("step %q: %v\n%s", s.Name, err, out)
			}
			check, checkEnv = s, env
			if s.ID != "" {
				outcomes[s.ID] = "success"
			}
		default:
			t.Fatalf("step %q uses %q, which the test does not know how to run", s.Name, s.Uses)
		}
	}
	if check == nil || len(check.Env) == 0 {
		t.Fatal("the workflow has no step that checks the action's outputs")
	}
	if after := repoStatus(t, root); after != before {
		t.Errorf("the workflow left files in the repository:\n%s", after)
	}
	// Each value the check reads must matter to it.
	for name := range check.Env {
		env := append(append([]string{}, checkEnv...), name+"=wrong")
		if out, err := runStep(root, check.Run, env); err == nil {
			t.Errorf("step %q passes with %s=wrong; it does not check %s:\n%s", check.Name, name, name, out)
		}
	}
}

func skipped(uses string) bool {
	for _, p := range skippedActions {
		if strings.HasPrefix(uses, p) {
			return true
		}
	}
	return false
}

// runStep runs a workflow's run: script as a runner does for the default bash shell.
func runStep(dir, script string, env []string) (string, error) {
	f, err := os.CreateTemp("", "step-*.sh")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		return "", err
	}
	f.Close()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", f.Name())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// repoStatus is what git says has changed in the checkout, or "" where git cannot tell.
func repoStatus(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=all").Output()
	if err != nil {
		return ""
	}
	return fmt.Sprint(string(out))
}
