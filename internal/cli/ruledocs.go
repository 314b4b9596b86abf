package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/policy"
	"github.com/podlint/podlint/internal/ruledoc"
)

// DocRules is every rule podlint reports, described for the generated rule pages: the built-in Rego
// rules from their METADATA, then podlint's own checks from goRuleDocs. It lives here because the
// command line is where every catalog meets.
func DocRules() ([]ruledoc.Rule, error) {
	cat, err := policy.Catalog(nil)
	if err != nil {
		return nil, err
	}
	var rules []ruledoc.Rule
	for _, r := range cat {
		if !r.Builtin {
			continue
		}
		d := ruledoc.Rule{ID: r.ID, Title: r.Title, Severity: r.Severity, Description: r.Description,
			Remediation: r.Remediation, Params: r.Params, Origin: ruledoc.Rego, Source: r.File}
		for _, rr := range r.RelatedResources {
			d.Related = append(d.Related, ruledoc.Link{URL: rr.URL, Description: rr.Description})
		}
		rules = append(rules, d)
	}
	return append(rules, goRuleDocs()...), nil
}

// goRuleDocs describes the rules podlint implements in Go (loader problems, schema, suppressions),
// which have no METADATA: their catalog entries in rules.go are the source.
func goRuleDocs() []ruledoc.Rule {
	var out []ruledoc.Rule
	for _, r := range goRules() {
		out = append(out, ruledoc.Rule{ID: r.ID, Title: r.Title, Severity: r.Severity, Description: r.Description,
			Remediation: r.Remediation, Origin: ruledoc.Go, PerFile: r.PerFile, Suppression: goSuppression[r.ID]})
	}
	return out
}

// goSuppression replaces the standard "how to suppress" text for the Go rules that a suppression
// comment cannot reach.
var goSuppression = map[string]string{
	"invalid-suppression": "A suppression comment cannot silence this rule, since the comment is what it reports. Fix the\n" +
		"directive (write the reason after ` -- `, correct the rule id: `podlint rules` lists them) or\n" +
		"delete it.",
	"unreadable-file": "There is no text to put a comment in. Leave the file out instead: list it under `exclude:` in\n" +
		"`.podlint.yaml`, or pass `--exclude GLOB`, when it sits in a folder podlint lints.",
}

// docURL is the page of a built-in rule, printed by `podlint rules ID`.
func docURL(r policy.Rule) string {
	switch {
	case !r.Builtin:
		return ""
	case r.Package == "":
		return ruledoc.URL(r.ID, ruledoc.Go) // one of podlint's own checks, written in Go
	}
	return ruledoc.URL(r.ID, ruledoc.Rego)
}

// withGoRules adds podlint's own checks (loader problems, schema, suppressions) to the policy
// catalog, so that `podlint rules` lists every rule a run can report, sorted by id.
func withGoRules(cat []policy.Rule) []policy.Rule {
	for _, r := range goRules() {
		cat = append(cat, policy.Rule{ID: r.ID, Severity: r.Severity, Title: r.Title, Description: r.Description,
			Remediation: r.Remediation, Builtin: true})
	}
	sort.Slice(cat, func(i, j int) bool { return cat[i].ID < cat[j].ID })
	return cat
}

// DocLint lints one file the way `podlint FILE` does with no flags, for the examples on the rule
// pages: it returns the text report, uncolored, and the findings from the JSON report of a second
// run, so that the pages show podlint's real output and the generator can check it.
func DocLint(ctx context.Context, path string) (ruledoc.Report, error) {
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }}
		// an empty configuration, so that a .podlint.yaml in the checkout cannot change the pages
		// and the example stands alone: the checkout's other manifests must not resolve its references
		args = append(args, "--config", os.DevNull, "--no-repository", "--", path)
		if code := Run(ctx, env, args); code != ExitOK && code != ExitFindings {
			return "", fmt.Errorf("podlint exited with %d: %s", code, strings.TrimSpace(stderr.String()))
		}
		return stdout.String(), nil
	}
	text, err := run("--color", "never")
	if err != nil {
		return ruledoc.Report{}, err
	}
	out, err := run("--format", "json")
	if err != nil {
		return ruledoc.Report{}, err
	}
	var res struct {
		Findings []struct {
			Rule     string        `json:"rule"`
			Severity lint.Severity `json:"severity"`
			Line     int           `json:"line"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return ruledoc.Report{}, fmt.Errorf("read podlint's JSON report: %w", err)
	}
	rep := ruledoc.Report{Output: text}
	for _, f := range res.Findings {
		rep.Findings = append(rep.Findings, ruledoc.Hit{Rule: f.Rule, Severity: f.Severity, Line: f.Line})
	}
	return rep, nil
}
