// Command gen writes the rule pages, rules/<id>/README.md, docs/rules/<id>.md and the index
// rules/README.md, from the rules' descriptions and fixtures, and rules/compiled.json and
// rules/compiled.ast, the built-in rules compiled. It runs as `go generate ./rules`; `-check` only
// reports files that are out of date, and exits 1 if any is.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/podlint/podlint/internal/cli"
	"github.com/podlint/podlint/internal/policy"
	"github.com/podlint/podlint/internal/ruledoc"
)

func main() {
	root := flag.String("root", "..", "the repository root (go generate runs in rules/)")
	check := flag.Bool("check", false, "report out-of-date pages instead of writing them")
	flag.Parse()
	if err := run(context.Background(), *root, *check); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, root string, check bool) error {
	index, modules, err := policy.CompileBuiltin()
	if err != nil {
		return err
	}
	for name, content := range map[string][]byte{"compiled.json": index, "compiled.ast": modules} {
		path := filepath.Join(root, "rules", name)
		if check {
			if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, content) {
				return fmt.Errorf("rules/%s is out of date: run %s", name, ruledoc.RegenerateCommand)
			}
		} else if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	rules, err := cli.DocRules()
	if err != nil {
		return err
	}
	pages, err := ruledoc.Generate(ctx, root, rules, cli.DocLint)
	if err != nil {
		return err
	}
	if !check {
		return ruledoc.Write(root, pages)
	}
	problems, err := ruledoc.Check(root, pages)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d rule pages need regenerating: run %s", len(problems), ruledoc.RegenerateCommand)
	}
	return nil
}
