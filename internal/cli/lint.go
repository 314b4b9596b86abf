package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/podlint/podlint/internal/config"
	"github.com/podlint/podlint/internal/fix"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/rendered"
	"github.com/podlint/podlint/schema"
)

type lintFlags struct {
	reports         reportFlags
	failLevel       string
	color           string
	workers         int
	failIfNoObjects bool
	stdinName       string
	noRepository    bool
	fix, diff       bool
	helm            helmFlags
	baseline        baselineFlags
	configFlags
}

func runLint(ctx context.Context, env *Env, args []string) int {
	var fl lintFlags
	fs := flag.NewFlagSet("podlint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fl.reports.register(fs)
	fs.StringVar(&fl.failLevel, "fail-level", "error", "exit 1 when a finding is at or above this `level`: error, warning or info")
	fs.StringVar(&fl.color, "color", "auto", "color the text output: auto, always or never (NO_COLOR is respected)")
	fs.IntVar(&fl.workers, "j", runtime.NumCPU(), "check `N` files at once")
	fs.BoolVar(&fl.failIfNoObjects, "fail-if-no-objects", false, "exit 2 when the paths hold no Kubernetes object to lint (for CI)")
	fs.StringVar(&fl.stdinName, "stdin-filename", "", "name standard input `NAME` in findings, reports and excludes")
	fs.BoolVar(&fl.noRepository, "no-repository", false, "resolve Services, selectors and references among the run's objects only, without the repository's other manifests")
	fs.BoolVar(&fl.fix, "fix", false, "apply the mechanical fixes to the files, then lint them again and report what remains")
	fs.BoolVar(&fl.diff, "diff", false, "print the mechanical fixes as a unified diff, change nothing (reports go to standard error)")
	fl.helm.register(fs)
	fl.baseline.register(fs)
	fl.configFlags.register(fs)
	newSchemaChecker := schemaFlags(fs)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for performance work)")
	memProfile := fs.String("memprofile", "", "write a heap profile at the end of the run to `FILE`")
	paths, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(env.Stdout, usage)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return ExitOK
	}
	if err != nil {
		return usageError(env, err)
	}
	if len(paths) == 0 {
		return usageError(env, fmt.Errorf("no paths given: name files or folders to lint, or - for standard input"))
	}
	cfg, err := loadConfig(&fl.configFlags, fs)
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	if !flagSet(fs, "fail-level") && cfg.FailLevel != "" {
		fl.failLevel = cfg.FailLevel
	}
	failLevel, err := lint.ParseSeverity(fl.failLevel)
	if err != nil {
		return usageError(env, fmt.Errorf("--fail-level: %w", err))
	}
	targets, err := fl.reports.targets()
	if err != nil {
		return usageError(env, err)
	}
	if _, err := colorWanted(env, fl.color, ""); err != nil {
		return usageError(env, err)
	}
	if err := checkNotInput(targets, paths); err != nil {
		return usageError(env, err)
	}
	if err := fl.baseline.check(paths); err != nil {
		return usageError(env, err)
	}
	if fl.workers < 1 {
		return usageError(env, fmt.Errorf("-j must be at least 1"))
	}
	if fl.stdinName != "" && !contains(paths, "-") {
		return usageError(env, fmt.Errorf("--stdin-filename names standard input, but - is not among the paths"))
	}
	if v := fl.helm.kubeVersion; v != "" && !config.ValidKubeVersion(v) {
		return usageError(env, fmt.Errorf("--kube-version: %q is not a Kubernetes version such as v1.37.2", v))
	}
	if err := checkFixFlags(fl.fix, fl.diff, paths); err != nil {
		return usageError(env, err)
	}
	if !flagSet(fs, "fail-if-no-objects") {
		fl.failIfNoObjects = cfg.FailIfNoObjects
	}

	// The policy engine compiles while the files load and the schema compiles: on a one-file run
	// the two compilations are most of the work, and they overlap on two cores.
	policies := startEngine(ctx, cfg)
	selector, err := selectorFilter(fl.selector)
	if err != nil {
		return usageError(env, err)
	}
	opts := lint.Options{
		Workers:    fl.workers,
		Stdin:      env.Stdin,
		StdinName:  fl.stdinName,
		Skip:       cfg.Excluded,
		Select:     selector,
		Rule:       ruleSettings(cfg),
		KnownRule:  policies.known,
		NoSuppress: fl.noSuppress,
		Checkers:   []lint.Checker{newSchemaChecker(), fix.WithFixers(policies, fix.Rules)},
		PodKinds:   cfg.PodKindTable(),
		Render: rendered.New(rendered.Options{
			Helm:        func(chart string) config.Helm { return cfg.HelmFor(chart, fl.helm.settings()) },
			KubeVersion: schema.KubernetesVersion(),
		}),
	}
	for _, t := range targets {
		opts.ListObjects = opts.ListObjects || t.format == "junit"
	}
	wireRun(env, &opts, policies, paths, cfg, fl.noRepository)
	stop, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		return usageError(env, err)
	}
	res, err := lint.Run(ctx, paths, opts)
	if err == nil && (fl.fix || fl.diff) {
		res, err = applyFixes(ctx, env, paths, opts, res, fl.fix)
	}
	stop()
	_, catalog, engineErr := policies.wait()
	if engineErr != nil { // reported as itself, not as the failure of the first object it met
		fmt.Fprintf(env.Stderr, "podlint: %v\n", engineErr)
		return ExitError
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	if err := checkRuleIDs(&fl.configFlags, cfg, knownSet(catalog)); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	if err := fl.baseline.apply(env.Stderr, cfg, res); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	reportEnv := env
	if fl.diff { // the diff has standard output
		reportEnv = &Env{Stdin: env.Stdin, Stdout: env.Stderr, Stderr: env.Stderr, Getenv: env.Getenv}
	}
	if err := writeReports(reportEnv, targets, res, reportOptions(failLevel, catalog), fl.color); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	if res.Summary.Objects == 0 {
		fmt.Fprintf(env.Stderr, "podlint: %s\n", nothingLinted(paths, fl.selector, res.Summary))
		if fl.failIfNoObjects {
			return ExitError
		}
	}
	if max := res.Summary.Max(); max != 0 && max >= failLevel {
		return ExitFindings
	}
	return ExitOK
}

