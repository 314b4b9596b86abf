package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/podlint/podlint/internal/config"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/policy"
	"github.com/podlint/podlint/internal/report"
)

// policyChecker loads the built-in rules and the configured policy folders (the file's and
// --policy's) with the configured rule parameters and pod-bearing kinds. A policy that does not
// load is podlint's own failure (exit 2), reported with file and line.
func policyChecker(ctx context.Context, cfg *config.Config) (*policy.Engine, error) {
	e, err := policy.New(ctx, policy.Options{Dirs: cfg.PolicyDirs(), Params: cfg.Params(),
		Off: func(id string) bool { return cfg.Severity(id) == "off" }, PodKinds: cfg.PodKindTable()})
	if err != nil {
		return nil, policyError(err)
	}
	if err := takesGoRuleID(e.Rules()); err != nil {
		return nil, err
	}
	return e, nil
}

// takesGoRuleID refuses a policy rule whose id is one of the rules podlint implements in Go: its
// findings could not be told apart, and suppressions and configuration would reach both.
func takesGoRuleID(cat []policy.Rule) error {
	ours := map[string]bool{}
	for _, r := range goRules() {
		ours[r.ID] = true
	}
	for _, r := range cat {
		if ours[r.ID] && !r.Builtin {
			return fmt.Errorf("%s: rule id %q of package %s is podlint's own rule; give the policy rule another id (custom.id in its METADATA)", r.File, r.ID, r.Package)
		}
	}
	return nil
}

// pendingEngine is a policy engine being built in the background. As a lint.Checker it waits for the
// build on first use.
type pendingEngine struct {
	done    chan struct{}
	engine  *policy.Engine
	err     error
	catalog map[string]report.RuleInfo
}

// startEngine builds the policy engine in a goroutine.
func startEngine(ctx context.Context, cfg *config.Config) *pendingEngine {
	p := &pendingEngine{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.engine, p.err = policyChecker(ctx, cfg)
		if p.err == nil {
			p.catalog = ruleCatalog(p.engine.Rules())
		}
	}()
	return p
}

// wait returns the engine and the full rule catalog, once built.
func (p *pendingEngine) wait() (*policy.Engine, map[string]report.RuleInfo, error) {
	<-p.done
	return p.engine, p.catalog, p.err
}

// Check evaluates the rules once the engine is built.
func (p *pendingEngine) Check(ctx context.Context, doc *manifest.Document) ([]lint.Issue, error) {
	e, _, err := p.wait()
	if err != nil {
		return nil, err
	}
	return e.Check(ctx, doc)
}

// known says whether a rule id exists, once the engine (and so the catalog) is built.
func (p *pendingEngine) known(id string) bool {
	_, catalog, err := p.wait()
	if err != nil {
		return true // the run fails on the engine's error anyway
	}
	_, ok := catalog[id]
	return ok
}

