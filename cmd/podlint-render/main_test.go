package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/render"
)

func TestMain(m *testing.M) {
	offline()
	os.Exit(m.Run())
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

// serve runs the program on a request and decodes its results, one per line.
func serve(t *testing.T, req any) ([]render.Result, string, int) {
	t.Helper()
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(nil, bytes.NewReader(in), &stdout, &stderr)
	var results []render.Result
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r render.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q is not a result: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	return results, stderr.String(), code
}

func TestProtocol(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(dir, "chart")
	kust := filepath.Join(dir, "kust")
	writeFiles(t, dir, map[string]string{
		"chart/Chart.yaml":          "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"chart/values.yaml":         "image: nginx\n",
		"chart/templates/pod.yaml":  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n",
		"chart/templates/fail.yaml": "kind: Pod\n{{ required \"set size\" .Values.size }}\n",
		"chart/prod.yaml":           "image: nginx:1.27\n",
		"kust/kustomization.yaml":   "resources:\n- pod.yaml\nnamespace: team\n",
		"kust/pod.yaml":             "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
		"remote/kustomization.yaml": "resources:\n- https://example.com/pod.yaml\n",
	})
	req := render.Request{Protocol: render.Protocol, Jobs: []render.Job{
		{Kind: render.KindHelm, Dir: chart, Helm: &render.HelmOptions{KubeVersion: "v1.37.2", Namespace: "web",
			ValuesFiles: []string{filepath.Join(chart, "prod.yaml")}}},
		{Kind: render.KindKustomize, Dir: kust},
		{Kind: render.KindKustomize, Dir: filepath.Join(dir, "remote")},
		{Kind: "jsonnet", Dir: dir},
	}}
	results, stderr, code := serve(t, req)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if len(results) != 4 {
		t.Fatalf("%d results, want 4", len(results))
	}
	for i, r := range results {
		if r.Job != i {
			t.Errorf("result %d says job %d", i, r.Job)
		}
	}

	helm := results[0]
	wantOut := []render.Output{{Template: filepath.Join(chart, "templates", "pod.yaml"),
		Text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: release\n  namespace: web\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n"}}
	if !reflect.DeepEqual(helm.Outputs, wantOut) {
		t.Errorf("helm outputs %+v", helm.Outputs)
	}
	wantProb := []render.Problem{{File: filepath.Join(chart, "templates", "fail.yaml"), Line: 2, Column: 4, Message: "set size"}}
	if !reflect.DeepEqual(helm.Problems, wantProb) {
		t.Errorf("helm problems %+v", helm.Problems)
	}

	k := results[1]
	if len(k.Problems) != 0 || len(k.Outputs) != 1 {
		t.Fatalf("kustomize result %+v", k)
	}
	o := k.Outputs[0]
	if o.Origin != filepath.Join(kust, "pod.yaml") || o.OriginIndex != 0 || o.Namespace != "team" ||
		!strings.Contains(o.Text, "namespace: team\n") {
		t.Errorf("kustomize output %+v", o)
	}
	if want := []string{filepath.Join(kust, "kustomization.yaml"), filepath.Join(kust, "pod.yaml")}; !reflect.DeepEqual(k.Uses, want) {
		t.Errorf("uses %v", k.Uses)
	}

	if r := results[2]; len(r.Outputs) != 0 || len(r.Problems) != 1 || r.Problems[0].Line != 2 ||
		!strings.Contains(r.Problems[0].Message, "podlint never uses the network") {
		t.Errorf("remote result %+v", r)
	}
	if r := results[3]; len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, `kind "jsonnet"`) {
		t.Errorf("unknown kind result %+v", r)
	}
}

func TestPanicIsAProblemOfItsJob(t *testing.T) {
	saved := runners[render.KindKustomize]
	t.Cleanup(func() { runners[render.KindKustomize] = saved })
	runners[render.KindKustomize] = func(context.Context, render.Job) render.Result { panic("boom") }

	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"kustomization.yaml": "resources: []\n"})
	results, _, code := serve(t, render.Request{Protocol: render.Protocol, Jobs: []render.Job{
		{Kind: render.KindKustomize, Dir: dir},
		{Kind: render.KindHelm, Dir: filepath.Join(dir, "nochart")},
	}})
	if code != 0 || len(results) != 2 {
		t.Fatalf("exit %d, %d results", code, len(results))
	}
	want := []render.Problem{{File: filepath.Join(dir, "kustomization.yaml"), Message: "kustomize crashed on this kustomization: boom"}}
	if !reflect.DeepEqual(results[0].Problems, want) {
		t.Errorf("problems %+v", results[0].Problems)
	}
	// The next job still runs (a chart that is not there is a problem of its own).
	if len(results[1].Problems) != 1 || results[1].Job != 1 {
		t.Errorf("second job %+v", results[1])
	}
}

func TestRefusals(t *testing.T) {
	_, stderr, code := serve(t, map[string]any{"protocol": render.Protocol + 1, "jobs": []any{}})
	if code != 2 || !strings.Contains(stderr, "speaks protocol 2") || !strings.Contains(stderr, "speaks protocol 1") {
		t.Errorf("other protocol: exit %d, stderr %q", code, stderr)
	}
	var stdout, errb bytes.Buffer
	if code := run(nil, strings.NewReader("{not json"), &stdout, &errb); code != 2 || !strings.Contains(errb.String(), "cannot read the request") || stdout.Len() != 0 {
		t.Errorf("bad JSON: exit %d, stderr %q", code, errb.String())
	}
	errb.Reset()
	if code := run(nil, strings.NewReader(""), &stdout, &errb); code != 2 || !strings.Contains(errb.String(), "no request") {
		t.Errorf("no request: exit %d, stderr %q", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"build"}, strings.NewReader(""), &stdout, &errb); code != 2 || !strings.Contains(errb.String(), "usage") {
		t.Errorf("bad argument: exit %d, stderr %q", code, errb.String())
	}
}

func TestVersion(t *testing.T) {
	saved := Version
	t.Cleanup(func() { Version = saved })
	Version = "v9.8.7"
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, nil, &stdout, &stderr); code != 0 || stdout.String() != "podlint-render v9.8.7\n" {
		t.Errorf("exit %d, %q", code, stdout.String())
	}
}

func TestOffline(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/")
	if err == nil || !strings.Contains(err.Error(), "never uses the network") {
		t.Errorf("HTTP went through: %v", err)
	}
}
