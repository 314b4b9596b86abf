package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/podlint/podlint/internal/lint"
)

type lintFlags struct {
	reports   reportFlags
	failLevel string
	color     string
	workers   int
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
	if fl.workers < 1 {
		return usageError(env, fmt.Errorf("-j must be at least 1"))
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
		Skip:       cfg.Excluded,
		Select:     selector,
		Rule:       ruleSettings(cfg),
		KnownRule:  policies.known,
		NoSuppress: fl.noSuppress,
		Checkers:   []lint.Checker{newSchemaChecker(), policies},
		PodKinds:   cfg.PodKindTable(),
	}
	for _, t := range targets {
		opts.ListObjects = opts.ListObjects || t.format == "junit"
	}
	stop, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		return usageError(env, err)
	}
	res, err := lint.Run(ctx, paths, opts)
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
	if err := writeReports(env, targets, res, reportOptions(failLevel, catalog), fl.color); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
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
