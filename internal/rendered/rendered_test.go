package rendered

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
)

// The test binary stands in for podlint-render: with PODLINT_FAKE_RESULTS set, it answers each job
// with the result stored under the job's folder in that JSON file.
func TestMain(m *testing.M) {
	if p := os.Getenv("PODLINT_FAKE_RESULTS"); p != "" {
		data, _ := os.ReadFile(p)
		byDir := map[string]render.Result{}
		json.Unmarshal(data, &byDir)
		var req render.Request
		json.NewDecoder(os.Stdin).Decode(&req)
		enc := json.NewEncoder(os.Stdout)
		for i, j := range req.Jobs {
			r := byDir[j.Dir]
			r.Job = i
			enc.Encode(r)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeRenderer makes the files, stores the renderer's answers, and returns rendering options that run
// the test binary as the renderer.
func fakeRenderer(t *testing.T, files map[string]string, results map[string]render.Result) Options {
	t.Helper()
	t.Chdir(t.TempDir())
	for name, text := range files {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := json.Marshal(results)
	p := filepath.Join(t.TempDir(), "results.json")
	os.WriteFile(p, data, 0o644)
	t.Setenv("PODLINT_FAKE_RESULTS", p)
	return Options{Find: os.Executable}
}

const deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"

// Only the top kustomization is linted; the files its build read are not linted on their own.
func TestTopKustomizations(t *testing.T) {
	files := map[string]string{
		"base/kustomization.yaml":   "resources: [deploy.yaml]\n",
		"base/deploy.yaml":          deploy,
		"prod/kustomization.yaml":   "resources: [../base]\npatches: [{path: patch.yaml}]\n",
		"prod/patch.yaml":           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n",
		"unrelated/deployment.yaml": deploy,
	}
	opts := fakeRenderer(t, files, map[string]render.Result{
		"base": {Uses: []string{"base/kustomization.yaml", "base/deploy.yaml"},
			Outputs: []render.Output{{Text: deploy, Origin: "base/deploy.yaml"}}},
		"prod": {Uses: []string{"prod/kustomization.yaml", "prod/patch.yaml", "base/kustomization.yaml", "base/deploy.yaml"},
			Outputs: []render.Output{{Text: deploy, Origin: "base/deploy.yaml"}}},
	})
	found, err := manifest.Discover([]string{"."}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := New(opts)(context.Background(), found)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kustomizations != 1 || len(got.Units) != 1 || got.Units[0].Name != "prod" {
		t.Fatalf("%d kustomizations, units %+v: want the overlay alone", got.Kustomizations, got.Units)
	}
	for _, f := range []string{"base/deploy.yaml", "prod/patch.yaml"} {
		if !got.Used[f] {
			t.Errorf("%s is used by the build but would be linted on its own", f)
		}
	}
	if got.Used["unrelated/deployment.yaml"] {
		t.Errorf("a file no build uses is not linted")
	}

	// a kustomization found above a named file counts only when it uses that file
	found, _ = manifest.Discover([]string{"unrelated/deployment.yaml"}, nil)
	if len(found.Kustomizations) != 0 {
		t.Fatalf("kustomizations above an unrelated file: %v", found.Kustomizations)
	}
	found, _ = manifest.Discover([]string{"prod/patch.yaml"}, nil)
	got, err = New(opts)(context.Background(), found)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kustomizations != 1 || !got.Used["prod/patch.yaml"] {
		t.Errorf("a named patch: %d kustomizations, used %v", got.Kustomizations, got.Used)
	}
}

// A finding of a packaged dependency lands on the dependency's entry in Chart.yaml.
func TestArchivePlacement(t *testing.T) {
	files := map[string]string{
		"web/Chart.yaml":  "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 17.0.0\n",
		"web/values.yaml": "a: 1\n",
	}
	opts := fakeRenderer(t, files, map[string]render.Result{
		"web": {Outputs: []render.Output{{Text: deploy, Template: "redis/templates/master.yaml", Archive: "web/charts/redis-17.0.0.tgz"}}},
	})
	found, _ := manifest.Discover([]string{"web"}, nil)
	got, err := New(opts)(context.Background(), found)
	if err != nil {
		t.Fatal(err)
	}
	if got.Charts != 1 || len(got.Units) != 1 {
		t.Fatalf("%d charts, %d units", got.Charts, len(got.Units))
	}
	f := lint.Finding{Rule: "x", File: "ignored", Line: 9, Column: 9, Message: "bad"}
	got.Units[0].Place(nil, &f)
	if f.File != filepath.Join("web", "Chart.yaml") || f.Line != 5 || f.Column != 3 ||
		!strings.Contains(f.Message, "in redis/templates/master.yaml of the packaged dependency redis-17.0.0.tgz") {
		t.Errorf("placed at %s:%d:%d %q", f.File, f.Line, f.Column, f.Message)
	}
}

// Without a renderer, each chart and kustomization is one finding saying so.
func TestNotInstalled(t *testing.T) {
	opts := fakeRenderer(t, map[string]string{
		"web/Chart.yaml":            "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"prod/kustomization.yaml":   "resources: []\n",
		"other/kustomization.yaml":  "resources: []\n",
		"other/deployment.yaml":     deploy,
		"other/nested/service.yaml": "kind: Service\n",
	}, nil)
	opts.Find = func() (string, error) { return "", render.ErrNotFound }
	found, _ := manifest.Discover([]string{"web", "prod", "other/nested/service.yaml"}, nil)
	got, err := New(opts)(context.Background(), found)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, f := range got.Findings {
		if f.Rule != RuleRenderError || !strings.Contains(f.Message, "not installed") {
			t.Errorf("finding %+v", f)
		}
		where = append(where, f.File)
	}
	want := []string{filepath.Join("web", "Chart.yaml"), filepath.Join("prod", "kustomization.yaml")}
	if strings.Join(where, " ") != strings.Join(want, " ") {
		t.Errorf("findings on %v, want %v (a kustomization brought along by a named file is not one)", where, want)
	}
}

// A renderer that fails is podlint failing to do its job: an error, not findings.
func TestRendererFails(t *testing.T) {
	opts := fakeRenderer(t, map[string]string{"web/Chart.yaml": "name: web\n"}, nil)
	boom := errors.New("boom")
	opts.Find = func() (string, error) { return "", boom }
	found, _ := manifest.Discover([]string{"web"}, nil)
	if _, err := New(opts)(context.Background(), found); !errors.Is(err, boom) {
		t.Errorf("error %v", err)
	}
	opts.Find = func() (string, error) { return "/bin/false", nil }
	if _, err := New(opts)(context.Background(), found); err == nil {
		t.Errorf("a renderer that exits 1 without answering is not an error")
	}
}
