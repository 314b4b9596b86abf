package kustbuild

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/render"
)

// TestMain makes sure no test reaches the network: HTTP fails, and git may use no transport but
// local files.
func TestMain(m *testing.M) {
	http.DefaultTransport = roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("network used in a test")
	})
	os.Setenv("GIT_ALLOW_PROTOCOL", "file")
	os.Exit(m.Run())
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// writeFiles writes files (name → text) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// find returns the output whose text holds kind and name.
func find(t *testing.T, outs []render.Output, kind, name string) render.Output {
	t.Helper()
	for _, o := range outs {
		if strings.Contains(o.Text, "kind: "+kind+"\n") && strings.Contains(o.Text, "  name: "+name+"\n") {
			return o
		}
	}
	t.Fatalf("no %s %s among the outputs", kind, name)
	return render.Output{}
}

func TestOverlayWithBaseComponentPatchesAndGenerator(t *testing.T) {
	dir := filepath.Join("testdata", "overlays", "prod")
	res := Build(dir)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	td := "testdata"
	wantUses := []string{
		filepath.Join(td, "base", "kustomization.yaml"),
		filepath.Join(td, "base", "resources-patch.yaml"),
		filepath.Join(td, "base", "service.yaml"),
		filepath.Join(td, "base", "workloads.yaml"),
		filepath.Join(td, "components", "monitoring", "exporter.yaml"),
		filepath.Join(td, "components", "monitoring", "kustomization.yaml"),
		filepath.Join(td, "overlays", "prod", "cronjob-patch.yaml"),
		filepath.Join(td, "overlays", "prod", "json-patch.yaml"),
		filepath.Join(td, "overlays", "prod", "kustomization.yaml"),
	}
	if !reflect.DeepEqual(res.Uses, wantUses) {
		t.Errorf("uses:\n%s\nwant:\n%s", strings.Join(res.Uses, "\n"), strings.Join(wantUses, "\n"))
	}
	if len(res.Outputs) != 5 {
		t.Fatalf("%d outputs, want 5", len(res.Outputs))
	}
	for _, o := range res.Outputs {
		if strings.Contains(o.Text, "config.kubernetes.io/origin") || strings.Contains(o.Text, "annotations: {}") || strings.Contains(o.Text, "buildMetadata") {
			t.Errorf("build annotation left in:\n%s", o.Text)
		}
		if o.Namespace != "prod" {
			t.Errorf("namespace %q, want prod:\n%s", o.Namespace, o.Text)
		}
	}

	web := find(t, res.Outputs, "Deployment", "prod-web")
	if web.Origin != filepath.Join(td, "base", "workloads.yaml") || web.OriginIndex != 0 || web.Generator != "" {
		t.Errorf("web origin %q %d %q", web.Origin, web.OriginIndex, web.Generator)
	}
	for _, s := range []string{"replicas: 3\n", "prometheus.io/scrape: \"true\"", "image: registry.example/web:2.0\n",
		"memory: 128Mi\n", "runAsNonRoot: true\n", "name: prod-web-config-"} {
		if !strings.Contains(web.Text, s) {
			t.Errorf("web lacks %q:\n%s", s, web.Text)
		}
	}
	kustProd := filepath.Join(td, "overlays", "prod", "kustomization.yaml")
	wantPatches := []render.Patch{
		{File: filepath.Join(td, "base", "resources-patch.yaml"), Text: readFile(t, filepath.Join(td, "base", "resources-patch.yaml"))},
		{File: filepath.Join(td, "components", "monitoring", "kustomization.yaml"), Line: 9, JSON6902: true,
			Text: "- op: add\n  path: /spec/template/metadata/annotations\n  value:\n    prometheus.io/scrape: \"true\""},
		{File: kustProd, Line: 25,
			Text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsNonRoot: true"},
		{File: kustProd, Line: 19, JSON6902: true, Text: "- op: replace\n  path: /spec/replicas\n  value: 3"},
		{File: filepath.Join(td, "overlays", "prod", "json-patch.yaml"), JSON6902: true, Text: readFile(t, filepath.Join(td, "overlays", "prod", "json-patch.yaml"))},
	}
	if !reflect.DeepEqual(web.Patches, wantPatches) {
		t.Errorf("web patches:\n%+v\nwant:\n%+v", web.Patches, wantPatches)
	}
	// The inline patches' lines are where their text starts in the kustomization.
	lines := strings.Split(readFile(t, kustProd), "\n")
	if lines[18] != "      - op: replace" || lines[24] != "    apiVersion: apps/v1" {
		t.Errorf("inline patch lines: %q, %q", lines[18], lines[24])
	}

	cron := find(t, res.Outputs, "CronJob", "prod-cleanup")
	if cron.Origin != filepath.Join(td, "base", "workloads.yaml") || cron.OriginIndex != 1 {
		t.Errorf("cronjob origin %q %d", cron.Origin, cron.OriginIndex)
	}
	wantCron := []render.Patch{{File: filepath.Join(td, "overlays", "prod", "cronjob-patch.yaml"), Text: readFile(t, filepath.Join(td, "overlays", "prod", "cronjob-patch.yaml"))}}
	if !reflect.DeepEqual(cron.Patches, wantCron) || !strings.Contains(cron.Text, "schedule: 0 4 * * *\n") {
		t.Errorf("cronjob patches %+v\n%s", cron.Patches, cron.Text)
	}

	svc := find(t, res.Outputs, "Service", "prod-web")
	if svc.Origin != filepath.Join(td, "base", "service.yaml") || svc.OriginIndex != 0 || len(svc.Patches) != 0 {
		t.Errorf("service: %+v", svc)
	}
	pod := find(t, res.Outputs, "Pod", "prod-exporter")
	if pod.Origin != filepath.Join(td, "components", "monitoring", "exporter.yaml") || len(pod.Patches) != 0 {
		t.Errorf("exporter: %+v", pod)
	}
	var cm render.Output
	for _, o := range res.Outputs {
		if strings.Contains(o.Text, "kind: ConfigMap\n") {
			cm = o
		}
	}
	if cm.Generator != filepath.Join(td, "base", "kustomization.yaml") || cm.Origin != "" || cm.OriginIndex != -1 ||
		!strings.Contains(cm.Text, "MODE: prod\n") {
		t.Errorf("config map: %+v", cm)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBaseAlone(t *testing.T) {
	res := Build(filepath.Join("testdata", "base"))
	if len(res.Problems) != 0 || len(res.Outputs) != 4 {
		t.Fatalf("%+v", res)
	}
	web := find(t, res.Outputs, "Deployment", "web")
	if web.Namespace != "" || len(web.Patches) != 1 || web.Patches[0].File != filepath.Join("testdata", "base", "resources-patch.yaml") {
		t.Errorf("web: %+v", web)
	}
}

func TestRemoteReferencesAreRefused(t *testing.T) {
	dir := filepath.Join("testdata", "remote")
	res := Build(dir)
	file := filepath.Join(dir, "kustomization.yaml")
	want := []render.Problem{
		{File: file, Line: 5, Message: "remote base github.com/example/platform//deploy?ref=v1.2.0 is not fetched: podlint never uses the network; vendor it"},
		{File: file, Line: 6, Message: "remote base https://example.com/manifests/app.yaml is not fetched: podlint never uses the network; vendor it"},
		{File: file, Line: 8, Message: "remote component git@github.com:example/components.git//monitoring is not fetched: podlint never uses the network; vendor it"},
		{File: file, Line: 9, Message: "helmCharts needs the helm binary, which podlint does not run: render the chart as a chart job of its own"},
	}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("problems:\n%+v\nwant:\n%+v", res.Problems, want)
	}
	if len(res.Outputs) != 0 {
		t.Errorf("built anyway: %+v", res.Outputs)
	}
	// nothing was built, but the local resource is still the kustomization's, not a file of its own
	if !reflect.DeepEqual(res.Uses, []string{file, filepath.Join(dir, "local.yaml")}) {
		t.Errorf("uses %v", res.Uses)
	}
}

func TestRemoteInALocalBaseAndRemoteFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: https://example.com/patch.yaml\n",
		"base/kustomization.yaml":    "resources:\n- pod.yaml\n- ssh://git@example.com/org/repo.git\nconfigMapGenerator:\n- name: c\n  files:\n  - key=https://example.com/data.txt\n",
		"base/pod.yaml":              "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
	})
	res := Build(filepath.Join(dir, "overlay"))
	want := []render.Problem{
		{File: filepath.Join(dir, "base", "kustomization.yaml"), Line: 3, Message: "remote base ssh://git@example.com/org/repo.git is not fetched: podlint never uses the network; vendor it"},
		{File: filepath.Join(dir, "base", "kustomization.yaml"), Line: 7, Message: "remote file https://example.com/data.txt is not fetched: podlint never uses the network; vendor it"},
		{File: filepath.Join(dir, "overlay", "kustomization.yaml"), Line: 4, Message: "remote file https://example.com/patch.yaml is not fetched: podlint never uses the network; vendor it"},
	}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("problems:\n%+v\nwant:\n%+v", res.Problems, want)
	}
}

