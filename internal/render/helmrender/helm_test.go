package helmrender

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/render"
)

const kube = "v1.37.2"

// byTemplate indexes outputs by template (archive!template for one inside an archive).
func byTemplate(outs []render.Output) map[string]string {
	m := map[string]string{}
	for _, o := range outs {
		key := o.Template
		if o.Archive != "" {
			key = o.Archive + "!" + o.Template
		}
		m[key] = o.Text
	}
	return m
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

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

func TestRenderWithValuesFilesAndSet(t *testing.T) {
	dir := appChart(t)
	res := Render(context.Background(), dir, &render.HelmOptions{
		KubeVersion: kube,
		ValuesFiles: []string{filepath.Join("testdata", "app", "values-prod.yaml")},
		Set:         []string{"image.tag=9.9", "replicaCount=5"},
		SetString:   []string{"env.DEBUG=true"},
	})
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	got := byTemplate(res.Outputs)
	archive := filepath.Join(dir, "charts", "packed-0.2.0.tgz")
	want := []string{
		filepath.Join(dir, "charts", "sub", "templates", "worker.yaml"),
		filepath.Join(dir, "templates", "deployment.yaml"),
		filepath.Join(dir, "templates", "imported.yaml"),
		filepath.Join(dir, "templates", "service.yaml"),
		archive + "!packed/templates/cronjob.yaml",
	}
	var order []string
	for _, o := range res.Outputs {
		key := o.Template
		if o.Archive != "" {
			key = o.Archive + "!" + o.Template
		}
		order = append(order, key)
	}
	// Sorted: outputs on disk (no archive) first, by template; then those in archives.
	if !reflect.DeepEqual(order, want) {
		t.Fatalf("outputs:\n%s\nwant:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}

	deploy := got[filepath.Join(dir, "templates", "deployment.yaml")]
	for _, s := range []string{
		"  name: release-app\n  namespace: default\n  labels:\n    app.kubernetes.io/name: app\n    app.kubernetes.io/instance: release\n    app.kubernetes.io/version: \"2.4.0\"\n",
		"  replicas: 5\n", // --set wins over the values file
		`image: "registry.example/app:9.9"`,
		"            - name: DEBUG\n              value: \"true\"\n            - name: LOG_LEVEL\n              value: \"warn\"\n            - name: REGION\n              value: \"eu\"\n",
		"            - name: http\n              containerPort: 8080\n",
		"          resources:\n            limits:\n              memory: 256Mi\n",
		"# kube v1.37.2\n",
	} {
		if !strings.Contains(deploy, s) {
			t.Errorf("deployment lacks %q:\n%s", s, deploy)
		}
	}
	if strings.Contains(deploy, "# Source:") {
		t.Errorf("a # Source: comment was added:\n%s", deploy)
	}
	if s := got[filepath.Join(dir, "charts", "sub", "templates", "worker.yaml")]; !strings.Contains(s, "name: release-worker\nspec:\n  replicas: 2\n") {
		t.Errorf("worker:\n%s", s)
	}
	// import-values: the sub chart's exported table lands in the parent's fromSub.
	if s := got[filepath.Join(dir, "templates", "imported.yaml")]; !strings.Contains(s, `colour: "blue"`) {
		t.Errorf("imported:\n%s", s)
	}
	if s := got[archive+"!packed/templates/cronjob.yaml"]; s != "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: release-packed\nspec:\n  schedule: \"*/5 * * * *\"\n" {
		t.Errorf("cronjob:\n%q", s)
	}
}

func TestRenderDefaultsConditionsAndTags(t *testing.T) {
	dir := appChart(t)
	res := Render(context.Background(), dir, &render.HelmOptions{
		KubeVersion: kube,
		ReleaseName: "shop",
		Namespace:   "prod",
		Set:         []string{"tags.extras=false", "sub.enabled=false"},
	})
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	got := byTemplate(res.Outputs)
	// service.yaml renders to blank (service disabled); imported.yaml to a comment only (sub disabled,
	// so nothing imported); the packed chart is off by its tag; legacy is off by its condition.
	want := []string{filepath.Join(dir, "templates", "deployment.yaml")}
	if !reflect.DeepEqual(keys(got), want) {
		t.Fatalf("outputs %v, want %v", keys(got), want)
	}
	deploy := got[want[0]]
	for _, s := range []string{"name: shop-app\n  namespace: prod\n", "replicas: 1\n", `image: "registry.example/app:2.4.0"`} {
		if !strings.Contains(deploy, s) {
			t.Errorf("deployment lacks %q:\n%s", s, deploy)
		}
	}
	if strings.Contains(deploy, "resources:") {
		t.Errorf("empty resources rendered:\n%s", deploy)
	}
}

func TestRenderLegacyEnabledBySet(t *testing.T) {
	dir := appChart(t)
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube, Set: []string{"legacy.enabled=true"}})
	got := byTemplate(res.Outputs)
	if _, ok := got[filepath.Join(dir, "charts", "legacy", "templates", "pod.yaml")]; !ok {
		t.Fatalf("legacy not rendered: %v", keys(got))
	}
}

func TestBrokenChart(t *testing.T) {
	dir := filepath.Join("testdata", "broken")
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube})
	want := []render.Problem{
		{File: filepath.Join(dir, "Chart.yaml"), Line: 5, Message: "dependency common is not vendored under charts/: run helm dependency build; podlint does not fetch charts"},
		{File: filepath.Join(dir, "Chart.yaml"), Line: 9, Message: "dependency redis is not vendored under charts/: run helm dependency build; podlint does not fetch charts"},
		{File: filepath.Join(dir, "templates", "parse.yaml"), Line: 4, Message: `template does not parse: function "nosuchfunction" not defined`},
		{File: filepath.Join(dir, "templates", "fail.yaml"), Line: 5, Column: 7, Message: "this chart cannot be installed like this"},
		{File: filepath.Join(dir, "templates", "nil.yaml"), Line: 6, Column: 18, Message: `executing "broken/templates/nil.yaml" at <.Values.tls.cert.data>: nil pointer evaluating interface {}.cert`},
		{File: filepath.Join(dir, "templates", "_helpers.tpl"), Line: 2, Column: 5,
			Message: "password is required (included from " + filepath.Join(dir, "templates", "secret.yaml") + ":6)"},
	}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("problems:\n%+v\nwant:\n%+v", res.Problems, want)
	}
	wantOut := []render.Output{{Template: filepath.Join(dir, "templates", "good.yaml"), Text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n"}}
	if !reflect.DeepEqual(res.Outputs, wantOut) {
		t.Errorf("outputs:\n%+v\nwant:\n%+v", res.Outputs, wantOut)
	}

	// With the value it requires, secret.yaml renders too.
	res = Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube, Set: []string{"password=hunter2"}})
	if got := byTemplate(res.Outputs)[filepath.Join(dir, "templates", "secret.yaml")]; !strings.Contains(got, "password: hunter2") {
		t.Errorf("secret.yaml: %q (outputs %v)", got, keys(byTemplate(res.Outputs)))
	}
}

