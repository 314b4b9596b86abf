package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/report"
)

type lintFlags struct {
	format    string
	output    string
	failLevel string
	color     string
	workers   int
	configFlags
}

func runLint(ctx context.Context, env *Env, args []string) int {
	var fl lintFlags
	fs := flag.NewFlagSet("podlint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&fl.format, "format", "text", "output format: text or json")
	fs.StringVar(&fl.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&fl.failLevel, "fail-level", "error", "exit 1 when a finding is at or above this `level`: error, warning or info")
	fs.StringVar(&fl.color, "color", "auto", "color the text output: auto, always or never (NO_COLOR is respected)")
	fs.IntVar(&fl.workers, "j", runtime.NumCPU(), "check `N` files at once")
	fl.configFlags.register(fs)
	newSchemaChecker := schemaFlags(fs)
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
	write, err := report.Lookup(fl.format)
	if err != nil {
		return usageError(env, fmt.Errorf("--format: %w", err))
	}
	useColor, err := colorWanted(env, fl.color, fl.output)
	if err != nil {
		return usageError(env, err)
	}
	if fl.workers < 1 {
		return usageError(env, fmt.Errorf("-j must be at least 1"))
	}

	known := knownSet(ruleIDs())
	if err := checkRuleIDs(&fl.configFlags, cfg, known); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
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
		KnownRule:  known,
		NoSuppress: fl.noSuppress,
		Checkers:   []lint.Checker{newSchemaChecker()},
	}
	res, err := lint.Run(ctx, paths, opts)
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	var buf bytes.Buffer
	if err := write(&buf, res, report.Options{Color: useColor}); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: write report: %v\n", err)
		return ExitError
	}
	if fl.output != "" {
		if err := os.WriteFile(fl.output, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(env.Stderr, "podlint: write report: %v\n", err)
			return ExitError
		}
	} else if _, err := env.Stdout.Write(buf.Bytes()); err != nil {
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
