package ruledoc

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// FixturesDir holds each rule's fixtures, in fixtures/<id>/, relative to the repository root.
const FixturesDir = "fixtures"

// example is one fixture as a page shows it.
type example struct {
	// path is the fixture's path relative to the repository root, with slashes.
	path string
	// lang is the code block's language: yaml or json.
	lang string
	// text is the manifest as shown, without the fixture's `# want:` markers.
	text string
	// report is what podlint prints for text.
	report Report
}

// name is the fixture's file name, which podlint's output on the page uses too.
func (e *example) name() string { return path.Base(e.path) }

// ruleExamples are a rule's examples: the first fail fixture (what to avoid), the first pass fixture
// (what to prefer), and the paths of the others.
type ruleExamples struct {
	avoid, prefer *example
	more          []string
}

// wantMarker is a fixture's mark of an expected finding, a YAML comment: `# want: <id> [<id>...]`.
var wantMarker = regexp.MustCompile(`(^|\s+)#\s*want:\s*(.*)$`)

// stripMarkers removes the `# want:` comments, which are for tests, not readers. Lines stay where
// they are, so line numbers in podlint's output match both the fixture and the page.
func stripMarkers(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(wantMarker.ReplaceAllString(l, ""), " \t")
	}
	return strings.Join(lines, "\n")
}

// expectation is a finding a fixture expects: a rule on a line.
type expectation struct {
	line int
	rule string
}

// markers reads the expected findings of a fixture: from its `# want:` comments in YAML, from the
// .want file beside it ("<line> <id>" per line) for JSON, which has no comments.
func markers(file, text string) ([]expectation, error) {
	var out []expectation
	if strings.HasSuffix(file, ".json") {
		data, err := os.ReadFile(file + ".want")
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			f := strings.Fields(l)
			if len(f) != 2 {
				return nil, fmt.Errorf("%s.want: want lines of the form \"<line> <rule-id>\", got %q", filepath.Base(file), l)
			}
			n, err := strconv.Atoi(f[0])
			if err != nil {
				return nil, fmt.Errorf("%s.want: %w", filepath.Base(file), err)
			}
			out = append(out, expectation{n, f[1]})
		}
		return out, nil
	}
	for i, l := range strings.Split(text, "\n") {
		if m := wantMarker.FindStringSubmatch(l); m != nil {
			for _, id := range strings.FieldsFunc(m[2], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				out = append(out, expectation{i + 1, id})
			}
		}
	}
	return out, nil
}

// manifestExt reports whether a fixture is a manifest podlint reads, and its code block language.
func manifestExt(name string) (string, bool) {
	switch filepath.Ext(name) {
	case ".yaml", ".yml":
		return "yaml", true
	case ".json":
		return "json", true
	}
	return "", false
}

// pick returns the fixture to show among names (sorted): the first YAML one, since YAML is what
// people write and it can carry comments, else the first JSON one.
func pick(names []string) string {
	for _, n := range names {
		if lang, _ := manifestExt(n); lang == "yaml" {
			return n
		}
	}
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

// examples reads the rule's fixtures and runs the two it shows through podlint, in a folder of tmp.
// A fail example that podlint does not flag with the rule, or flags elsewhere than its markers say,
// and a pass example that the rule flags, are errors: the page would tell the reader something
// untrue.
func examples(ctx context.Context, root, tmp, id string, lint Linter) (ruleExamples, error) {
	var ex ruleExamples
	entries, err := os.ReadDir(filepath.Join(root, FixturesDir, id))
	if errors.Is(err, fs.ErrNotExist) {
		return ex, nil
	}
	if err != nil {
		return ex, err
	}
	var fails, passes []string
	for _, e := range entries {
		if _, ok := manifestExt(e.Name()); !ok || e.IsDir() {
			continue
		}
		switch {
		case strings.HasPrefix(e.Name(), "fail-"):
			fails = append(fails, e.Name())
		case strings.HasPrefix(e.Name(), "pass-"):
			passes = append(passes, e.Name())
		}
	}
	sort.Strings(fails)
	sort.Strings(passes)
	avoid, prefer := pick(fails), pick(passes)
	dir := filepath.Join(tmp, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ex, err
	}
	for _, n := range append(fails, passes...) {
		if n != avoid && n != prefer {
			ex.more = append(ex.more, FixturesDir+"/"+id+"/"+n)
		}
	}
	if avoid != "" {
		if ex.avoid, err = run(ctx, root, dir, id, avoid, lint); err != nil {
			return ex, err
		}
		if err := checkFail(root, id, ex.avoid); err != nil {
			return ex, err
		}
	}
	if prefer != "" {
		if ex.prefer, err = run(ctx, root, dir, id, prefer, lint); err != nil {
			return ex, err
		}
		for _, h := range ex.prefer.report.Findings {
			if h.Rule == id {
				return ex, fmt.Errorf("%s: podlint reports %s on line %d of this pass example", ex.prefer.path, id, h.Line)
			}
		}
	}
	return ex, nil
}

// run lints the fixture name as the page shows it, from a copy in dir, and names the file in the
// output as the page does.
func run(ctx context.Context, root, dir, id, name string, lint Linter) (*example, error) {
	rel := FixturesDir + "/" + id + "/" + name
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	lang, _ := manifestExt(name)
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if lang == "yaml" {
		text = stripMarkers(text)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		return nil, err
	}
	rep, err := lint(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("lint %s: %w", rel, err)
	}
	rep.Output = strings.ReplaceAll(rep.Output, dir+string(filepath.Separator), "")
	return &example{path: rel, lang: lang, text: text, report: rep}, nil
}

// checkFail makes sure the fail example shows what its fixture promises: at least one finding of the
// rule, and, for every rule its markers name, findings on exactly the marked lines.
func checkFail(root, id string, ex *example) error {
	original, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(ex.path)))
	if err != nil {
		return err
	}
	wants, err := markers(filepath.Join(root, filepath.FromSlash(ex.path)), string(original))
	if err != nil {
		return err
	}
	named := map[string]bool{}
	want := map[expectation]int{}
	for _, w := range wants {
		named[w.rule] = true
		want[w]++
	}
	got := map[expectation]int{}
	own := 0
	for _, h := range ex.report.Findings {
		if h.Rule == id {
			own++
		}
		if named[h.Rule] {
			got[expectation{h.Line, h.Rule}]++
		}
	}
	if own == 0 {
		return fmt.Errorf("%s: podlint reports no %s finding for this fail example", ex.path, id)
	}
	for w, n := range want {
		if got[w] != n {
			return fmt.Errorf("%s: line %d is marked for %d %s finding(s), podlint reports %d there", ex.path, w.line, n, w.rule, got[w])
		}
	}
	for g, n := range got {
		if want[g] == 0 {
			return fmt.Errorf("%s: podlint reports %d %s finding(s) on line %d, which has no marker", ex.path, n, g.rule, g.line)
		}
	}
	return nil
}