func TestTemplateDefinedInARenderedFile(t *testing.T) {
	// A named template defined in a template that is not a partial, used by another template: the
	// user still renders when a third template fails.
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Chart.yaml":           "apiVersion: v2\nname: defs\nversion: 0.1.0\n",
		"templates/owner.yaml": "{{- define \"defs.name\" }}named{{ end -}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner\n",
		"templates/user.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"defs.name\" . }}\n",
		"templates/zfail.yaml": "{{ fail \"no\" }}\n",
	})
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube})
	got := byTemplate(res.Outputs)
	if len(got) != 2 || !strings.Contains(got[filepath.Join(dir, "templates", "user.yaml")], "name: named") {
		t.Errorf("outputs: %v", got)
	}
	want := []render.Problem{{File: filepath.Join(dir, "templates", "zfail.yaml"), Line: 1, Column: 4, Message: "no"}}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("problems %+v, want %+v", res.Problems, want)
	}
}

func TestPartialThatDoesNotParse(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Chart.yaml":             "apiVersion: v2\nname: p\nversion: 0.1.0\n",
		"templates/_helpers.tpl": "{{ define \"x\" }}\n{{ if }}\n{{ end }}\n",
		"templates/cm.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
	})
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube})
	if len(res.Outputs) != 0 || len(res.Problems) != 1 {
		t.Fatalf("outputs %+v problems %+v", res.Outputs, res.Problems)
	}
	p := res.Problems[0]
	if p.File != filepath.Join(dir, "templates", "_helpers.tpl") || p.Line != 2 || !strings.Contains(p.Message, "missing value for if") {
		t.Errorf("problem %+v", p)
	}
}

