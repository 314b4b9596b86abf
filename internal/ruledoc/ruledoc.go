// Package ruledoc generates the documentation page of every rule podlint reports, and the index of
// them, from the rules' own descriptions and their fixtures. The pages are committed, so that they
// read on GitHub, and a test regenerates them to catch drift; `go generate ./rules` rewrites them.
//
// The package knows nothing of where descriptions come from: callers hand it a list of Rule, built
// from the Rego rules' METADATA and from the catalog of podlint's own checks alike.
package ruledoc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/podlint/podlint/internal/lint"
)

// RepoURL is where the repository's files are browsed; help links in reports point below it.
const RepoURL = "https://github.com/podlint/podlint/blob/main/"

// IndexPath is the page that lists every rule, relative to the repository root.
const IndexPath = "rules/README.md"

// RegenerateCommand rewrites every page; messages about stale pages name it.
const RegenerateCommand = "go generate ./rules"

// goDocsDir holds the pages of rules that have no folder under rules/.
const goDocsDir = "docs/rules"

// Origin is how a rule is implemented, which decides where its page lives.
type Origin int

const (
	// Rego rules live in rules/<id>/; their page is that folder's README.md, beside the code, so
	// that GitHub shows it when someone opens the folder.
	Rego Origin = iota
	// Go rules are podlint's own checks of its input (parsing, schema, suppressions). They have no
	// folder under rules/ (a folder there means a Rego rule), so their pages are docs/rules/<id>.md.
	Go
)

// PagePath is where the page of the rule id lives, relative to the repository root, with slashes.
func PagePath(id string, o Origin) string {
	if o == Go {
		return goDocsDir + "/" + id + ".md"
	}
	return "rules/" + id + "/README.md"
}

// URL is the address of the rule's page, for help links in SARIF, Markdown and `podlint rules`.
func URL(id string, o Origin) string { return RepoURL + PagePath(id, o) }

// Rule describes one rule for its page.
type Rule struct {
	ID    string
	Title string
	// Severity is the rule's default severity.
	Severity lint.Severity
	// Description says what the rule finds and why it matters (Markdown).
	Description string
	// Remediation says how to fix a finding (Markdown).
	Remediation string
	// Params are the default parameters, set under rules.<id>.params in .podlint.yaml.
	Params map[string]any
	// Related links to background reading.
	Related []Link
	Origin  Origin
	// Source is the file that implements the rule, relative to the repository root ("" for none).
	Source string
	// PerFile marks rules about a whole file rather than one object (parse errors): the object
	// annotation cannot suppress them.
	PerFile bool
	// Suppression, when set, replaces the standard section on how to suppress the rule (Markdown),
	// for rules that suppression comments do not apply to.
	Suppression string
}

// Page is where the rule's page lives, relative to the repository root.
func (r Rule) Page() string { return PagePath(r.ID, r.Origin) }

// Link is a related resource.
type Link struct {
	URL         string
	Description string
}

// Linter runs podlint on one file with its default settings, exactly as `podlint FILE` does, so
// that the examples on the pages show real output.
type Linter func(ctx context.Context, path string) (Report, error)

// Report is what one podlint run on an example gave.
type Report struct {
	// Output is what podlint prints in the text format, without color.
	Output string
	// Findings are the findings, in the order printed.
	Findings []Hit
}

// Hit is the part of a finding the generator checks examples against.
type Hit struct {
	Rule     string
	Severity lint.Severity
	Line     int
}

// Page is one generated file.
type Page struct {
	// Path is relative to the repository root, with slashes.
	Path    string
	Content []byte
}

// Generate renders the page of every rule and the index. root is the repository root, where the
// fixtures are read; lint runs each example. Duplicate or empty ids are errors.
func Generate(ctx context.Context, root string, rules []Rule, lint Linter) ([]Page, error) {
	rules = append([]Rule(nil), rules...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	for i, r := range rules {
		if r.ID == "" || strings.ContainsAny(r.ID, "/\\ ") {
			return nil, fmt.Errorf("rule id %q cannot name a page", r.ID)
		}
		if i > 0 && rules[i-1].ID == r.ID {
			return nil, fmt.Errorf("rule %s is described twice", r.ID)
		}
	}
	tmp, err := os.MkdirTemp("", "podlint-ruledoc-")
	if err != nil {
		return nil, fmt.Errorf("generate rule pages: %w", err)
	}
	defer os.RemoveAll(tmp)

	var pages []Page
	for _, r := range rules {
		ex, err := examples(ctx, root, tmp, r.ID, lint)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.ID, err)
		}
		pages = append(pages, Page{Path: r.Page(), Content: renderRule(r, ex)})
	}
	pages = append(pages, Page{Path: IndexPath, Content: renderIndex(rules)})
	return pages, nil
}

// generated reports whether path (relative to root, with slashes) is a file the generator owns:
// the index, a README in a rule folder, or a page in docs/rules.
func generated(p string) bool {
	if p == IndexPath {
		return true
	}
	if m, _ := path.Match("rules/*/README.md", p); m {
		return true
	}
	m, _ := path.Match(goDocsDir+"/*.md", p)
	return m
}

// existing lists the generated files under root, relative to it with slashes.
func existing(root string) ([]string, error) {
	var out []string
	for _, pattern := range []string{IndexPath, "rules/*/README.md", goDocsDir + "/*.md"} {
		matches, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(pattern)))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			rel, err := filepath.Rel(root, m)
			if err != nil {
				return nil, err
			}
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Write writes the pages under root and deletes generated pages that no rule has any more (a rule
// that was renamed or removed). It rewrites only files whose content changed.
func Write(root string, pages []Page) error {
	want := map[string]bool{}
	for _, p := range pages {
		if !generated(p.Path) {
			return fmt.Errorf("write %s: not a rule page", p.Path)
		}
		want[p.Path] = true
		file := filepath.Join(root, filepath.FromSlash(p.Path))
		if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, p.Content) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", p.Path, err)
		}
		if err := os.WriteFile(file, p.Content, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p.Path, err)
		}
	}
	have, err := existing(root)
	if err != nil {
		return err
	}
	for _, p := range have {
		if !want[p] {
			if err := os.Remove(filepath.Join(root, filepath.FromSlash(p))); err != nil {
				return fmt.Errorf("remove %s: %w", p, err)
			}
		}
	}
	return nil
}

// Check compares the pages with the files under root and returns one line per difference: a page
// that is missing, one that differs, and a generated page that no rule has any more.
func Check(root string, pages []Page) ([]string, error) {
	var problems []string
	want := map[string]bool{}
	for _, p := range pages {
		want[p.Path] = true
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problems = append(problems, p.Path+" is missing")
		case err != nil:
			return nil, err
		case !bytes.Equal(got, p.Content):
			problems = append(problems, p.Path+" is out of date"+firstDifference(got, p.Content))
		}
	}
	have, err := existing(root)
	if err != nil {
		return nil, err
	}
	for _, p := range have {
		if !want[p] {
			problems = append(problems, p+" belongs to no rule")
		}
	}
	return problems, nil
}

// firstDifference points at the first line where a page and its regenerated text differ, so that a
// failing check says more than "stale".
func firstDifference(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf(" (line %d: committed %q, generated %q)", i+1, gl, wl)
		}
	}
	return ""
}