func usageError(env *Env, err error) int {
	fmt.Fprintf(env.Stderr, "podlint: %v\nRun 'podlint --help' for usage.\n", err)
	return ExitError
}

// colorWanted decides whether text output is colored: never into a file, never with NO_COLOR set
// (unless forced with always), and in auto mode only on a terminal.
func colorWanted(env *Env, mode, output string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if output != "" || env.Getenv("NO_COLOR") != "" {
			return false, nil
		}
		return env.IsTerminal != nil && env.IsTerminal(), nil
	}
	return false, fmt.Errorf("--color: unknown mode %q (want auto, always or never)", mode)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// nothingLinted says why a run checked no object, for standard error.
func nothingLinted(paths []string, selector string, s lint.Summary) string {
	where := strings.Join(paths, " ")
	if len(where) > 200 {
		where = fmt.Sprintf("the %d paths given", len(paths))
	}
	msg := "no Kubernetes manifests found in " + where
	if s.Charts+s.Kustomizations > 0 {
		msg = "no Kubernetes objects were checked in " + where + ": the charts and kustomizations found did not render"
	}
	if selector != "" {
		msg = fmt.Sprintf("no Kubernetes objects matching --selector %q found in %s", selector, where)
	}
	var read []string
	if s.Files > 0 {
		read = append(read, plural(s.Files, "file")+" read")
	}
	if s.NotManifests > 0 {
		read = append(read, fmt.Sprintf("%d not Kubernetes", s.NotManifests))
	}
	if len(read) > 0 {
		msg += " (" + strings.Join(read, ", ") + ")"
	}
	return msg
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
