package cli

import (
	"context"
	"flag"

	"github.com/podlint/podlint/internal/fix"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/report"
	"github.com/podlint/podlint/internal/validate"
)

// ruleSchema is the rule id of schema violations.
const ruleSchema = "schema"

// schemaRule describes the schema check for the catalog.
var schemaRule = report.RuleInfo{ID: ruleSchema, Severity: lint.Error, Title: "Object breaks the Kubernetes API schema",
	Description: "The object does not match the Kubernetes API schema podlint embeds: an unknown field (often a typo), a missing required field, a value of the wrong type, or a value outside the allowed set. The API server would reject it, or, for a YAML boolean where a string belongs, decode something else than was meant.",
	Remediation: "Fix the field the message names; for a value like yes, on or 1.10 that must stay a string, quote it."}

// schemaFlags registers the schema validation flags and returns the constructor of the checker, to
// be called once the flags are parsed.
func schemaFlags(fs *flag.FlagSet) func() lint.Checker {
	strict := fs.Bool("strict-kinds", false, "report objects of kinds podlint has no schema for, instead of skipping them")
	return func() lint.Checker { return schemaChecker(validate.Options{StrictKinds: *strict}) }
}

// schemaChecker runs schema validation as a lint check: one error finding per violation.
func schemaChecker(opts validate.Options) lint.Checker {
	v := validate.New(opts)
	return lint.CheckerFunc(func(_ context.Context, doc *manifest.Document) ([]lint.Issue, error) {
		violations, skipped, err := v.Validate(doc)
		if err != nil {
			return nil, err
		}
		if skipped {
			return nil, lint.ErrSkipped
		}
		issues := make([]lint.Issue, len(violations))
		for i, x := range violations {
			issues[i] = lint.Issue{Rule: ruleSchema, Severity: lint.Error, Message: x.Message, Path: x.Path, AtKey: x.AtKey,
				Fixes: fix.Schema(doc, x)}
		}
		return issues, nil
	})
}
