package cli

import (
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/policy"
	"github.com/podlint/podlint/internal/rendered"
	"github.com/podlint/podlint/internal/report"
	"github.com/podlint/podlint/internal/ruledoc"
)

// loaderRules describes the problems the loader reports about the input itself. Other rule catalogs
// (schema validation, policies) add their entries in ruleCatalog.
var loaderRules = []report.RuleInfo{
	{ID: manifest.RuleParseError, Severity: lint.Error, PerFile: true, Title: "File is not valid YAML or JSON",
		Description: "The file, or one document of it, cannot be parsed as YAML or JSON the way kubectl parses it, so none of its objects can be checked.",
		Remediation: "Fix the syntax at the reported position; `kubectl apply --dry-run=client -f FILE` shows the same error."},
	{ID: manifest.RuleDuplicateKey, Severity: lint.Error, PerFile: true, Title: "Mapping key written twice",
		Description: "A key appears twice in one mapping. Kubernetes keeps only the last value, so the first one is silently lost.",
		Remediation: "Remove one of the two entries, or merge them into one."},
	{ID: manifest.RuleMissingKind, Severity: lint.Error, PerFile: true, Title: "Object has no kind",
		Description: "A document of a Kubernetes manifest is not a Kubernetes object: it is not a mapping, or it lacks `kind` or `apiVersion`, so neither Kubernetes nor podlint can tell what it is. Only files meant as manifests are judged: a file none of whose documents has `apiVersion` or `kind` (or `metadata` with `spec`), such as Helm values or a CI configuration, is not a manifest and is counted, not reported.",
		Remediation: "Add `apiVersion` and `kind`, or move the document into a file of its own if it is not a Kubernetes object."},
	{ID: manifest.RuleUnreadableFile, Severity: lint.Error, PerFile: true, Title: "File cannot be read as text",
		Description: "The file could not be read, is too large, is binary, or is not UTF-8 text.",
		Remediation: "Check the file's permissions and encoding, or leave it out of the linted paths."},
	{ID: rendered.RuleRenderError, Severity: lint.Error, PerFile: true, Title: "Chart or kustomization that does not render",
		Description: "A Helm chart or a kustomization could not be rendered, so the objects it would make are not checked: a template fails (`fail`, `required`, a nil value, a syntax error), a dependency is not vendored under `charts/`, a kustomization does not build or names a remote base. podlint never fetches anything from the network, so remote bases and chart repositories are reported rather than downloaded.",
		Remediation: "Fix the template or kustomization at the reported line (`helm template` or `kustomize build` shows the same error), vendor dependencies with `helm dependency build`, and keep bases in the repository. Values the chart needs come from `helm:` in `.podlint.yaml` or `--values` and `--set`."},
	{ID: lint.RuleInvalidSuppression, Severity: lint.Warning, PerFile: true, Title: "Suppression comment that does not work",
		Description: "A `# podlint:ignore` or `# podlint:ignore-file` comment has no reason, names a rule that does not exist, or suppresses nothing. A suppression without a reason cannot be reviewed, and a stale one hides the next real finding on that line.",
		Remediation: "Write the reason after ` -- `, fix the rule id (`podlint rules` lists them), or delete the comment."},
}

// goRules are the rules podlint implements in Go: the loader's and the schema check.
func goRules() []report.RuleInfo {
	return append(append([]report.RuleInfo(nil), loaderRules...), schemaRule)
}

// ruleCatalog is every rule podlint knows, by id: the loader's, the schema check, and the policy
// engine's (built-in and the user's). Reports describe rules from it, and suppressions and
// configuration are checked against it. Only podlint's own rules have a documentation page.
func ruleCatalog(policyRules []policy.Rule) map[string]report.RuleInfo {
	catalog := map[string]report.RuleInfo{}
	for _, r := range goRules() {
		r.HelpURI = ruledoc.URL(r.ID, ruledoc.Go)
		catalog[r.ID] = r
	}
	for _, r := range policyRules {
		info := report.RuleInfo{ID: r.ID, Title: r.Title, Description: r.Description, Remediation: r.Remediation, Severity: r.Severity}
		if r.Builtin {
			info.HelpURI = ruledoc.URL(r.ID, ruledoc.Rego)
		}
		catalog[r.ID] = info
	}
	return catalog
}
