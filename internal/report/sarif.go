package report

import (
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/podlint/podlint/internal/lint"
)

// srcRoot is the base id SARIF consumers (GitHub code scanning among them) resolve against the
// repository checkout.
const srcRoot = "%SRCROOT%"

// SARIF writes a SARIF 2.1.0 log with one run: a reporting descriptor for every rule that ran (the
// catalog plus any rule that reported without a catalog entry) and one result per finding.
func SARIF(w io.Writer, r *lint.Result, opts Options) error {
	run := sarif.NewRunWithInformationURI("podlint", "https://github.com/podlint/podlint")
	if opts.Version != "" {
		run.Tool.Driver.WithVersion(opts.Version)
	}
	// podlint counts columns in characters, not in the UTF-16 units SARIF assumes by default.
	run.WithColumnKind("unicodeCodePoints")

	for _, info := range rulesThatRan(r, opts.Rules) {
		addDescriptor(run, info)
	}
	for _, f := range r.Findings {
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			AddLocation(sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().
					WithArtifactLocation(artifactLocation(relPath(f.File, opts.BaseDir))).
					WithRegion(region(f))))
		props := sarif.NewPropertyBag()
		if obj := f.Object.String(); obj != "" {
			props.Add("object", obj)
		}
		if f.Path != "" {
			props.Add("path", f.Path)
		}
		if len(props.Properties) > 0 {
			res.WithProperties(props)
		}
	}
	log := sarif.NewReport()
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// rulesThatRan merges the catalog with the rule ids seen in findings, sorted by id so that output is
// stable.
func rulesThatRan(r *lint.Result, catalog map[string]RuleInfo) []RuleInfo {
	seen := map[string]RuleInfo{}
	for id, info := range catalog {
		if info.ID == "" {
			info.ID = id
		}
		seen[id] = info
	}
	for _, f := range r.Findings {
		if _, ok := seen[f.Rule]; !ok {
			seen[f.Rule] = RuleInfo{ID: f.Rule}
		}
	}
	out := make([]RuleInfo, 0, len(seen))
	for _, info := range seen {
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// addDescriptor describes one rule; a rule without catalog metadata gets what can be built from its id.
func addDescriptor(run *sarif.Run, info RuleInfo) {
	d := run.AddRule(info.ID).WithName(ruleName(info.ID))
	short := info.Title
	if short == "" {
		short = info.ID
	}
	d.WithShortDescription(sarif.NewMultiformatMessageString().WithText(short))
	if info.Description != "" {
		d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(info.Description))
	}
	if help := helpText(info); help != "" {
		d.WithHelp(sarif.NewMultiformatMessageString().WithText(help).WithMarkdown(helpMarkdown(info)))
	}
	if info.HelpURI != "" {
		d.WithHelpURI(info.HelpURI)
	}
	if info.Severity != 0 {
		d.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(info.Severity)))
	}
}

func helpText(info RuleInfo) string {
	return helpWith(info, "How to fix: ", func(u string) string { return "Documentation: " + u })
}

func helpMarkdown(info RuleInfo) string {
	return helpWith(info, "**How to fix:** ", func(u string) string { return "[Documentation](" + u + ")" })
}

// helpWith joins a rule's description, remediation and documentation link, in plain text or Markdown.
func helpWith(info RuleInfo, howTo string, link func(string) string) string {
	var parts []string
	if info.Description != "" {
		parts = append(parts, info.Description)
	}
	if info.Remediation != "" {
		parts = append(parts, howTo+info.Remediation)
	}
	if info.HelpURI != "" {
		parts = append(parts, link(info.HelpURI))
	}
	return strings.Join(parts, "\n\n")
}

// ruleName turns a kebab-case id into the CamelCase name SARIF viewers show (duplicate-key ->
// DuplicateKey).
func ruleName(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if r == '-' || r == '_' || r == '.' || r == '/' {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return sarif.LevelError
	case lint.Warning:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// artifactLocation points at a file relative to the repository root; an absolute path podlint could
// not make relative becomes a file URI.
func artifactLocation(p string) *sarif.ArtifactLocation {
	if isAbsSlash(p) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return sarif.NewArtifactLocation().WithURI((&url.URL{Scheme: "file", Path: p}).String())
	}
	return sarif.NewArtifactLocation().WithURI((&url.URL{Path: p}).String()).WithURIBaseID(srcRoot)
}

// region is the finding's exact span. SARIF's end column, like podlint's, is the column just past the
// last character.
func region(f lint.Finding) *sarif.Region {
	reg := sarif.NewRegion().WithStartLine(max(f.Line, 1))
	if f.Column > 0 {
		reg.WithStartColumn(f.Column)
	}
	if f.EndLine > 0 {
		reg.WithEndLine(f.EndLine)
		if f.EndColumn > 0 {
			reg.WithEndColumn(f.EndColumn)
		}
	}
	return reg
}
