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
		{"unknown top-level key", "failLevel: error\nfail_level: warning\n", "x.yaml:2:1: unknown key \"fail_level\" (want failLevel, exclude, policies, rules, podKinds, failIfNoObjects, helm or baseline)"},
		{"empty baseline", "baseline: \"\"\n", "x.yaml:1:11: baseline: name a file, or leave the key out"},
		{"baseline not a string", "baseline: [a]\n", "x.yaml:1:11: baseline must be a string, got a list"},
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
		{"signal-unsafe-entrypoint unknown param", "rules:\n  signal-unsafe-entrypoint:\n    params:\n      ash_image: [alpine]\n", "x.yaml:4:7: unknown parameter \"ash_image\" of signal-unsafe-entrypoint (want ash_images, ash_tags, dash_images)"},
		{"signal-unsafe-entrypoint list of mappings", "rules:\n  signal-unsafe-entrypoint:\n    params:\n      dash_images: [{name: debian}]\n", "x.yaml:4:21: rules.signal-unsafe-entrypoint.params.dash_images must be a list of strings, got a mapping in it"},
		{"selector-matches-nothing unknown param", "rules:\n  selector-matches-nothing:\n    params:\n      inert_group: [a.io]\n", "x.yaml:4:7: unknown parameter \"inert_group\" of selector-matches-nothing (want inert_groups)"},
		{"multi-tier-pod not a list", "rules:\n  multi-tier-pod:\n    params:\n      helpers: envoy\n", "x.yaml:4:16: rules.multi-tier-pod.params.helpers must be a list of strings"},
		{"duplicate rule", "rules:\n  a: off\n  a: info\n", "x.yaml:3:3: \"a\" is set twice in rules"},
		{"not YAML", "rules:\n  a: [\n", "x.yaml:3:1: YAML does not parse"},
		{"two documents", "failLevel: info\n---\nfailLevel: error\n", "x.yaml: holds more than one YAML document"},
		{"podKinds not a list", "podKinds: {group: a.io}\n", "x.yaml:1:11: podKinds must be a list of mappings"},
		{"podKinds entry not a mapping", "podKinds:\n- Rollout\n", "x.yaml:2:3: podKinds[0] must be a mapping"},
		{"podKinds unknown key", "podKinds:\n- group: a.io\n  kind: A\n  path: spec.template\n", "x.yaml:4:3: unknown key \"path\" in podKinds[0] (want group, kind, template or completes)"},
		{"podKinds missing template", "podKinds:\n- group: a.io\n  kind: A\n", "x.yaml:2:3: podKinds[0] has no template"},
		{"podKinds missing group", "podKinds:\n- {kind: A, template: spec.template}\n", "x.yaml:2:3: podKinds[0] has no group"},
		{"podKinds apiVersion for group", "podKinds:\n- group: argoproj.io/v1alpha1\n  kind: Rollout\n  template: spec.template\n",
			"x.yaml:2:10: podKinds[0].group: \"argoproj.io/v1alpha1\" is an apiVersion; the group is the part before the slash (argoproj.io)"},
		{"podKinds version for group", "podKinds:\n- {group: v1, kind: A, template: spec}\n", "x.yaml:2:11: podKinds[0].group: \"v1\" is a version"},
		{"podKinds empty group", "podKinds:\n- group:\n  kind: A\n  template: spec\n", "x.yaml:2:9: podKinds[0].group is empty; write \"\" for the core group"},
		{"podKinds bad group", "podKinds:\n- {group: Example.COM, kind: A, template: spec}\n", "x.yaml:2:11: podKinds[0].group: \"Example.COM\" is not an API group"},
		{"podKinds bad kind", "podKinds:\n- {group: a.io, kind: my-kind, template: spec}\n", "x.yaml:2:23: podKinds[0].kind: \"my-kind\" is not a kind"},
		{"podKinds kind not a string", "podKinds:\n- {group: a.io, kind: [A], template: spec}\n", "x.yaml:2:23: podKinds[0].kind must be a string, got a list"},
		{"podKinds template through a list", "podKinds:\n- group: a.io\n  kind: A\n  template: spec.tasks[0].template\n",
			"x.yaml:4:13: podKinds[0].template: \"spec.tasks[0].template\" goes through a list"},
		{"podKinds template is the pod spec", "podKinds:\n- group: a.io\n  kind: A\n  template: spec.template.spec\n",
			"x.yaml:4:13: podKinds[0].template: \"spec.template.spec\" is the pod spec; name the template that holds the pod's metadata and spec (spec.template)"},
		{"podKinds template not a path", "podKinds:\n- {group: a.io, kind: A, template: \"spec..template\"}\n", "x.yaml:2:36: podKinds[0].template: \"spec..template\" is not a path"},
		{"podKinds completes not a boolean", "podKinds:\n- group: a.io\n  kind: A\n  template: spec.template\n  completes: yes\n",
			"x.yaml:5:14: podKinds[0].completes must be true or false, got \"yes\""},
		{"podKinds Kubernetes kind", "podKinds:\n- group: apps\n  kind: Deployment\n  template: spec.template\n",
			"x.yaml:3:9: podKinds[0]: Deployment in group \"apps\" is Kubernetes' own kind, whose pod podlint knows"},
		{"podKinds Kubernetes kind at an old group", "podKinds:\n- {group: extensions, kind: DaemonSet, template: spec.template}\n",
			"x.yaml:2:29: podKinds[0]: DaemonSet in group \"extensions\" is Kubernetes' own kind"},
		{"podKinds twice", "podKinds:\n- {group: a.io, kind: A, template: spec.template}\n- {group: b.io, kind: A, template: spec.template}\n- {group: a.io, kind: A, template: spec.pod}\n",
			"x.yaml:4:3: podKinds[2]: A.a.io is listed twice (first at line 2)"},
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
podKinds:
  - group: example.com
    kind: Worker
    template: spec.template
