package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/podlint/podlint/internal/fix"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// maxFixPasses bounds how often --fix lints and fixes again: a fix that waited for an overlapping
// one is made in the next pass.
const maxFixPasses = 4

func checkFixFlags(fixing, diff bool, paths []string) error {
	if fixing && diff {
		return errors.New("--fix and --diff do not go together: --diff shows what --fix would change")
	}
	if (fixing || diff) && contains(paths, manifest.Stdin) {
		return errors.New("--fix and --diff change files: standard input (-) cannot be fixed")
	}
	return nil
}

// applyFixes makes the fixes of a run's findings. With write, it writes each changed file and lints
// the paths again until nothing more is fixed, and returns the last result: what remains. Without
// it (--diff), it prints each file's change as a unified diff on standard output and returns the
// run's result as it was.
func applyFixes(ctx context.Context, env *Env, paths []string, opts lint.Options, res *lint.Result, write bool) (*lint.Result, error) {
	if !write {
		for _, c := range fix.Plan(res.Findings, manifest.ReadFile) {
			fmt.Fprint(env.Stdout, fix.Diff(c.File, c.Before, c.After))
		}
		return res, nil
	}
	fixed, files := 0, map[string]bool{}
	for pass := 0; pass < maxFixPasses; pass++ {
		changes := fix.Plan(res.Findings, manifest.ReadFile)
		if len(changes) == 0 {
			break
		}
		for _, c := range changes {
			if err := fix.Write(c.File, c.After); err != nil {
				return nil, fmt.Errorf("fix %s: %w", c.File, err)
			}
			fixed += c.Fixed
			files[c.File] = true
		}
		var err error
		if res, err = lint.Run(ctx, paths, opts); err != nil {
			return nil, err
		}
	}
	if fixed > 0 {
		fmt.Fprintf(env.Stderr, "podlint: fixed %s in %s\n", plural(fixed, "finding"), plural(len(files), "file"))
	}
	return res, nil
}
