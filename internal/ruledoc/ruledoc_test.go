package ruledoc

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestPagePathAndURL(t *testing.T) {
	tests := []struct {
		id       string
		origin   Origin
		path     string
		indexRel string
	}{
		{"port-conflict", Rego, "rules/port-conflict/README.md", "port-conflict/README.md"},
		{"parse-error", Go, "docs/rules/parse-error.md", "../docs/rules/parse-error.md"},
	}
	for _, tt := range tests {
		if got := PagePath(tt.id, tt.origin); got != tt.path {
			t.Errorf("PagePath(%s) = %s, want %s", tt.id, got, tt.path)
		}
		if got, want := URL(tt.id, tt.origin), "https://github.com/podlint/podlint/blob/main/"+tt.path; got != want {
			t.Errorf("URL(%s) = %s, want %s", tt.id, got, want)
		}
		if got := relLink(IndexPath, tt.path); got != tt.indexRel {
			t.Errorf("link from the index to %s = %s, want %s", tt.path, got, tt.indexRel)
		}
	}
}

func TestRelLink(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"rules/a/README.md", "rules/a/a.rego", "a.rego"},
		{"rules/a/README.md", "rules/README.md", "../README.md"},
		{"rules/a/README.md", "fixtures/a/fail-x.yaml", "../../fixtures/a/fail-x.yaml"},
		{"docs/rules/x.md", "rules/README.md", "../../rules/README.md"},
		{"docs/rules/x.md", "docs/rules/y.md", "y.md"},
		{"README.md", "rules/README.md", "rules/README.md"},
		{"rules/README.md", "rules/a/README.md", "a/README.md"},
	}
	for _, tt := range tests {
		if got := relLink(tt.from, tt.to); got != tt.want {
			t.Errorf("relLink(%s, %s) = %s, want %s", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestStripMarkers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"containerPort: 80 # want: port-conflict", "containerPort: 80"},
		{"containerPort: 80   #want:port-conflict undocumented-port", "containerPort: 80"},
		{"# want: x", ""},
		{"image: nginx # the web server", "image: nginx # the web server"},
		{`args: ["a#want: b"]`, `args: ["a#want: b"]`}, // not a comment: no space before #
		{"a: 1\r", "a: 1\r"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := stripMarkers(tt.in); got != tt.want {
			t.Errorf("stripMarkers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := stripMarkers("a: 1 # want: r\nb: 2\n"); got != "a: 1\nb: 2\n" {
		t.Errorf("lines must stay in place: %q", got)
	}
}

func TestMarkers(t *testing.T) {
	dir := t.TempDir()
	json := filepath.Join(dir, "fail-x.json")
	write(t, json+".want", "3 rule-a\n7 rule-b\n")
	bad := filepath.Join(dir, "fail-bad.json")
	write(t, bad+".want", "three rule-a\n")
	tests := []struct {
		name, file, text string
		want             []expectation
		err              string
	}{
		{"yaml", "x.yaml", "a: 1\nb: 2 # want: r1, r2\nc: 3 # want: r3\n", []expectation{{2, "r1"}, {2, "r2"}, {3, "r3"}}, ""},
		{"yaml without markers", "x.yaml", "a: 1\n", nil, ""},
		{"json with .want", json, "{}", []expectation{{3, "rule-a"}, {7, "rule-b"}}, ""},
		{"json without .want", filepath.Join(dir, "none.json"), "{}", nil, ""},
		{"malformed .want", bad, "{}", nil, "fail-bad.json.want"},
	}
	for _, tt := range tests {
		got, err := markers(tt.file, tt.text)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one mentioning %s", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
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

// fakeLint stands in for podlint: every line containing BAD is a finding of rule demo (an error when
// the line also says ERROR), and every line containing OTHER one of rule other. It prints the path
// as given, like podlint, so that the generator's renaming of the file is tested too.
func fakeLint(_ context.Context, path string) (Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	var out strings.Builder
	for i, l := range strings.Split(string(data), "\n") {
		rule, sev := "", lint.Warning
		switch {
		case strings.Contains(l, "BAD"):
			rule = "demo"
		case strings.Contains(l, "OTHER"):
			rule = "other"
		default:
			continue
		}
		if strings.Contains(l, "ERROR") {
			sev = lint.Error
		}
		rep.Findings = append(rep.Findings, Hit{Rule: rule, Severity: sev, Line: i + 1})
		fmt.Fprintf(&out, "%s:%d:1: %s: found it [%s]\n", path, i+1, sev, rule)
	}
	fmt.Fprintf(&out, "%d findings\n", len(rep.Findings))
	rep.Output = out.String()
	return rep, nil
}

func demoRules() []Rule {
	return []Rule{
		{ID: "demo", Title: "Something bad is in the pod", Severity: lint.Warning,
			Description: "Pods that say BAD are bad.\n\nReally.", Remediation: "Say `good`.",
			Params:  map[string]any{"words": []any{"BAD"}, "limit": 3},
			Related: []Link{{URL: "https://kubernetes.io/docs/concepts/workloads/pods/", Description: "Pods"}, {URL: "https://example.com/x"}},
			Origin:  Rego, Source: "rules/demo/demo.rego"},
		{ID: "bad-input", Title: "File | is broken", Severity: lint.Error, Description: "It cannot be read.",
			Origin: Go, PerFile: true, Suppression: "It cannot be suppressed; fix the file."},
	}
}

// demoRoot is a repository with fixtures for rule demo: the first fail and pass fixtures by name are
// shown, the others listed.
func demoRoot(t *testing.T) string {
	root := t.TempDir()
	write(t, filepath.Join(root, "fixtures/demo/fail-a.yaml"), "kind: Pod\nspec: BAD # want: demo\nx: BAD ERROR # want: demo\ny: OTHER\n")
	write(t, filepath.Join(root, "fixtures/demo/fail-b.yaml"), "spec: BAD # want: demo\n")
	write(t, filepath.Join(root, "fixtures/demo/fail-0.json"), "{\"spec\": \"BAD\"}\n")
	write(t, filepath.Join(root, "fixtures/demo/pass-a.yaml"), "kind: Pod\nspec: good # all fine\n")
	write(t, filepath.Join(root, "fixtures/demo/notes.txt"), "not a manifest\n")
	return root
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		write(t, path, string(got))
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)%s", path, firstDifference(want, got))
	}
}

func TestGenerate(t *testing.T) {
	root := demoRoot(t)
	pages, err := Generate(context.Background(), root, demoRules(), fakeLint)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range pages {
		paths = append(paths, p.Path)
		golden(t, strings.ReplaceAll(p.Path, "/", "_")+".golden", p.Content)
	}
	want := []string{"docs/rules/bad-input.md", "rules/demo/README.md", "rules/README.md"}
	if !slices.Equal(paths, want) {
		t.Errorf("pages %v, want %v", paths, want)
	}
	demo := string(pages[1].Content)
	for _, s := range []string{
		"spec: BAD\nx: BAD ERROR\n",                                         // markers stripped, lines in place
		"fail-a.yaml:3:1: error: found it",                                  // the example's output, under the fixture's name
		"some findings are error",                                           // seen in the output, so said on the page
		"[`fail-0.json`](../../fixtures/demo/fail-0.json), [`fail-b.yaml`]", // the rest listed
		"spec: BAD  # podlint:ignore demo -- <why this is fine here>",       // on the first flagged line
	} {
		if !strings.Contains(demo, s) {
			t.Errorf("demo page lacks %q", s)
		}
	}
	if strings.Contains(demo, "want:") || strings.Contains(demo, root) {
		t.Errorf("demo page shows a marker or the temporary path:\n%s", demo)
	}
	if bad := string(pages[0].Content); strings.Contains(bad, "podlint.io/ignore") || strings.Contains(bad, "## Examples") {
		t.Errorf("a per-file rule without fixtures gets no annotation and no examples:\n%s", bad)
	}
}

func TestGenerateRefusesUntrueExamples(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		rules []Rule
		err   string
	}{
		{"fail example not flagged", map[string]string{"fail-a.yaml": "spec: fine # want: demo\n"}, nil,
			"podlint reports no demo finding for this fail example"},
		{"fail example without markers not flagged", map[string]string{"fail-a.yaml": "spec: fine\n"}, nil,
			"podlint reports no demo finding"},
		{"finding off its marker", map[string]string{"fail-a.yaml": "a: BAD\nb: 1 # want: demo\n"}, nil,
			"line 2 is marked for 1 demo finding(s), podlint reports 0"},
		{"unmarked finding", map[string]string{"fail-a.yaml": "a: BAD # want: demo\nb: BAD\n"}, nil,
			"podlint reports 1 demo finding(s) on line 2, which has no marker"},
		{"json .want checked", map[string]string{"fail-a.json": "{\n\"a\": \"BAD\"}\n", "fail-a.json.want": "1 demo\n"}, nil,
			"line 1 is marked for 1 demo finding(s)"},
		{"pass example flagged", map[string]string{"pass-a.yaml": "a: 1\nb: BAD\n"}, nil,
			"podlint reports demo on line 2 of this pass example"},
		{"duplicate id", nil, []Rule{{ID: "demo"}, {ID: "demo", Origin: Go}}, "rule demo is described twice"},
		{"id that cannot be a path", nil, []Rule{{ID: "acme/deny"}}, `rule id "acme/deny" cannot name a page`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, text := range tt.files {
				write(t, filepath.Join(root, "fixtures/demo", name), text)
			}
			rules := tt.rules
			if rules == nil {
				rules = []Rule{{ID: "demo"}}
			}
			_, err := Generate(context.Background(), root, rules, fakeLint)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

func TestWriteAndCheck(t *testing.T) {
	root := demoRoot(t)
	ctx := context.Background()
	pages, err := Generate(ctx, root, demoRules(), fakeLint)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := Check(root, pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 3 || !strings.HasSuffix(problems[0], "is missing") {
		t.Errorf("before writing: %v", problems)
	}
	// a page of a rule that is gone, and a file that is not a page
	write(t, filepath.Join(root, "rules/gone/README.md"), "old\n")
	write(t, filepath.Join(root, "rules/demo/notes.md"), "mine\n")
	if err := Write(root, pages); err != nil {
		t.Fatal(err)
	}
	if problems, err := Check(root, pages); err != nil || len(problems) != 0 {
		t.Errorf("after writing: %v %v", problems, err)
	}
	if _, err := os.Stat(filepath.Join(root, "rules/gone/README.md")); !os.IsNotExist(err) {
		t.Errorf("the page of a removed rule is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "rules/demo/notes.md")); err != nil {
		t.Errorf("a file the generator does not own was touched: %v", err)
	}

	write(t, filepath.Join(root, "rules/demo/README.md"), "edited by hand\n")
	write(t, filepath.Join(root, "docs/rules/gone.md"), "old\n")
	problems, err = Check(root, pages)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`rules/demo/README.md is out of date (line 1: committed "edited by hand", generated "<!-- Generated by ` + "`go generate ./rules`" + ` from the rules' descriptions and fixtures. Do not edit:")`,
		"docs/rules/gone.md belongs to no rule",
	}
	if !slices.Equal(problems, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	if err := Write(root, []Page{{Path: "README.md"}}); err == nil {
		t.Error("Write accepted a file that is not a rule page")
	}
}
