package policy_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/policy"
)

// fixturesDir holds, per rule, pass-* and fail-* manifests.
const fixturesDir = "../../fixtures"

var wantComment = regexp.MustCompile(`#\s*want:\s*(.+)$`)

// hit is a finding reduced to what the fixtures pin down: the rule and the line.
type hit struct {
	line int
	rule string
}

func (h hit) String() string { return fmt.Sprintf("line %d: %s", h.line, h.rule) }

// expectations reads what a fixture must produce. In YAML each expected finding is marked on its
// line with `# want: <id>` (several ids for several findings); JSON has no comments, so a JSON
// fixture lists "<line> <id>" pairs in a .want file beside it.
func expectations(t *testing.T, path string) []hit {
	t.Helper()
	var wants []hit
	if strings.HasSuffix(path, ".json") {
		data, err := os.ReadFile(path + ".want")
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			f := strings.Fields(l)
			if len(f) != 2 {
				t.Fatalf("%s.want: want lines of the form \"<line> <rule-id>\", got %q", path, l)
			}
			n, err := strconv.Atoi(f[0])
			if err != nil {
				t.Fatalf("%s.want: %v", path, err)
			}
			wants = append(wants, hit{n, f[1]})
		}
		return wants
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := wantComment.FindStringSubmatch(sc.Text()); m != nil {
			for _, id := range strings.Fields(m[1]) {
				wants = append(wants, hit{n, id})
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return wants
}

func sortHits(hs []hit) {
	slices.SortFunc(hs, func(a, b hit) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return strings.Compare(a.rule, b.rule)
	})
}

// TestFixtures runs every fixture through the whole pipeline, lint.Run with the policy engine as
// the binary wires it, and checks each finding's rule and line. A fail fixture must produce exactly
// the findings its markers list, for its own rule and any rule a marker names; a pass fixture must
// produce no finding of its rule. Findings must also land on the lines the loader can show.
func TestFixtures(t *testing.T) {
	ctx := context.Background()
	engine, err := policy.New(ctx, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, r := range engine.Rules() {
		rules[r.ID] = true
	}
	dirs, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range dirs {
		if !d.IsDir() || !rules[d.Name()] {
			continue
		}
		id := d.Name()
		files, err := filepath.Glob(filepath.Join(fixturesDir, id, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			name := filepath.Base(path)
			ext := filepath.Ext(name)
			if ext != ".yaml" && ext != ".yml" && ext != ".json" {
				continue
			}
			pass := strings.HasPrefix(name, "pass-")
			if !pass && !strings.HasPrefix(name, "fail-") {
				t.Errorf("%s: fixture names start with pass- or fail-", path)
				continue
			}
			checked++
			t.Run(id+"/"+name, func(t *testing.T) {
				opts := lint.Options{Workers: 1, Checkers: []lint.Checker{engine}}
				engine.WireRun(&opts, nil) // the rules of the whole run, over the fixture's objects
				res, err := lint.Run(ctx, []string{path}, opts)
				if err != nil {
					t.Fatal(err)
				}
				wants := expectations(t, path)
				if pass && len(wants) > 0 {
					t.Fatalf("a pass fixture expects no findings, but it has want markers")
				}
				if !pass && len(wants) == 0 {
					t.Fatalf("a fail fixture needs at least one want marker")
				}
				compared := map[string]bool{id: true}
				for _, w := range wants {
					if !rules[w.rule] {
						t.Errorf("want marker names unknown rule %q", w.rule)
					}
					compared[w.rule] = true
				}
				var got []hit
				for _, f := range res.Findings {
					if !rules[f.Rule] {
						t.Errorf("%s:%d: %s: %s (the fixture does not load cleanly)", name, f.Line, f.Rule, f.Message)
						continue
					}
					if compared[f.Rule] {
						got = append(got, hit{f.Line, f.Rule})
					}
				}
				sortHits(got)
				sortHits(wants)
				if !slices.Equal(got, wants) {
					t.Errorf("findings differ\n got: %v\nwant: %v\nall findings:\n%s", got, wants, describe(res.Findings))
				}
			})
		}
	}
	if checked == 0 {
		t.Fatal("no fixtures found")
	}
}

func describe(fs []lint.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %d:%d %s %s %s\n", f.Line, f.Column, f.Rule, f.Severity, f.Message)
	}
	return b.String()
}