func TestIsRemote(t *testing.T) {
	for ref, want := range map[string]bool{
		"github.com/org/repo//dir?ref=v1":           true,
		"https://github.com/org/repo":               true,
		"git::https://example.com/repo.git":         true,
		"git@gitlab.example:org/repo.git":           true,
		"deploy@host.example:repos/x":               true,
		"gitlab.com/org/repo":                       true,
		"dev.azure.com/org/proj/_git/repo":          true,
		"../base":                                   false,
		"./v1.2/app.yaml":                           false,
		"deployment.yaml":                           false,
		"overlays/prod":                             false,
		"example.com/not-a-scheme-but-a-local-path": false,
	} {
		if got := isRemote(ref); got != want {
			t.Errorf("isRemote(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestBrokenKustomization(t *testing.T) {
	dir := filepath.Join("testdata", "broken")
	res := Build(dir)
	if len(res.Problems) != 1 {
		t.Fatalf("problems %+v", res.Problems)
	}
	p := res.Problems[0]
	if p.File != filepath.Join(dir, "kustomization.yaml") || p.Line != 5 ||
		!strings.HasPrefix(p.Message, "kustomization does not build: ") || !strings.Contains(p.Message, "missing.yaml") {
		t.Errorf("problem %+v", p)
	}
	abs, _ := filepath.Abs(dir)
	if strings.Contains(p.Message, abs) {
		t.Errorf("absolute path left in the message: %s", p.Message)
	}
	if len(res.Outputs) != 0 {
		t.Errorf("outputs %+v", res.Outputs)
	}
	if want := []string{filepath.Join(dir, "kustomization.yaml"), filepath.Join(dir, "pod.yaml")}; !reflect.DeepEqual(res.Uses, want) {
		t.Errorf("uses %v, want %v: a build that fails still owns its resources", res.Uses, want)
	}
}

func TestErrorInABase(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"overlay/kustomization.yaml": "resources:\n- ../base\n",
		"base/kustomization.yaml":    "resources:\n- pod.yaml\npatches:\n- path: nothere.yaml\n",
		"base/pod.yaml":              "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
	})
	res := Build(filepath.Join(dir, "overlay"))
	if len(res.Problems) != 1 {
		t.Fatalf("problems %+v", res.Problems)
	}
	if p := res.Problems[0]; p.File != filepath.Join(dir, "base", "kustomization.yaml") || p.Line != 4 {
		t.Errorf("problem %+v", p)
	}
}

func TestKustomizationThatDoesNotParse(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"kustomization.yaml": "resources:\n- a.yaml\n  b: [\n"})
	res := Build(dir)
	if len(res.Problems) != 1 || res.Problems[0].File != filepath.Join(dir, "kustomization.yaml") || res.Problems[0].Line < 1 {
		t.Fatalf("problems %+v", res.Problems)
	}
	res = Build(filepath.Join(dir, "nothere"))
	if len(res.Problems) != 1 || res.Problems[0].File != filepath.Join(dir, "nothere") {
		t.Fatalf("problems %+v", res.Problems)
	}
}

