package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestRepositoryFixture lints fixtures/repository as a user's repository: Helm charts are rendered and
// their findings land on template lines, the kustomize overlay is built and its findings land on the
// resource or patch line that wrote the field, custom resources are linted, and YAML that is not
// Kubernetes is counted, not reported. Every finding must be on a line marked `# want:`, and every
// marker must be met.
func TestRepositoryFixture(t *testing.T) {
	const dir = "fixtures/repository"
	var want []string
	err := filepath.WalkDir(filepath.Join("..", "..", dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
		want = append(want, wants(t, rel)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := podlint(t, "", "--format", "json", dir)
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1; stderr: %s", r.code, r.stderr)
	}
	rep := decode(t, r.stdout)
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := rep.Summary; s.Charts != 2 || s.Kustomizations != 1 || s.NotManifests != 3 {
		t.Errorf("summary %+v: want 2 charts, 1 kustomization (the overlay; its base is part of it), 3 files that are not manifests", s)
	}
	// A related place is moved to the file it was written in, like the finding: the first
	// declaration of a repeated port is on the template's line, or in the kustomize base.
	var related []string
	for _, f := range rep.Findings {
		for _, r := range f.Related {
			related = append(related, fmt.Sprintf("%s:%d -> %s:%d:%d", f.File, f.Line, r.File, r.Line, r.Column))
		}
	}
	if got, want := strings.Join(related, "\n"), strings.Join([]string{
		dir + "/charts/web/templates/deployment.yaml:35 -> " + dir + "/charts/web/templates/deployment.yaml:26:30",
		dir + "/crds/rollout.yaml:31 -> " + dir + "/crds/rollout.yaml:26:39",
		dir + "/deploy/components/metrics/sidecar.yaml:13 -> " + dir + "/deploy/base/deployment.yaml:20:30",
	}, "\n"); got != want {
		t.Errorf("related places:\n%s\nwant:\n%s", got, want)
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.File, "templates/_helpers.tpl") || strings.HasPrefix(f.File, dir+"/deploy/base/kustomization") {
			t.Errorf("finding in a file that is not linted on its own: %+v", f)
		}
	}
}

// A chart's template named on the command line (how pre-commit passes a changed file) lints the chart,
// and a changed patch lints the build that uses it, not the patch as a whole object.
func TestRepositoryNamedFiles(t *testing.T) {
	const dir = "fixtures/repository"
	for _, tt := range []struct {
		file string
		want []string
	}{
		{dir + "/charts/web/templates/worker.yaml", []string{
			dir + "/charts/web/charts/cache/templates/pod.yaml:2 bare-pod",
			dir + "/charts/web/charts/cache/templates/pod.yaml:10 hostname-pinning",
			dir + "/charts/web/templates/broken.yaml:15 render-error",
			dir + "/charts/web/templates/deployment.yaml:35 port-conflict",
			dir + "/charts/web/templates/worker.yaml:23 undocumented-port",
		}},
		{dir + "/deploy/overlays/prod/pin.yaml", []string{
			dir + "/deploy/components/metrics/sidecar.yaml:13 port-conflict",
			dir + "/deploy/overlays/prod/pin.yaml:4 hostname-pinning",
			dir + "/deploy/overlays/prod/replicas.yaml:11 signal-unsafe-entrypoint",
		}},
	} {
		r := podlint(t, "", "--format", "json", tt.file)
		var got []string
		for _, f := range decode(t, r.stdout).Findings {
			got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
		}
		sort.Strings(got)
		sort.Strings(tt.want)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("podlint %s: findings:\n%s\nwant:\n%s\nstderr: %s", tt.file, strings.Join(got, "\n"), strings.Join(tt.want, "\n"), r.stderr)
		}
	}
}

// Without the renderer installed, a chart is one clear finding, not a crash and not silence.
func TestRepositoryWithoutRenderer(t *testing.T) {
	lonely := filepath.Join(t.TempDir(), "podlint")
	data, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lonely, data, 0o755); err != nil {
		t.Fatal(err)
	}
	saved := binary
	binary = lonely
	defer func() { binary = saved }()
	t.Setenv("PATH", filepath.Dir(lonely))
	r := podlint(t, "", "--format", "json", "fixtures/repository/charts/web")
	rep := decode(t, r.stdout)
	if r.code != 1 || len(rep.Findings) != 1 || rep.Findings[0].Rule != "render-error" ||
		rep.Findings[0].File != "fixtures/repository/charts/web/Chart.yaml" || !strings.Contains(rep.Findings[0].Message, "podlint-render is not installed") {
		t.Errorf("exit %d, findings %+v", r.code, rep.Findings)
	}
}
