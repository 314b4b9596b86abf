package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestHelmSettings(t *testing.T) {
	c, err := Parse(filepath.Join("repo", ".podlint.yaml"), []byte(`failIfNoObjects: true
helm:
  releaseName: shop
  namespace: prod
  kubeVersion: v1.33.0
  values: [ci/values.yaml]
  set: ["image.tag=1.2"]
  charts:
    charts/web:
      namespace: web
      values: [charts/web/ci/prod.yaml]
      setString: ["commit=0a1b"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.FailIfNoObjects {
		t.Errorf("failIfNoObjects not read")
	}
	web := c.HelmFor(filepath.Join("repo", "charts", "web"), &Helm{Set: []string{"replicas=1"}, KubeVersion: "v1.30.0"})
	want := Helm{ReleaseName: "shop", Namespace: "web", KubeVersion: "v1.30.0",
		Values:    []string{filepath.Join("repo", "ci", "values.yaml"), filepath.Join("repo", "charts", "web", "ci", "prod.yaml")},
		Set:       []string{"image.tag=1.2", "replicas=1"},
		SetString: []string{"commit=0a1b"}}
	if got := web; strings.Join(got.Values, ",") != strings.Join(want.Values, ",") || got.Namespace != want.Namespace ||
		got.ReleaseName != want.ReleaseName || got.KubeVersion != want.KubeVersion ||
		strings.Join(got.Set, ",") != strings.Join(want.Set, ",") || strings.Join(got.SetString, ",") != strings.Join(want.SetString, ",") {
		t.Errorf("HelmFor(web) = %+v, want %+v", got, want)
	}
	other := c.HelmFor(filepath.Join("repo", "charts", "api"), nil)
	if other.Namespace != "prod" || len(other.Values) != 1 || len(other.SetString) != 0 {
		t.Errorf("HelmFor(api) = %+v: the web chart's settings leaked", other)
	}
	var none *Config
	if got := none.HelmFor("x", &Helm{Namespace: "n"}); got.Namespace != "n" {
		t.Errorf("flags alone: %+v", got)
	}
}

func TestHelmSettingErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"helm: [a]\n", "x.yaml:1:7: helm must be a mapping"},
		{"helm:\n  relaseName: x\n", `x.yaml:2:3: unknown key "relaseName" in helm`},
		{"helm:\n  kubeVersion: latest\n", "x.yaml:2:16: helm.kubeVersion must be a version such as v1.37.2"},
		{"helm:\n  values: ci/values.yaml\n", "x.yaml:2:11: helm.values must be a list of strings"},
		{"helm:\n  charts:\n    web:\n      charts: {}\n", `x.yaml:4:7: unknown key "charts" in helm.charts.web`},
		{"failIfNoObjects: 1\n", "x.yaml:1:18: failIfNoObjects must be true or false"},
	} {
		_, err := Parse("x.yaml", []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.want)
		}
	}
}
