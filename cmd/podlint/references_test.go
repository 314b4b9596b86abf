package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// referenceWants are the `# want:` markers of fixtures/references.
func referenceWants(t *testing.T, only string) []string {
	t.Helper()
	var want []string
	err := filepath.WalkDir(filepath.Join("..", "..", "fixtures", "references"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
		if only == "" || filepath.ToSlash(rel) == only {
			want = append(want, wants(t, rel)...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(want)
	return want
}

func findingLines(t *testing.T, r run, strip string) []string {
	t.Helper()
	var got []string
	for _, f := range decode(t, r.stdout).Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", strings.TrimPrefix(filepath.ToSlash(f.File), strip), f.Line, f.Rule))
	}
	sort.Strings(got)
	return got
}

// TestReferencesFixture lints fixtures/references, a small repository of a Deployment,
// StatefulSets, Services (headless, ExternalName, without a selector), a disruption budget, a
// network policy, autoscalers and an Ingress in two namespaces: every finding of the rules of the
// whole run lands on its marked line, and the other objects are clean.
func TestReferencesFixture(t *testing.T) {
	r := podlint(t, "", "--format", "json", "fixtures/references")
	if r.code != 1 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	got, want := findingLines(t, r, ""), referenceWants(t, "")
	if len(want) != 8 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// the two Services for another team's pods: one suppressed by a comment, one by an annotation
	var rep struct {
		Summary struct {
			Suppressed struct{ Comment, Annotation int }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Summary.Suppressed.Comment != 1 || rep.Summary.Suppressed.Annotation != 1 {
		t.Errorf("suppressed %+v (%v), want one by comment and one by annotation", rep.Summary.Suppressed, err)
	}
}

// TestReferencesOneFile is the pre-commit case: the run names only the Services' file, and the
// pods of the repository's other files still resolve it: no false "matches no pod" for the Service
// whose pods are elsewhere, and the real findings of the file are still found. A second run reads
// the index from the cache, and a changed file is read again.
func TestReferencesOneFile(t *testing.T) {
	const file = "fixtures/references/shop/services.yaml"
	r := podlint(t, "", "--format", "json", file)
	got, want := findingLines(t, r, ""), referenceWants(t, file)
	if len(want) != 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("findings:\n%s\nwant:\n%s\nstderr %s", strings.Join(got, "\n"), strings.Join(want, "\n"), r.stderr)
	}
	// --no-repository: the file alone, whose Services select nothing it holds
	r = podlint(t, "", "--format", "json", "--no-repository", file)
	if got := findingLines(t, r, ""); strings.Join(got, "\n") == strings.Join(want, "\n") {
		t.Errorf("--no-repository resolved the other files: %v", got)
	}

	// A copy of the repository, changed between runs: the cache must notice.
	repo := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "fixtures", "references"), repo)
	services := filepath.Join(repo, "shop", "services.yaml")
	first := findingLines(t, podlint(t, "", "--format", "json", services), repo+"/")
	second := findingLines(t, podlint(t, "", "--format", "json", services), repo+"/")
	if strings.Join(first, "\n") != strings.Join(second, "\n") || len(first) != 2 {
		t.Fatalf("first run %v, second (cached) run %v", first, second)
	}
	web := filepath.Join(repo, "shop", "web.yaml")
	data, err := os.ReadFile(web)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "- {name: metrics, containerPort: 9090}", "- {name: metrics, containerPort: 9090}\n        - {name: admin, containerPort: 8081}", 1))
	if err := os.WriteFile(web, data, 0o644); err != nil {
		t.Fatal(err)
	}
	third := findingLines(t, podlint(t, "", "--format", "json", services), repo+"/")
	if len(third) != 1 || !strings.HasSuffix(third[0], "selector-matches-nothing") {
		t.Errorf("after web.yaml declares admin: %v, want only the selector finding", third)
	}
}

// When the repository's other manifests cannot all be known (one does not parse, or a chart
// outside the run would need rendering), a one-file run claims nothing absent, and still finds
// what the objects it sees show.
func TestReferencesIncompleteRepository(t *testing.T) {
	for name, add := range map[string]func(repo string){
		"broken manifest": func(repo string) {
			write(t, filepath.Join(repo, "shop", "broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
		},
		"chart": func(repo string) {
			write(t, filepath.Join(repo, "charts", "api", "Chart.yaml"), "apiVersion: v2\nname: api\nversion: 0.1.0\n")
			write(t, filepath.Join(repo, "charts", "api", "templates", "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n")
		},
	} {
		t.Run(name, func(t *testing.T) {
			repo := t.TempDir()
			copyTree(t, filepath.Join("..", "..", "fixtures", "references"), repo)
			add(repo)
			got := findingLines(t, podlint(t, "", "--format", "json", filepath.Join(repo, "shop", "services.yaml")), repo+"/")
			if len(got) != 1 || got[0] != "shop/services.yaml:23 unresolved-target-port" {
				t.Errorf("findings %v, want only the unresolved target port", got)
			}
		})
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A suppression comment naming a rule of the whole run that covers no finding of it is reported,
// as for every rule, once those rules have seen the whole run; when the view is incomplete (a
// manifest does not parse), a finding may be missing for that reason, so it is not.
func TestReferencesUnusedSuppression(t *testing.T) {
	repo := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "fixtures", "references"), repo)
	services := filepath.Join(repo, "shop", "services.yaml")
	data, err := os.ReadFile(services)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "  selector: {app: web}\n  ports:\n  - {name: http,",
		"  # podlint:ignore selector-matches-nothing -- stale: web's pods exist\n  selector: {app: web}\n  ports:\n  - {name: http,", 1)
	if text == string(data) {
		t.Fatal("the fixture changed: no place for the directive")
	}
	write(t, services, text)
	line := 1 + strings.Count(text[:strings.Index(text, "# podlint:ignore selector-matches-nothing -- stale")], "\n")

	unused := func(r run) []string {
		var out []string
		for _, f := range decode(t, r.stdout).Findings {
			if f.Rule == "invalid-suppression" {
				out = append(out, fmt.Sprintf("%s:%d %s", strings.TrimPrefix(filepath.ToSlash(f.File), filepath.ToSlash(repo)+"/"), f.Line, f.Message))
			}
		}
		return out
	}
	got := unused(podlint(t, "", "--format", "json", repo))
	if len(got) != 1 || !strings.HasPrefix(got[0], fmt.Sprintf("shop/services.yaml:%d ", line)) || !strings.Contains(got[0], "suppresses nothing") {
		t.Errorf("whole repository: %v, want the stale directive at line %d (and not the used one)", got, line)
	}
	// the pre-commit case: the file alone, the repository as context
	if got := unused(podlint(t, "", "--format", "json", services)); len(got) != 1 {
		t.Errorf("one file: %v, want the stale directive", got)
	}
	// off by configuration: nothing to report
	if got := unused(podlint(t, "", "--format", "json", "--disable", "selector-matches-nothing", repo)); len(got) != 0 {
		t.Errorf("rule off: %v", got)
	}
	write(t, filepath.Join(repo, "shop", "broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
	if got := unused(podlint(t, "", "--format", "json", repo)); len(got) != 0 {
		t.Errorf("incomplete view: %v, want nothing reported", got)
	}
}