// policyError presents a policy that does not load: one problem per line, under a heading.
func policyError(err error) error {
	var perr *policy.Error
	if errors.As(err, &perr) {
		return fmt.Errorf("policy does not load:\n%s", indent(perr.Error()))
	}
	return err
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

const rulesUsage = `Usage:
  podlint rules [--format text|json] [--policy DIR]...       list the rules
  podlint rules [--policy DIR]... ID                         describe one rule

Flags:
`

// runRules prints the rule catalog, or one rule in full.
func runRules(_ context.Context, env *Env, args []string) int {
	var format string
	var dirs stringList
	fs := flag.NewFlagSet("podlint rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&format, "format", "text", "output format: text or json")
	fs.Var(&dirs, "policy", "also list the rules in the policy folder `DIR` (repeatable)")
	ids, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(env.Stdout, rulesUsage)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return ExitOK
	}
	if err != nil {
		return usageError(env, err)
	}
	if format != "text" && format != "json" {
		return usageError(env, fmt.Errorf("--format: unknown format %q (want text or json)", format))
	}
	if len(ids) > 1 {
		return usageError(env, fmt.Errorf("rules takes at most one rule id, got %d", len(ids)))
	}
	cat, err := policy.Catalog(dirs)
	if err == nil {
		err = takesGoRuleID(cat)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", policyError(err))
		return ExitError
	}
	cat = withGoRules(cat)
	if len(ids) == 1 {
		i := sort.Search(len(cat), func(i int) bool { return cat[i].ID >= ids[0] })
		if i == len(cat) || cat[i].ID != ids[0] {
			return usageError(env, fmt.Errorf("no rule %q: 'podlint rules' lists them", ids[0]))
		}
		cat = cat[i : i+1]
		if format == "text" {
			writeRule(env.Stdout, cat[0])
			return ExitOK
		}
	}
	if format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cat); err != nil {
			return ExitError
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
	for _, r := range cat {
		title := r.Title
		if title == "" {
			title = "(no title)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, title)
	}
	tw.Flush()
	return ExitOK
}

// writeRule prints one rule for a reader: what it finds, why, and what to do.
func writeRule(w io.Writer, r policy.Rule) {
	fmt.Fprintf(w, "%s (%s)\n", r.ID, r.Severity)
	if r.Title != "" {
		fmt.Fprintf(w, "%s\n", r.Title)
	}
	if r.Description != "" {
		fmt.Fprintf(w, "\n%s\n", r.Description)
	}
	if r.Remediation != "" {
		fmt.Fprintf(w, "\nHow to fix:\n%s\n", indent(r.Remediation))
	}
	if len(r.Params) > 0 {
		b, err := json.MarshalIndent(r.Params, "", "  ")
		if err == nil {
			fmt.Fprintf(w, "\nParameters (defaults):\n%s\n", indent(string(b)))
		}
	}
	if len(r.RelatedResources) > 0 {
		fmt.Fprintf(w, "\nSee also:\n")
		for _, rr := range r.RelatedResources {
			if rr.Description != "" {
				fmt.Fprintf(w, "  %s\n    %s\n", rr.Description, rr.URL)
			} else {
				fmt.Fprintf(w, "  %s\n", rr.URL)
			}
		}
	}
	if r.File != "" {
		fmt.Fprintf(w, "\nSource: %s\n", r.File)
	}
	if u := docURL(r); u != "" {
		fmt.Fprintf(w, "Documentation: %s\n", u)
	}
}

const verifyUsage = `Usage:
  podlint verify [-v] [--run REGEX] DIR...

Runs the Rego tests (files ending in _test.rego) of policy folders. The built-in rules and
data.podlint.lib are loaded beside them. Exit codes: 0 all tests pass, 1 a test fails, 2 the
policies do not load or there are no tests.

Flags:
`

// runVerify runs the user's Rego tests.
func runVerify(ctx context.Context, env *Env, args []string) int {
	var verbose bool
	var run string
	fs := flag.NewFlagSet("podlint verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&verbose, "v", false, "list every test, not only failures")
	fs.StringVar(&run, "run", "", "run only the tests whose name (data.package.test_name) matches `REGEX`")
	dirs, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(env.Stdout, verifyUsage)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return ExitOK
	}
	if err != nil {
		return usageError(env, err)
	}
	if len(dirs) == 0 {
		return usageError(env, fmt.Errorf("verify needs a policy folder"))
	}
	results, err := policy.Verify(ctx, policy.VerifyOptions{Dirs: dirs, Run: run})
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", policyError(err))
		return ExitError
	}
	if len(results) == 0 {
		fmt.Fprintf(env.Stderr, "podlint: no tests found in %s (tests are rules named test_* in files ending in _test.rego)\n", strings.Join(dirs, ", "))
		return ExitError
	}
	failed, skipped := 0, 0
	for _, r := range results {
		status := "PASS"
		switch {
		case r.Skip:
			status = "SKIP"
			skipped++
		case r.Error != nil:
			status = "ERROR"
			failed++
		case !r.Pass:
			status = "FAIL"
			failed++
		}
		if status == "PASS" && !verbose {
			continue
		}
		fmt.Fprintf(env.Stdout, "%s %s (%s:%d)\n", status, r.Name, r.File, r.Line)
		if r.Error != nil {
			fmt.Fprintf(env.Stdout, "%s\n", indent(r.Error.Error()))
		}
		if len(r.Output) > 0 && (status != "PASS" || verbose) {
			fmt.Fprintf(env.Stdout, "%s\n", indent(strings.TrimRight(string(r.Output), "\n")))
		}
	}
	passed := len(results) - failed - skipped
	if failed > 0 {
		fmt.Fprintf(env.Stdout, "%d of %d tests failed\n", failed, len(results))
		return ExitFindings
	}
	fmt.Fprintf(env.Stdout, "%d tests passed", passed)
	if skipped > 0 {
		fmt.Fprintf(env.Stdout, ", %d skipped", skipped)
	}
	fmt.Fprintln(env.Stdout)
	return ExitOK
}
