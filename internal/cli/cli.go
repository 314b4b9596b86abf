// Package cli is podlint's command line: flags, subcommands and exit codes.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Exit codes.
const (
	ExitOK       = 0 // nothing at or above the fail level
	ExitFindings = 1 // findings at or above the fail level
	ExitError    = 2 // podlint could not do its job
)

// Version is set at release time with -ldflags "-X github.com/podlint/podlint/internal/cli.Version=...".
var Version = ""

// version reports the stamped version, else the module version `go install` recorded, else "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (NO_COLOR); tests replace it.
	Getenv func(string) string
	// IsTerminal reports whether stdout is a terminal, for --color auto.
	IsTerminal func() bool
}

// Main runs podlint with args (without the program name) and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, IsTerminal: func() bool { return isTerminal(stdout) }}
	return Run(ctx, env, args)
}

// Run dispatches to a subcommand; a bare list of paths means lint.
func Run(ctx context.Context, env *Env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "lint":
			return runLint(ctx, env, args[1:])
		case "rules":
			return runRules(ctx, env, args[1:])
		case "verify":
			return runVerify(ctx, env, args[1:])
		case "version":
			fmt.Fprintf(env.Stdout, "podlint %s\n", version())
			return ExitOK
		case "init":
			return runInit(env, args[1:])
		case "config":
			return runConfig(env, args[1:])
		case "help":
			fmt.Fprint(env.Stdout, usage)
			return ExitOK
		}
	}
	return runLint(ctx, env, args)
}

const usage = `podlint lints Kubernetes pod manifests: YAML and JSON, Pods and the pod templates of workloads.

Usage:
  podlint [flags] PATH...        lint files and folders ("-" reads standard input)
  podlint lint [flags] PATH...   the same
  podlint init                   write a commented .podlint.yaml in this folder
  podlint config [flags]         print the effective configuration
  podlint rules [ID]             list the rules, or describe one (podlint rules --help)
  podlint verify DIR...          run the Rego tests of policy folders
  podlint version                print the version

Folders are searched recursively for .yaml, .yml and .json files.

Reports: --format may be repeated; each --output names the file of the --format just before it, and a
--format without --output writes to standard output (at most one may):
  podlint --format text --format sarif --output podlint.sarif manifests/

Adopting podlint where there are findings already: record them, then only new ones fail:
  podlint --write-baseline podlint-baseline.json .
  podlint --baseline podlint-baseline.json .

Fixes: --fix writes the mechanical fixes into the files and reports what remains; --diff prints them
as a unified diff and changes nothing:
  podlint --diff manifests/ > fixes.patch

Exit codes: 0 nothing at or above --fail-level, 1 findings at or above it, 2 podlint could not run.

Flags:
`

// errUsage marks errors that are the user's invocation, not their files.
var errUsage = errors.New("usage")

// parseInterspersed parses flags that may come before, between or after the positional arguments,
// as users expect from a linter (podlint dir/ --format json).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		remaining := fs.Args()
		if len(remaining) == 0 {
			return rest, nil
		}
		// flag.Parse consumes a "--" that ends the flags: everything after it is a path, even
		// "-file.yaml"
		if n := len(args) - len(remaining); n > 0 && args[n-1] == "--" {
			return append(rest, remaining...), nil
		}
		rest = append(rest, remaining[0])
		args = remaining[1:]
	}
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
