package rules_test

import (
	"context"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/cli"
	"github.com/podlint/podlint/internal/ruledoc"
)

// TestRulePagesUpToDate regenerates every rule page in memory, running each example through podlint,
// and fails when a committed page differs, is missing, or belongs to no rule.
func TestRulePagesUpToDate(t *testing.T) {
	rules, err := cli.DocRules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) == 0 {
		t.Fatal("no rules to document")
	}
	pages, err := ruledoc.Generate(context.Background(), "..", rules, cli.DocLint)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := ruledoc.Check("..", pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("rule pages are out of date; run `%s` and commit the result:\n  %s",
			ruledoc.RegenerateCommand, strings.Join(problems, "\n  "))
	}
	// every rule in the catalog has a page (Check then found it committed)
	have := map[string]bool{}
	for _, p := range pages {
		have[p.Path] = true
	}
	for _, r := range rules {
		if !have[r.Page()] {
			t.Errorf("no page generated for %s", r.ID)
		}
	}
}
