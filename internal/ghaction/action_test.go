package ghaction

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// actionFile is the part of action.yml the runner reads.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Name  string            `yaml:"name"`
			If    string            `yaml:"if"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Uses  string            `yaml:"uses"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// repoRoot is the checkout the action lives in: GITHUB_ACTION_PATH for the runs below.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "action.yml")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no action.yml above the test")
		}
		dir = parent
	}
}

func loadAction(t *testing.T) actionFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

var expr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// TestActionShape checks what the runs below rely on: a composite action whose inputs reach the
// scripts only through env, never through ${{ }} inside a script, where a crafted input would run as
// shell code.
func TestActionShape(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using is %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"paths", "config", "format", "fail-level", "version", "sarif-file", "baseline"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("input %q missing", in)
		}
	}
	for _, out := range []string{"sarif-file", "findings", "errors", "baselined"} {
		if _, ok := a.Outputs[out]; !ok {
			t.Errorf("output %q missing", out)
		}
	}
	for i, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %d (%s) interpolates an expression into its script: %q", i, s.Name, s.Run)
		}
		if s.Shell != "bash" {
			t.Errorf("step %d (%s) has shell %q, want bash", i, s.Name, s.Shell)
		}
	}
}

// runner plays the part of the GitHub Actions runner for one use of the action.
type runner struct {
	t         *testing.T
	root      string
	workspace string
	temp      string
	summary   string
	env       []string // added to every step
	inputs    map[string]string
	steps     map[string]map[string]string // step id -> outputs
	log       strings.Builder
}

func newRunner(t *testing.T, inputs map[string]string) *runner {
	t.Helper()
	r := &runner{t: t, root: repoRoot(t), workspace: t.TempDir(), temp: t.TempDir(),
		inputs: inputs, steps: map[string]map[string]string{}}
	r.summary = filepath.Join(r.temp, "step_summary.md")
	if err := os.WriteFile(r.summary, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *runner) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.workspace, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// eval resolves the expressions the action uses in env and outputs.
func (r *runner) eval(s string) string {
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		switch parts := strings.Split(e, "."); {
		case len(parts) == 2 && parts[0] == "inputs":
			if v, ok := r.inputs[parts[1]]; ok {
				return v
			}
			a := loadAction(r.t)
			in, ok := a.Inputs[parts[1]]
			if !ok {
				r.t.Fatalf("expression %q names an undeclared input", e)
			}
			return in.Default
		case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
			return r.steps[parts[1]][parts[3]]
		case e == "github.action_path":
			return r.root
		}
		r.t.Fatalf("the test runner cannot evaluate %q", e)
		return ""
	})
}

// run executes the action's steps in order, as the runner does, and stops at the first failing one.
// It returns the exit code of the last step run and the action's outputs.
func (r *runner) run() (int, map[string]string) {
	r.t.Helper()
	a := loadAction(r.t)
	base := []string{}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "RUNNER_") || strings.HasPrefix(name, "INPUT_") {
			continue
		}
		base = append(base, kv)
	}
	runnerOS, runnerArch := runnerPlatform()
	base = append(base, "CI=true", "GITHUB_ACTIONS=true", "GITHUB_ACTION_PATH="+r.root,
		"GITHUB_WORKSPACE="+r.workspace, "GITHUB_STEP_SUMMARY="+r.summary, "RUNNER_TEMP="+r.temp,
		"RUNNER_OS="+runnerOS, "RUNNER_ARCH="+runnerArch,
		// podlint's repository index cache stays in the run's temporary folder, not the user's
		"PODLINT_CACHE_DIR="+filepath.Join(r.temp, "podlint-cache"))
	base = append(base, r.env...)
	code := 0
	for i, s := range a.Runs.Steps {
		if s.Run == "" {
			r.t.Fatalf("step %d (%s) is not a run step; the test runner cannot run %q", i, s.Name, s.Uses)
		}
		if s.If != "" {
			r.t.Fatalf("step %d (%s) has a condition the test runner does not evaluate", i, s.Name)
		}
		script := filepath.Join(r.temp, fmt.Sprintf("step%d.sh", i))
		output := filepath.Join(r.temp, fmt.Sprintf("output%d", i))
		if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(output, nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
		env := append(append([]string{}, base...), "GITHUB_OUTPUT="+output)
		for k, v := range s.Env {
			env = append(env, k+"="+r.eval(v))
		}
		// The runner's command line for shell: bash.
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = r.workspace
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(&r.log, "## step %s\n%s", s.Name, out)
		code = 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				r.t.Fatalf("step %s: %v", s.Name, err)
			}
			code = ee.ExitCode()
		}
		if s.ID != "" {
			r.steps[s.ID] = readOutputs(r.t, output)
		}
		if code != 0 {
			break
		}
	}
	outputs := map[string]string{}
	for name, o := range a.Outputs {
		outputs[name] = r.eval(o.Value)
	}
	return code, outputs
}

