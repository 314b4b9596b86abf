package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	yaml "go.yaml.in/yaml/v4"

	"github.com/podlint/podlint/internal/config"
)

// runInit writes the starter configuration; it never overwrites an existing file.
func runInit(env *Env, args []string) int {
	fs := flag.NewFlagSet("podlint init", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError(env, errors.New("podlint init takes no arguments"))
	}
	f, err := os.OpenFile(config.FileName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			fmt.Fprintf(env.Stderr, "podlint: %s already exists; not overwriting it\n", config.FileName)
		} else {
			fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		}
		return ExitError
	}
	if _, err := f.WriteString(config.Starter); err != nil {
		f.Close()
		fmt.Fprintf(env.Stderr, "podlint: write %s: %v\n", config.FileName, err)
		return ExitError
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: write %s: %v\n", config.FileName, err)
		return ExitError
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", config.FileName)
	return ExitOK
}

// runConfig prints the configuration podlint would use here, after the flags.
func runConfig(env *Env, args []string) int {
	var fl configFlags
	var failLevel string
	fs := flag.NewFlagSet("podlint config", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fl.register(fs)
	fs.StringVar(&failLevel, "fail-level", "", "override failLevel")
	if err := fs.Parse(args); err != nil {
		return usageError(env, err)
	}
	cfg, err := loadConfig(&fl, fs)
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	engine, err := policyChecker(context.Background(), cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	if err := checkRuleIDs(&fl, cfg, knownSet(ruleCatalog(engine.Rules()))); err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	if failLevel != "" {
		cfg.FailLevel = failLevel
	}
	if cfg.FailLevel == "" {
		cfg.FailLevel = "error"
	}
	source := cfg.Path
	if source == "" {
		source = "none found; defaults"
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "podlint: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(env.Stdout, "# configuration file: %s\n%s", source, out)
	return ExitOK
}
