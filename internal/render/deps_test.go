package render

import (
	"os/exec"
	"strings"
	"testing"
)

// heavy are the import paths podlint's own binary must not link: Helm, kustomize and the Kubernetes
// client and server code they bring, whose package initialisation would slow every podlint run.
// They belong to podlint-render alone.
var heavy = []string{"helm.sh/", "sigs.k8s.io/kustomize", "k8s.io/client-go", "k8s.io/kubernetes"}

func TestPodlintLinksNoRenderer(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/podlint/podlint/cmd/podlint").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var bad []string
	pkgs := strings.Fields(string(out))
	for _, p := range pkgs {
		for _, h := range heavy {
			if strings.HasPrefix(p, h) {
				bad = append(bad, p)
			}
		}
	}
	if len(bad) > 0 {
		t.Errorf("podlint links %d renderer packages, which belong in podlint-render only:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	// The check must look at something: podlint itself is among the packages.
	found := false
	for _, p := range pkgs {
		if p == "github.com/podlint/podlint/cmd/podlint" {
			found = true
		}
	}
	if !found {
		t.Fatalf("go list did not list podlint:\n%s", out)
	}
}

func TestRendererLinksThem(t *testing.T) {
	// The same check on podlint-render finds Helm and kustomize: the test above can fail.
	out, err := exec.Command("go", "list", "-deps", "github.com/podlint/podlint/cmd/podlint-render").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, h := range []string{"helm.sh/helm/v4/pkg/engine", "sigs.k8s.io/kustomize/api/krusty"} {
		if !strings.Contains(string(out), h+"\n") {
			t.Errorf("podlint-render does not link %s", h)
		}
	}
}