func TestFailureInsideArchive(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 1.0.0\n",
	})
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"Chart.yaml":        "apiVersion: v2\nname: lib\nversion: 1.0.0\n",
		"templates/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
		"templates/no.yaml": "kind: ConfigMap\n{{ fail \"lib says no\" }}\n",
	})
	archive := filepath.Join(dir, "charts", "lib-1.0.0.tgz")
	if err := os.MkdirAll(filepath.Dir(archive), 0o755); err != nil {
		t.Fatal(err)
	}
	packChart(t, src, "lib", archive)
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube})
	want := []render.Problem{{File: archive, Message: "lib/templates/no.yaml:2: lib says no"}}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("problems %+v, want %+v", res.Problems, want)
	}
	wantOut := []render.Output{{Archive: archive, Template: "lib/templates/ok.yaml", Text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n"}}
	if !reflect.DeepEqual(res.Outputs, wantOut) {
		t.Errorf("outputs %+v, want %+v", res.Outputs, wantOut)
	}
}

func TestValuesProblems(t *testing.T) {
	dir := appChart(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("a: 1\nb: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube, ValuesFiles: []string{bad, missing}, Set: []string{"list[x]=1"}})
	if len(res.Outputs) != 0 {
		t.Errorf("rendered with broken values: %v", keys(byTemplate(res.Outputs)))
	}
	if len(res.Problems) != 3 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if p := res.Problems[0]; p.File != bad || !strings.HasPrefix(p.Message, "values file does not parse:") {
		t.Errorf("bad values file: %+v", p)
	}
	if p := res.Problems[1]; p.File != missing || !strings.Contains(p.Message, "no such file") {
		t.Errorf("missing values file: %+v", p)
	}
	if p := res.Problems[2]; p.File != filepath.Join(dir, "Chart.yaml") || !strings.HasPrefix(p.Message, "--set list[x]=1:") {
		t.Errorf("bad --set: %+v", p)
	}
}

func TestSchema(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Chart.yaml":         "apiVersion: v2\nname: s\nversion: 0.1.0\n",
		"values.yaml":        "replicas: 1\n",
		"values.schema.json": `{"type":"object","properties":{"replicas":{"type":"integer","minimum":1}}}`,
		"templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r{{ .Values.replicas }}\n",
	})
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube})
	if len(res.Problems) != 0 || len(res.Outputs) != 1 {
		t.Fatalf("valid values: %+v", res)
	}
	res = Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube, Set: []string{"replicas=0"}})
	if len(res.Problems) != 1 || res.Problems[0].File != filepath.Join(dir, "values.schema.json") ||
		!strings.Contains(res.Problems[0].Message, "minimum") {
		t.Errorf("invalid values: %+v", res.Problems)
	}

	// A schema that refers to a remote one is not fetched.
	writeFiles(t, dir, map[string]string{
		"values.schema.json": `{"type":"object","properties":{"replicas":{"$ref":"https://schemas.example/replicas.json"}}}`,
	})
	res = Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "remote schema https://schemas.example/replicas.json is not fetched") {
		t.Errorf("remote schema: %+v", res.Problems)
	}
}

func TestChartThatDoesNotLoad(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"Chart.yaml": "apiVersion: v2\nversion: 0.1.0\n"})
	res := Render(context.Background(), dir, nil)
	if len(res.Problems) != 1 || res.Problems[0].File != filepath.Join(dir, "Chart.yaml") ||
		!strings.Contains(res.Problems[0].Message, "name is required") {
		t.Errorf("problems %+v", res.Problems)
	}
}

func TestKubeVersionConstraint(t *testing.T) {
	dir := appChart(t)
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: "v1.29.0"})
	want := render.Problem{File: filepath.Join(dir, "Chart.yaml"), Line: 6,
		Message: "chart requires kubeVersion >=1.30.0-0, which is incompatible with Kubernetes v1.29.0"}
	if len(res.Problems) != 1 || res.Problems[0] != want {
		t.Errorf("problems %+v", res.Problems)
	}
	if len(res.Outputs) == 0 {
		t.Error("nothing rendered")
	}
}

func TestUses(t *testing.T) {
	dir := appChart(t)
	prod := filepath.Join("testdata", "app", "values-prod.yaml")
	res := Render(context.Background(), dir, &render.HelmOptions{KubeVersion: kube, ValuesFiles: []string{prod}})
	var want []string
	for _, f := range []string{
		"Chart.yaml", "charts/legacy/Chart.yaml", "charts/legacy/templates/pod.yaml", "charts/packed-0.2.0.tgz",
		"charts/sub/Chart.yaml", "charts/sub/templates/worker.yaml", "charts/sub/values.yaml",
		"templates/NOTES.txt", "templates/_helpers.tpl", "templates/deployment.yaml", "templates/imported.yaml",
		"templates/service.yaml", "values-prod.yaml", "values.yaml",
	} {
		want = append(want, filepath.Join(dir, filepath.FromSlash(f)))
	}
	want = append(want, prod)
	sort.Strings(want)
	if !reflect.DeepEqual(res.Uses, want) {
		t.Errorf("uses:\n%s\nwant:\n%s", strings.Join(res.Uses, "\n"), strings.Join(want, "\n"))
	}
}
