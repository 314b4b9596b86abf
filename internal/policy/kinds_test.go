package policy_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/policy"
)

// worker is a custom resource whose pod template is at spec.pod: two containers on one port, a
// node pinned by name, a shell script that does not exec its server, and no labels.
const worker = `apiVersion: example.com/v1
kind: Worker
metadata:
  name: w
spec:
  pod:
    spec:
      nodeSelector:
        kubernetes.io/hostname: node-1
      containers:
      - name: a
        image: example.com/a:1
        command: [sh, -c, "prepare; serve"]
        ports:
        - {name: http, containerPort: 8080}
      - name: b
        image: example.com/b:1
        ports:
        - {name: web, containerPort: 8080}
`

// TestConfiguredPodKinds checks that a table of pod-bearing kinds given to the engine reaches
// podlint.pods, for the built-in rules and for a user's policy, and that it belongs to that engine
// only.
func TestConfiguredPodKinds(t *testing.T) {
	ctx := context.Background()
	table, err := manifest.NewPodKinds([]manifest.PodKind{
		{Group: "example.com", Kind: "Worker", Template: manifest.Path{"spec", "pod"}},
		{Group: "example.com", Kind: "BatchWorker", Template: manifest.Path{"spec", "pod"}, Completes: true},
		{Group: "example.com", Kind: "Pod"}, // a custom resource that is itself a pod
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := writePolicy(t, map[string]string{"custom.rego": `package acme.custom

import data.podlint.lib

deny contains msg if {
	some pod in lib.pods
	pod.custom
	msg := sprintf("custom %s, completes %v", [pod.kind, pod.completes])
}
`})
	configured, err := policy.New(ctx, policy.Options{Dirs: []string{dir}, PodKinds: table})
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := policy.New(ctx, policy.Options{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	check := func(e *policy.Engine, kinds *manifest.PodKinds, src string) []string {
		t.Helper()
		f := kinds.Load("test.yaml", []byte(src))
		if len(f.Documents) != 1 {
			t.Fatalf("%d documents, problems %v", len(f.Documents), f.Problems)
		}
		issues, err := e.Check(ctx, f.Documents[0])
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, is := range issues {
			out = append(out, fmt.Sprintf("%s %s", is.Rule, is.Path.Pointer()))
		}
		slices.Sort(out)
		return out
	}

	want := []string{
		"acme.custom/deny ",
		"hostname-pinning /spec/pod/spec/nodeSelector/kubernetes.io~1hostname",
		"port-conflict /spec/pod/spec/containers/1/ports/0/containerPort",
		"required-labels /spec/pod/metadata",
		"signal-unsafe-entrypoint /spec/pod/spec/containers/0/command/2",
	}
	if got := check(configured, table, worker); !slices.Equal(got, want) {
		t.Errorf("Worker with the configured table:\n got %q\nwant %q", got, want)
	}
	// The same object run to completion: a script that ends by itself is not stopped by SIGTERM.
	batch := "apiVersion: example.com/v1\nkind: BatchWorker" + worker[len("apiVersion: example.com/v1\nkind: Worker"):]
	want = []string{
		"acme.custom/deny ",
		"hostname-pinning /spec/pod/spec/nodeSelector/kubernetes.io~1hostname",
		"port-conflict /spec/pod/spec/containers/1/ports/0/containerPort",
		"required-labels /spec/pod/metadata",
	}
	if got := check(configured, table, batch); !slices.Equal(got, want) {
		t.Errorf("BatchWorker with the configured table:\n got %q\nwant %q", got, want)
	}
	// Another engine, built without the table, knows no Worker.
	if got := check(builtin, nil, worker); len(got) != 0 {
		t.Errorf("Worker with the built-in table: %q", got)
	}

	// A custom resource called Pod is no bare Pod.
	pod := "apiVersion: example.com/v1\nkind: Pod\nmetadata: {name: p, labels: {app: p, rel: stable}}\nspec:\n  containers: [{name: a, image: a}]\n"
	if got := check(configured, table, pod); !slices.Equal(got, []string{"acme.custom/deny "}) {
		t.Errorf("custom Pod: %q", got)
	}
	core := "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p, rel: stable}}\nspec:\n  containers: [{name: a, image: a}]\n"
	if got := check(configured, table, core); !slices.Equal(got, []string{"bare-pod /kind"}) {
		t.Errorf("core Pod: %q", got)
	}
}
