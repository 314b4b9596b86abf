package report

import (
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/podlint/podlint/internal/lint"
)

// srcRoot is the base id SARIF consumers (GitHub code scanning among them) resolve against the
// repository checkout; the run describes it in originalUriBaseIds.
const srcRoot = "%SRCROOT%"

// sarifSchemaURI is the published SARIF 2.1.0 schema.
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names podlint's fingerprint among a result's partialFingerprints.
const fingerprintKey = "podlintFingerprint/v1"

// The SARIF 2.1.0 objects podlint writes, with only the properties it fills in. Every optional
// property is omitted when it has nothing to say: SARIF readers treat an absent property as its
// default, and placeholders (-1 indexes, empty arrays) are noise to people and tools.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                        `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
		// Results is always present: an empty list says the run found nothing, an absent one that it
		// did not run.
		Results    []sarifResult `json:"results"`
		ColumnKind string        `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string            `json:"name"`
		Version        string            `json:"version,omitempty"`
		InformationURI string            `json:"informationUri"`
		Rules          []sarifDescriptor `json:"rules,omitempty"`
	}
	sarifDescriptor struct {
		ID                   string               `json:"id"`
		Name                 string               `json:"name"`
		ShortDescription     sarifMessage         `json:"shortDescription"`
		FullDescription      *sarifMessage        `json:"fullDescription,omitempty"`
		Help                 *sarifMessage        `json:"help,omitempty"`
		HelpURI              string               `json:"helpUri,omitempty"`
		DefaultConfiguration *sarifConfiguration  `json:"defaultConfiguration,omitempty"`
		Properties           *sarifRuleProperties `json:"properties,omitempty"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	// sarifRuleProperties are the rule properties GitHub code scanning reads: tags to filter by, how
	// often the rule is right (precision), and how bad a finding is (problem.severity).
	sarifRuleProperties struct {
		Tags            []string `json:"tags,omitempty"`
		Precision       string   `json:"precision,omitempty"`
		ProblemSeverity string   `json:"problem.severity,omitempty"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Fixes               []sarifFix        `json:"fixes,omitempty"`
		Properties          *sarifResultProps `json:"properties,omitempty"`
	}
	sarifResultProps struct {
		Object string `json:"object,omitempty"`
		Path   string `json:"path,omitempty"`
	}
	sarifLocation struct {
		ID               *int                  `json:"id,omitempty"`
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          *sarifMessage         `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           sarifRegion           `json:"region"`
	}
	sarifArtifactLocation struct {
		URI         string        `json:"uri,omitempty"`
		URIBaseID   string        `json:"uriBaseId,omitempty"`
		Description *sarifMessage `json:"description,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifFix struct {
		Description     sarifMessage          `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Replacements     []sarifReplacement    `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion   `json:"deletedRegion"`
		InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
	}
)

// SARIF writes a SARIF 2.1.0 log with one run: a reporting descriptor for every rule that ran (the
// catalog plus any rule that reported without a catalog entry) and one result per finding.
func SARIF(w io.Writer, r *lint.Result, opts Options) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "podlint", Version: opts.Version,
			InformationURI: "https://github.com/podlint/podlint"}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{srcRoot: srcRootLocation(opts.BaseDir)},
		Results:            []sarifResult{},
		// podlint counts columns in characters, not in the UTF-16 units SARIF assumes by default.
		ColumnKind: "unicodeCodePoints",
	}
	index := map[string]int{}
	for _, info := range rulesThatRan(r, opts.Rules) {
		index[info.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, descriptor(info))
	}
	fingerprints := lint.Fingerprints(r.Findings, opts.BaseDir)
	for i, f := range r.Findings {
		uri := artifactLocation(relPath(f.File, opts.BaseDir))
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Severity),
			Message:             sarifMessage{Text: f.Message},
			Locations:           []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: uri, Region: region(f.Line, f.Column, f.EndLine, f.EndColumn)}}},
			PartialFingerprints: map[string]string{fingerprintKey: fingerprints[i]},
		}
		for j, rel := range f.Related {
			id := j + 1
			loc := sarifLocation{ID: &id, PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: artifactLocation(relPath(rel.File, opts.BaseDir)),
				Region:           region(rel.Line, rel.Column, rel.EndLine, rel.EndColumn)}}
			if rel.Message != "" {
				loc.Message = &sarifMessage{Text: rel.Message}
			}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		for _, fix := range f.Fixes {
			if len(fix.Edits) == 0 {
				continue
			}
			change := sarifArtifactChange{ArtifactLocation: uri}
			for _, e := range fix.Edits {
				rep := sarifReplacement{DeletedRegion: region(e.Line, e.Column, e.EndLine, e.EndColumn)}
				if e.Text != "" {
					rep.InsertedContent = &sarifMessage{Text: e.Text}
				}
				change.Replacements = append(change.Replacements, rep)
			}
			res.Fixes = append(res.Fixes, sarifFix{Description: sarifMessage{Text: fix.Description},
				ArtifactChanges: []sarifArtifactChange{change}})
		}
		if obj := f.Object.String(); obj != "" || f.Path != "" {
			res.Properties = &sarifResultProps{Object: obj, Path: f.Path}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

// srcRootLocation describes %SRCROOT%: the working directory podlint ran in (the repository root, for
// GitHub), as a file URI when it is known.
func srcRootLocation(base string) sarifArtifactLocation {
	loc := sarifArtifactLocation{Description: &sarifMessage{Text: "The folder podlint ran in: the repository root, which file paths are relative to."}}
	if base == "" {
		return loc
	}
	p := relPath(base, "")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	loc.URI = (&url.URL{Scheme: "file", Path: p}).String()
	return loc
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

// descriptor describes one rule; a rule without catalog metadata gets what can be built from its id.
func descriptor(info RuleInfo) sarifDescriptor {
	d := sarifDescriptor{ID: info.ID, Name: ruleName(info.ID), ShortDescription: sarifMessage{Text: info.Title}, HelpURI: info.HelpURI}
	if d.ShortDescription.Text == "" {
		d.ShortDescription.Text = info.ID
	}
	if info.Description != "" {
		d.FullDescription = &sarifMessage{Text: info.Description}
	}
	if help := helpText(info); help != "" {
		d.Help = &sarifMessage{Text: help, Markdown: helpMarkdown(info)}
	}
	if info.Severity != 0 {
		d.DefaultConfiguration = &sarifConfiguration{Level: sarifLevel(info.Severity)}
	}
	d.Properties = ruleProperties(info)
	return d
}

// ruleProperties tags every rule as a Kubernetes one, and says how bad a finding is
// (problem.severity: error, warning or recommendation) when the rule has a default severity. podlint's
// own rules (the ones with a documentation page) claim very-high precision: a false positive of theirs
// is a bug to be fixed; a user's policy makes no such claim.
func ruleProperties(info RuleInfo) *sarifRuleProperties {
	p := &sarifRuleProperties{Tags: []string{"kubernetes"}}
	if info.PerFile {
		p.Tags = append(p.Tags, "input")
	}
	if info.HelpURI != "" {
		p.Precision = "very-high"
	}
	switch info.Severity {
	case lint.Error:
		p.ProblemSeverity = "error"
	case lint.Warning:
		p.ProblemSeverity = "warning"
	case lint.Info:
		p.ProblemSeverity = "recommendation"
	}
	return p
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
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

// artifactLocation points at a file relative to the repository root; an absolute path podlint could
// not make relative becomes a file URI.
func artifactLocation(p string) sarifArtifactLocation {
	if isAbsSlash(p) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	return sarifArtifactLocation{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}
}

// region is an exact span. SARIF's end column, like podlint's, is the column just past the last
// character; an end that is not known is left out.
func region(line, col, endLine, endCol int) sarifRegion {
	reg := sarifRegion{StartLine: max(line, 1)}
	if col > 0 {
		reg.StartColumn = col
	}
	if endLine > 0 {
		reg.EndLine = endLine
		if endCol > 0 {
			reg.EndColumn = endCol
		}
	}
	return reg
}