// readOutputs parses a $GITHUB_OUTPUT file: name=value lines and name<<DELIMITER blocks.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		}
	}
	return out
}

// runnerPlatform is what RUNNER_OS and RUNNER_ARCH say on a runner like this machine.
func runnerPlatform() (string, string) {
	osName := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	return osName, arch
}

// The pods carry ownerReferences, as a controller's pods do, so that bare-pod (info) has nothing to
// say about them and the findings are only the ones each case is about.
const goodPod = `apiVersion: v1
kind: Pod
metadata:
  name: good
  labels: {app: good, rel: stable}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: good-5d8f, uid: 0b6c1f3e}]
spec:
  containers:
    - name: app
      image: nginx
`

const badPod = `apiVersion: v1
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

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the action's steps are run with bash here; Windows runners are not simulated")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to run the action's steps: %v", tool, err)
		}
	}
}

// endToEnd skips a test that builds podlint from source once per case (half a minute to minutes on a
// small machine) unless PODLINT_E2E is set; .ci/run sets it, so that go test ./... stays quick.
func endToEnd(t *testing.T) {
	t.Helper()
	if os.Getenv("PODLINT_E2E") == "" {
		t.Skip("end-to-end: builds podlint for every case; set PODLINT_E2E=1 to run it (.ci/run does)")
	}
}

func TestActionFromSource(t *testing.T) {
	endToEnd(t)
	needTools(t, "bash", "go")
	for _, tc := range []struct {
		name     string
		inputs   map[string]string
		code     int
		findings string
		sarif    string // the SARIF file, relative to the workspace; "" for the default place
		log      []string
		notLog   []string
		summary  []string
	}{
		{
			name:     "findings become annotations, SARIF and a summary table",
			inputs:   map[string]string{"paths": "pods"},
			code:     1,
			findings: "1",
			log: []string{
				"::error file=pods/bad.yaml,line=5,col=3,endLine=5,endColumn=7,title=duplicate-key::duplicate key \"name\" (first at line 4): only this last value counts",
				"podlint: 1 error, 0 warnings in 2 files (2 objects)",
			},
			summary: []string{"1 error, 0 warnings in 2 files (2 objects)", "| Severity | Rule | Location | Object | Message |",
				"| error | [`duplicate-key`](https://github.com/podlint/podlint/blob/main/docs/rules/duplicate-key.md) | pods/bad.yaml:5:3 | Pod/web2 | duplicate key"},
		},
		{
			name:     "clean manifests pass",
			inputs:   map[string]string{"paths": "pods/good.yaml", "sarif-file": "reports/podlint.sarif"},
			code:     0,
			findings: "0",
			sarif:    "reports/podlint.sarif",
			log:      []string{"podlint: 0 errors, 0 warnings in 1 file (1 object)"},
			notLog:   []string{"::error"},
			summary:  []string{"0 errors, 0 warnings in 1 file (1 object)"},
		},
		{
			name:     "text log format, several paths, no annotations",
			inputs:   map[string]string{"paths": "pods/good.yaml\n  pods/bad.yaml  ", "format": "text"},
			code:     1,
			findings: "1",
			log:      []string{"pods/bad.yaml:5:3: error: duplicate key", "    5 |   name: web2"},
			notLog:   []string{"::error"},
			summary:  []string{"pods/bad.yaml:5:3"},
		},
		{
			name:     "a bad input value is podlint's usage error",
			inputs:   map[string]string{"paths": "pods", "fail-level": "fatal"},
			code:     2,
			findings: "",
			log:      []string{"--fail-level: unknown severity", "::error title=podlint::podlint could not run (exit 2)"},
		},
		{
			name:   "an input cannot inject shell code",
			inputs: map[string]string{"paths": "pods/good.yaml $(touch injected) `touch injected`; touch injected"},
			code:   2,
			log:    []string{"$(touch: no such file or directory"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(t, tc.inputs)
			r.write("pods/good.yaml", goodPod)
			r.write("pods/bad.yaml", badPod)
			code, outputs := r.run()
			log := r.log.String()
			if code != tc.code {
				t.Fatalf("exit %d, want %d; log:\n%s", code, tc.code, log)
			}
			for _, want := range tc.log {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
			for _, unwanted := range tc.notLog {
				if strings.Contains(log, unwanted) {
					t.Errorf("log has %q:\n%s", unwanted, log)
				}
			}
			if _, err := os.Stat(filepath.Join(r.workspace, "injected")); err == nil {
				t.Error("an input ran as shell code")
			}
			if outputs["findings"] != tc.findings {
				t.Errorf("output findings = %q, want %q", outputs["findings"], tc.findings)
			}
			// every finding of these cases is an error, and none is in a baseline
			if outputs["errors"] != tc.findings || (tc.code != 2 && outputs["baselined"] != "0") {
				t.Errorf("outputs errors = %q (want %q) and baselined = %q", outputs["errors"], tc.findings, outputs["baselined"])
			}
			summary, err := os.ReadFile(r.summary)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.summary {
				if !strings.Contains(string(summary), want) {
					t.Errorf("job summary lacks %q:\n%s", want, summary)
				}
			}
			if tc.code == 2 {
				return
			}
			wantSARIF := filepath.Join(r.temp, "podlint.sarif")
			if tc.sarif != "" {
				wantSARIF = tc.sarif
			}
			if outputs["sarif-file"] != wantSARIF {
				t.Errorf("output sarif-file = %q, want %q", outputs["sarif-file"], wantSARIF)
			}
			sarif := outputs["sarif-file"]
			if !filepath.IsAbs(sarif) {
				sarif = filepath.Join(r.workspace, sarif)
			}
			checkSARIF(t, sarif, tc.findings)
		})
	}
}

// checkSARIF reads the SARIF file the action wrote and counts its results.
func checkSARIF(t *testing.T, path, findings string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("SARIF report: %v", err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("SARIF report: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || fmt.Sprint(len(log.Runs[0].Results)) != findings {
		t.Errorf("SARIF report has version %q, %d runs, and not %s results:\n%s", log.Version, len(log.Runs), findings, data)
	}
}

// fakeRelease builds podlint stamped with a version and lays out a release folder as .goreleaser.yaml
// names it: podlint_<os>_<arch>.tar.gz holding the binary, and checksums.txt.
func fakeRelease(t *testing.T, root, version string, corrupt bool) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(t.TempDir(), "podlint")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-X github.com/podlint/podlint/internal/cli.Version="+version,
		"-o", bin, "./cmd/podlint")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build podlint: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"README.md", 0o644, []byte("podlint\n")}, {"LICENSE", 0o644, []byte("license\n")}, {"podlint", 0o755, exe}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	archive := fmt.Sprintf("podlint_%s_%s.tar.gz", runtime.GOOS, runtime.GOARCH)
	sum := sha256.Sum256(buf.Bytes())
	if corrupt {
		sum[0] ^= 0xff
	}
	rel := filepath.Join(dir, "download", "v"+version)
	if err := os.MkdirAll(rel, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rel, archive), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	checksums := fmt.Sprintf("%s  %s\n%s  podlint_other_os.tar.gz\n", hex.EncodeToString(sum[:]), archive, strings.Repeat("0", 64))
	if err := os.WriteFile(filepath.Join(rel, "checksums.txt"), []byte(checksums), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestActionFromRelease(t *testing.T) {
	endToEnd(t)
	needTools(t, "bash", "go", "curl", "tar")
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("release archives are tar.gz only on Linux and macOS")
	}
	root := repoRoot(t)
	for _, tc := range []struct {
		name    string
		version string
		corrupt bool
		code    int
		log     string
	}{
		{"the release is downloaded, checked and run", "v1.2.3", false, 0, "podlint 1.2.3"},
		{"a version without v names the same release", "1.2.3", false, 0, "podlint 1.2.3"},
		{"a checksum mismatch stops the action", "1.2.3", true, 1, "checksum mismatch for podlint_"},
		{"a missing release stops the action", "9.9.9", false, 1, "cannot download"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			releases := fakeRelease(t, root, "1.2.3", tc.corrupt)
			r := newRunner(t, map[string]string{"paths": "pods/good.yaml", "version": tc.version})
			r.env = append(r.env, "PODLINT_RELEASE_URL=file://"+releases)
			r.write("pods/good.yaml", goodPod)
			code, outputs := r.run()
			log := r.log.String()
			if code != tc.code || !strings.Contains(log, tc.log) {
				t.Fatalf("exit %d, want %d and %q in the log:\n%s", code, tc.code, tc.log, log)
			}
			if tc.code == 0 {
				if outputs["findings"] != "0" || !strings.Contains(log, "Downloading file://") || strings.Contains(log, "Building podlint") {
					t.Errorf("outputs %v; log:\n%s", outputs, log)
				}
			} else if _, ok := r.steps["run"]; ok {
				t.Error("podlint ran after a failed install")
			}
		})
	}
}
