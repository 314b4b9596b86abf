package manifest

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestLookupByGroupAndKind(t *testing.T) {
	tests := []struct {
		apiVersion, kind string
		want             string // template pointer, "-" for no pod
		custom           bool
		completes        bool
	}{
		{"v1", "Pod", "", false, false},
		{"apps/v1", "Deployment", "/spec/template", false, false},
		{"batch/v1", "CronJob", "/spec/jobTemplate/spec/template", false, true},
		// Kubernetes' kinds at another Kubernetes group are still those kinds; the schema check
		// reports their apiVersion.
		{"extensions/v1beta1", "Deployment", "/spec/template", false, false},
		{"apps/v1beta1", "StatefulSet", "/spec/template", false, false},
		{"v1", "Deployment", "/spec/template", false, false},
		{"", "Job", "/spec/template", false, true},
		// Custom resources, by group.
		{"argoproj.io/v1alpha1", "Rollout", "/spec/template", true, false},
		{"serving.knative.dev/v1", "Service", "/spec/template", true, false},
		{"serving.knative.dev/v1", "Configuration", "/spec/template", true, false},
		{"serving.knative.dev/v1", "Revision", "", true, false},
		{"sources.knative.dev/v1", "ContainerSource", "/spec/template", true, false},
		{"keda.sh/v1alpha1", "ScaledJob", "/spec/jobTargetRef/template", true, true},
		{"apps.kruise.io/v1alpha1", "CloneSet", "/spec/template", true, false},
		{"apps.kruise.io/v1beta1", "StatefulSet", "/spec/template", true, false},
		{"apps.kruise.io/v1alpha1", "DaemonSet", "/spec/template", true, false},
		{"apps.kruise.io/v1alpha1", "BroadcastJob", "/spec/template", true, true},
		{"apps.openshift.io/v1", "DeploymentConfig", "/spec/template", true, false},
		// Same names, other kinds.
		{"v1", "Service", "-", false, false},
		{"example.com/v1", "Deployment", "-", false, false},
		{"apps.kruise.io/v1alpha1", "Deployment", "-", false, false},
		{"argoproj.io/v1alpha1", "Workflow", "-", false, false},
		{"v1", "Rollout", "-", false, false},
	}
	for _, tt := range tests {
		k, ok := BuiltinPodKinds().Lookup(tt.apiVersion, tt.kind)
		got := "-"
		if ok {
			got = k.Template.Pointer()
		}
		if got != tt.want || k.Custom != tt.custom || k.Completes != tt.completes {
			t.Errorf("Lookup(%q, %q) = %q custom %v completes %v, want %q custom %v completes %v",
				tt.apiVersion, tt.kind, got, k.Custom, k.Completes, tt.want, tt.custom, tt.completes)
		}
	}
}

func TestPodOfKind(t *testing.T) {
	k, _ := BuiltinPodKinds().Lookup("keda.sh/v1alpha1", "ScaledJob")
	if p := k.Pod(); p.Spec.Pointer() != "/spec/jobTargetRef/template/spec" || p.Metadata.Pointer() != "/spec/jobTargetRef/template/metadata" {
		t.Errorf("ScaledJob pod = %v", p)
	}
	k, _ = BuiltinPodKinds().Lookup("v1", "Pod")
	if p := k.Pod(); p.Spec.Pointer() != "/spec" || p.Metadata.Pointer() != "/metadata" {
		t.Errorf("Pod pod = %v", p)
	}
}

