package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the error, with its line:col
	}{
		{"unknown top-level key", "failLevel: error\nfail_level: warning\n", "x.yaml:2:1: unknown key \"fail_level\""},
		{"bad fail level", "failLevel: fatal\n", "x.yaml:1:12: failLevel must be one of error, warning, info, got \"fatal\""},
		{"exclude not a list", "exclude: charts/**\n", "x.yaml:1:10: exclude must be a list of strings"},
		{"exclude bad glob", "exclude: [\"charts/[\"]\n", "x.yaml:1:11: exclude: \"charts/[\" is not a valid glob pattern"},
		{"policies with a mapping", "policies:\n- {dir: x}\n", "x.yaml:2:3: policies must be a list of strings, got a mapping in it"},
		{"rules not a mapping", "rules: [a]\n", "x.yaml:1:8: rules must be a mapping"},
		{"bad severity shorthand", "rules:\n  hostname-pinning: fatal\n", "x.yaml:2:21: rules.hostname-pinning must be one of error, warning, info, off"},
		{"unknown rule key", "rules:\n  required-labels:\n    severty: info\n", "x.yaml:3:5: unknown key \"severty\" in rules.required-labels"},
		{"params not a mapping", "rules:\n  port-conflict:\n    params: [1]\n", "x.yaml:3:13: rules.port-conflict.params must be a mapping"},
		{"required-labels unknown param", "rules:\n  required-labels:\n    params:\n      label: {app: []}\n", "x.yaml:4:7: unknown parameter \"label\" of required-labels"},
		{"required-labels values not a list", "rules:\n  required-labels:\n    params:\n      labels:\n        rel: stable\n", "x.yaml:5:14: allowed values of label \"rel\" must be a list of strings"},
		{"duplicate rule", "rules:\n  a: off\n  a: info\n", "x.yaml:3:3: \"a\" is set twice in rules"},
		{"not YAML", "rules:\n  a: [\n", "x.yaml:3:1: YAML does not parse"},
		{"two documents", "failLevel: info\n---\nfailLevel: error\n", "x.yaml: holds more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.src))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant prefix %s", err, tt.want)
			}
		})
	}
}

func TestParseDocumentedShape(t *testing.T) {
	src := `failLevel: warning
exclude: ["charts/**", "**/testdata/**"]
policies: ["policy/"]
rules:
  hostname-pinning: off
  port-conflict: info
  required-labels:
    severity: warning
    params:
      labels:
        app: []
        rel: [stable, beta, canary]
`
	c, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.FailLevel != "warning" || !reflect.DeepEqual(c.Exclude, []string{"charts/**", "**/testdata/**"}) ||
		!reflect.DeepEqual(c.Policies, []string{"policy/"}) {
		t.Errorf("top level = %+v", c)
	}
	if c.Severity("hostname-pinning") != "off" || c.Severity("port-conflict") != "info" || c.Severity("required-labels") != "warning" {
		t.Errorf("severities = %+v", c.Rules)
	}
	want := map[string]any{"labels": map[string]any{"app": []any{}, "rel": []any{"stable", "beta", "canary"}}}
	if got := c.Params()["required-labels"]; !reflect.DeepEqual(got, want) {
		t.Errorf("params = %#v", got)
	}
	if err := c.CheckRules(func(id string) bool { return id != "port-conflict" }); err == nil ||
		err.Error() != `x.yaml:6:3: unknown rule "port-conflict" (podlint rules lists them)` {
		t.Errorf("CheckRules = %v", err)
	}
}

func TestStarterParses(t *testing.T) {
	c, err := Parse("starter", []byte(Starter))
	if err != nil {
		t.Fatal(err)
	}
	if c.FailLevel != "error" || c.Params()["required-labels"] == nil {
		t.Errorf("starter = %+v", c)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	for _, src := range []string{"", "# only comments\n"} {
		c, err := Parse("x.yaml", []byte(src))
		if err != nil || c.FailLevel != "" || len(c.Rules) != 0 {
			t.Errorf("Parse(%q) = %+v, %v", src, c, err)
		}
	}
}

func TestFindStopsAtRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, FileName)
	repo := filepath.Join(root, "repo")
	deep := filepath.Join(repo, "a", "b")
	for _, d := range []string{filepath.Join(repo, ".git"), deep} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(outside, []byte("failLevel: info\n"), 0o644)
	if p, ok := Find(deep); ok {
		t.Errorf("found %s outside the repository", p)
	}
	inside := filepath.Join(repo, "a", FileName)
	os.WriteFile(inside, []byte("failLevel: info\n"), 0o644)
	if p, ok := Find(deep); !ok || p != inside {
		t.Errorf("Find = %s, %v; want %s", p, ok, inside)
	}
}

func TestExcluded(t *testing.T) {
	c := &Config{Path: filepath.Join("repo", FileName), Exclude: []string{"charts/**", "**/testdata/**"}}
	tests := map[string]bool{
		"repo/charts/web/deploy.yaml": true,
		"repo/charts":                 true,
		"repo/app/testdata/bad.yaml":  true,
		"repo/app/deploy.yaml":        false,
		"other/charts/x.yaml":         false,
	}
	for p, want := range tests {
		if got := c.Excluded(p); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", p, got, want)
		}
	}
}