`
	c, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.PodKinds, []PodKind{{Group: "example.com", Kind: "Worker", Template: "spec.template"}}) {
		t.Errorf("podKinds = %+v", c.PodKinds)
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

func TestBaselinePath(t *testing.T) {
	c, err := Parse(filepath.Join("repo", ".podlint.yaml"), []byte("baseline: ci/podlint-baseline.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.BaselinePath(), filepath.Join("repo", "ci", "podlint-baseline.json"); got != want {
		t.Errorf("BaselinePath = %q, want %q (relative to the file's folder)", got, want)
	}
	if got := (&Config{}).BaselinePath(); got != "" {
		t.Errorf("no baseline configured, BaselinePath = %q", got)
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

func TestParsePodKinds(t *testing.T) {
	src := `podKinds:
  - group: example.com        # a custom resource of your own
    kind: Worker
    template: spec.pod
  - group: example.com
    kind: BatchWorker
    template: .spec.jobTemplate.template   # kubectl's leading dot is fine
    completes: true
  - group: ""                 # OpenShift 3's DeploymentConfig, in the core group
    kind: DeploymentConfig
    template: spec.template
  - group: serving.knative.dev
    kind: Revision
    template: "."             # the object is itself the pod
  - group: argoproj.io        # replaces the built-in entry
    kind: Rollout
    template: spec.podTemplate
`
	c, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.PodKinds) != 5 || c.PodKinds[1] != (PodKind{Group: "example.com", Kind: "BatchWorker", Template: ".spec.jobTemplate.template", Completes: true}) {
		t.Errorf("podKinds = %+v", c.PodKinds)
	}
	table := c.PodKindTable()
	for _, tt := range []struct {
		apiVersion, kind, template string
		completes                  bool
	}{
		{"example.com/v1", "Worker", "/spec/pod", false},
		{"example.com/v1beta1", "BatchWorker", "/spec/jobTemplate/template", true},
		{"v1", "DeploymentConfig", "/spec/template", false},
		{"serving.knative.dev/v1", "Revision", "", false},
		{"argoproj.io/v1alpha1", "Rollout", "/spec/podTemplate", false},
		{"keda.sh/v1alpha1", "ScaledJob", "/spec/jobTargetRef/template", true}, // built in, kept
		{"apps/v1", "Deployment", "/spec/template", false},
	} {
		k, ok := table.Lookup(tt.apiVersion, tt.kind)
		if !ok || k.Template.Pointer() != tt.template || k.Completes != tt.completes {
			t.Errorf("Lookup(%s, %s) = %+v, %v", tt.apiVersion, tt.kind, k, ok)
		}
	}
	if (&Config{}).PodKindTable() != nil {
		t.Error("without podKinds the table is the built-in one (nil)")
	}
}