func TestNewPodKinds(t *testing.T) {
	extra := []PodKind{
		{Group: "example.com", Kind: "Worker", Template: Path{"spec", "pod"}, Completes: true},
		// replaces the built-in entry
		{Group: "argoproj.io", Kind: "Rollout", Template: Path{"spec", "podTemplate"}},
	}
	table, err := NewPodKinds(extra)
	if err != nil {
		t.Fatal(err)
	}
	extra[0].Template[1] = "changed" // the table keeps its own copy
	k, ok := table.Lookup("example.com/v2", "Worker")
	if !ok || k.Template.Pointer() != "/spec/pod" || !k.Completes || !k.Custom {
		t.Errorf("Worker = %+v, %v", k, ok)
	}
	if k, _ := table.Lookup("argoproj.io/v1alpha1", "Rollout"); k.Template.Pointer() != "/spec/podTemplate" {
		t.Errorf("Rollout not replaced: %+v", k)
	}
	if k, _ := BuiltinPodKinds().Lookup("argoproj.io/v1alpha1", "Rollout"); k.Template.Pointer() != "/spec/template" {
		t.Errorf("the built-in table changed: %+v", k)
	}
	if _, ok := BuiltinPodKinds().Lookup("example.com/v1", "Worker"); ok {
		t.Error("the built-in table gained a kind")
	}
	if n := len(table.List()); n != len(BuiltinPodKinds().List())+1 {
		t.Errorf("%d kinds, want one more than built in", n)
	}

	bad := map[string][]PodKind{
		"Deployment.apps is one of Kubernetes' own kinds":       {{Group: "apps", Kind: "Deployment", Template: Path{"spec"}}},
		"Deployment.extensions is one of Kubernetes' own kinds": {{Group: "extensions", Kind: "Deployment"}},
		"Pod is one of Kubernetes' own kinds":                   {{Kind: "Pod"}},
		"Worker.example.com is added twice":                     {{Group: "example.com", Kind: "Worker"}, {Group: "example.com", Kind: "Worker"}},
		"a pod kind needs a kind":                               {{Group: "example.com"}},
	}
	for want, kinds := range bad {
		if _, err := NewPodKinds(kinds); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("NewPodKinds(%v) = %v, want %q", kinds, err, want)
		}
	}
	// A custom resource's StatefulSet is not Kubernetes' one: it may be added.
	if _, err := NewPodKinds([]PodKind{{Group: "example.com", Kind: "StatefulSet", Template: Path{"spec", "template"}}}); err != nil {
		t.Error(err)
	}
}

func TestListOrder(t *testing.T) {
	list := BuiltinPodKinds().List()
	if len(list) != len(kubernetesPodKinds)+len(customPodKinds) {
		t.Fatalf("%d kinds", len(list))
	}
	for i, k := range list {
		if k.Custom != (i >= len(kubernetesPodKinds)) {
			t.Errorf("%d: %s custom %v: Kubernetes' kinds come first", i, k.Name(), k.Custom)
		}
	}
	if list[0].Name() != "Pod" || list[len(list)-1].Name() != "ContainerSource.sources.knative.dev" {
		t.Errorf("first %s, last %s", list[0].Name(), list[len(list)-1].Name())
	}
}

func TestLoadWithPodKinds(t *testing.T) {
	src := "apiVersion: example.com/v1\nkind: Worker\nmetadata: {name: w}\nspec:\n  pod:\n    spec: {containers: []}\n" +
		"---\napiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata: {name: s}\nspec: {}\n"
	table, err := NewPodKinds([]PodKind{{Group: "example.com", Kind: "Worker", Template: Path{"spec", "pod"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		table *PodKinds
		want  []string
	}{
		{table, []string{"/spec/pod/spec", "/spec/template/spec"}},
		{nil, []string{"", "/spec/template/spec"}}, // the built-in table knows no Worker
	} {
		f := tt.table.Load("x.yaml", []byte(src))
		var got []string
		for _, d := range f.Documents {
			s := ""
			for _, p := range d.Pods {
				s = p.Spec.Pointer()
			}
			got = append(got, s)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("pods %q, want %q", got, tt.want)
		}
	}
}

// TestREADMEListsCustomKinds keeps the README's table of custom resources in step with the
// built-in one.
func TestREADMEListsCustomKinds(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, k := range BuiltinPodKinds().List() {
		if !k.Custom {
			continue
		}
		template := "the object itself"
		if len(k.Template) > 0 {
			template = "`" + strings.Join(k.Template, ".") + "`"
		}
		completes := "no"
		if k.Completes {
			completes = "yes"
		}
		row := fmt.Sprintf("| `%s` | `%s` | %s | %s |", k.Group, k.Kind, template, completes)
		if !strings.Contains(readme, row) {
			t.Errorf("README.md has no row starting %s", row)
		}
	}
}

func TestIsKubernetesGroup(t *testing.T) {
	for group, want := range map[string]bool{
		"": true, "apps": true, "batch": true, "extensions": true, "networking.k8s.io": true,
		"apps.kruise.io": false, "argoproj.io": false, "keda.sh": false, "cluster.x-k8s.io": false,
	} {
		if got := IsKubernetesGroup(group); got != want {
			t.Errorf("IsKubernetesGroup(%q) = %v, want %v", group, got, want)
		}
	}
	for apiVersion, want := range map[string]string{"v1": "", "apps/v1": "apps", "keda.sh/v1alpha1": "keda.sh", "": ""} {
		if got := APIGroup(apiVersion); got != want {
			t.Errorf("APIGroup(%q) = %q, want %q", apiVersion, got, want)
		}
	}
}
