package policy

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// VerifyOptions configure a run of Rego tests.
type VerifyOptions struct {
	// Dirs are the policy folders whose *_test.rego files run. The built-in rules and lib are loaded
	// too (without their tests), so that tests can use data.podlint.lib and the built-in rules.
	Dirs []string
	// Run, when set, runs only the tests whose data.<package>.<name> matches this expression.
	Run string
	// Params set rule parameters as for linting (data.podlint.params).
	Params map[string]map[string]any
	// Timeout bounds each test; zero means a generous default.
	Timeout time.Duration
}

// TestResult is the outcome of one Rego test.
type TestResult struct {
	// Name is data.<package>.<rule>.
	Name string
	File string
	Line int
	Pass bool
	Skip bool
	// Error is set when the test could not be evaluated (as opposed to evaluating to false).
	Error    error
	Duration time.Duration
	// Output is what the test printed.
	Output []byte
}

// Verify runs the Rego tests of the user's policy folders through OPA's tester, with podlint's
// builtins and data. A policy that does not load is an *Error, as for linting.
func Verify(ctx context.Context, opts VerifyOptions) ([]TestResult, error) {
	srcs, err := builtinSources(false)
	if err != nil {
		return nil, err
	}
	for _, dir := range opts.Dirs {
		s, err := dirSources(dir, true)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, s...)
	}
	return runTests(ctx, srcs, opts)
}

// runTests runs every test among srcs.
func runTests(ctx context.Context, srcs []source, opts VerifyOptions) ([]TestResult, error) {
	if opts.Run != "" {
		if _, err := regexp.Compile(opts.Run); err != nil {
			return nil, fmt.Errorf("--run: %w", err)
		}
	}
	modules, err := parseSources(srcs)
	if err != nil {
		return nil, err
	}
	_, cat, err := buildCatalog(packages(modules, builtinNames(srcs)))
	if err != nil {
		return nil, err
	}
	data, err := paramsData(cat, opts.Params)
	if err != nil {
		return nil, err
	}
	store := inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	runner := tester.NewRunner().
		SetCompiler(newCompiler(true)).
		SetStore(store).
		SetModules(modules).
		AddCustomBuiltins(testerBuiltins(nil)).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		SetTimeout(timeout)
	if opts.Run != "" {
		runner = runner.Filter(opts.Run)
	}
	txn, err := store.NewTransaction(ctx)
	if err != nil {
		return nil, fmt.Errorf("run tests: %w", err)
	}
	defer store.Abort(ctx, txn)
	ch, err := runner.RunTests(ctx, txn)
	if err != nil {
		if errs, ok := asASTErrors(err); ok {
			return nil, &Error{Errors: errs}
		}
		return nil, fmt.Errorf("run tests: %w", err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{Name: r.Package + "." + r.Name, Pass: r.Pass(), Skip: r.Skip, Error: r.Error,
			Duration: r.Duration, Output: r.Output}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		out = append(out, tr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out, nil
}