func TestSelectorsAndMultiDocumentPatches(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"kustomization.yaml": `resources:
- app.yaml
namePrefix: x-
patches:
- target:
    kind: Deployment
    labelSelector: tier=web
  patch: |-
    - op: add
      path: /metadata/labels/patched
      value: "yes"
- path: both.yaml
`,
		"app.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: front
  labels:
    tier: web
spec:
  template:
    spec:
      containers:
      - name: c
        image: i
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: back
  labels:
    tier: db
spec:
  template:
    spec:
      containers:
      - name: c
        image: i
`,
		"both.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: front
spec:
  replicas: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: back
spec:
  replicas: 4
`,
	})
	res := Build(dir)
	if len(res.Problems) != 0 {
		t.Fatalf("problems %+v", res.Problems)
	}
	front := find(t, res.Outputs, "Deployment", "x-front")
	back := find(t, res.Outputs, "Deployment", "x-back")
	if front.OriginIndex != 0 || back.OriginIndex != 1 {
		t.Errorf("indexes %d %d", front.OriginIndex, back.OriginIndex)
	}
	both := filepath.Join(dir, "both.yaml")
	wantFront := []render.Patch{
		{File: filepath.Join(dir, "kustomization.yaml"), Line: 9, JSON6902: true, Text: "- op: add\n  path: /metadata/labels/patched\n  value: \"yes\""},
		{File: both, Line: 1, Text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: front\nspec:\n  replicas: 2\n"},
	}
	if !reflect.DeepEqual(front.Patches, wantFront) {
		t.Errorf("front patches:\n%+v\nwant:\n%+v", front.Patches, wantFront)
	}
	wantBack := []render.Patch{{File: both, Line: 8, Text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: back\nspec:\n  replicas: 4\n"}}
	if !reflect.DeepEqual(back.Patches, wantBack) {
		t.Errorf("back patches:\n%+v\nwant:\n%+v", back.Patches, wantBack)
	}
	if !strings.Contains(front.Text, "patched: \"yes\"") || strings.Contains(back.Text, "patched") || !strings.Contains(back.Text, "replicas: 4") {
		t.Errorf("built:\n%s\n%s", front.Text, back.Text)
	}
}

func TestFolderThroughALink(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"real/kustomization.yaml": "resources:\n- pod.yaml\n",
		"real/pod.yaml":           "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
	})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	res := Build(link)
	if len(res.Problems) != 0 || len(res.Outputs) != 1 {
		t.Fatalf("%+v", res)
	}
	if o := res.Outputs[0]; o.Origin != filepath.Join(link, "pod.yaml") || o.OriginIndex != 0 {
		t.Errorf("output %+v", o)
	}
	if want := []string{filepath.Join(link, "kustomization.yaml"), filepath.Join(link, "pod.yaml")}; !reflect.DeepEqual(res.Uses, want) {
		t.Errorf("uses %v", res.Uses)
	}
}
