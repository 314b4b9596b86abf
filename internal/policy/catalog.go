package policy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/lint"
)

// Rule is one entry of the catalog, read from METADATA: what `podlint rules` prints and what the
// per-rule docs are generated from.
type Rule struct {
	ID               string         `json:"id"`
	Severity         lint.Severity  `json:"severity"`
	Title            string         `json:"title"`
	Description      string         `json:"description,omitempty"`
	Remediation      string         `json:"remediation,omitempty"`
	RelatedResources []Resource     `json:"related_resources,omitempty"`
	Params           map[string]any `json:"params,omitempty"`
	// Package is the Rego package, without the data. prefix.
	Package string `json:"package"`
	// File is the Rego file that holds the package's METADATA (or its first file).
	File string `json:"file"`
	// Builtin is true for the rules embedded in podlint.
	Builtin bool `json:"builtin"`
	// Scope is "run" for a rule evaluated once over the run's index (METADATA custom.scope: run),
	// empty for a rule evaluated on each document.
	Scope string `json:"scope,omitempty"`
}

// Resource is a link from related_resources.
type Resource struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// ScopeRun is the custom.scope of a rule evaluated once over the whole run: its input is the run's
// index of objects (internal/refs), not one document.
const ScopeRun = "run"

// findingRule matches the rule names that produce findings, as conftest names them: deny, violation
// and warn, alone or with a suffix (deny_latest_tag).
var findingRule = regexp.MustCompile(`^(deny|violation|warn)(_[A-Za-z0-9_]+)?$`)

// severityOfName is the severity a finding rule's name implies.
func severityOfName(name string) lint.Severity {
	if strings.HasPrefix(name, "warn") {
		return lint.Warning
	}
	return lint.Error
}

// pkgInfo is what the loader knows about one Rego package.
type pkgInfo struct {
	path    ast.Ref
	name    string
	file    string
	meta    *ast.Annotations
	builtin bool
	// rules maps each finding rule's name to its own METADATA (nil when it has none).
	rules map[string]*ast.Annotations
	// complete maps a finding rule written as a complete rule (deny := "x", deny if ...) to where,
	// since podlint reads each finding rule as a set.
	complete map[string]*ast.Location
}

// output is one finding rule of one package: one binding of the prepared query.
type output struct {
	binding  string
	ref      ast.Ref
	id       string
	severity lint.Severity
	// builtin outputs are pod rules: they can only report on documents that have a pod.
	builtin bool
	// run outputs are evaluated once, over the run's index (custom.scope: run), not per document.
	run bool
}

// packages groups parsed modules by package, with their METADATA and finding rules.
func packages(modules map[string]*ast.Module, builtin map[string]bool) []*pkgInfo {
	byName := map[string]*pkgInfo{}
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, file := range names {
		m := modules[file]
		if isTestFile(file) {
			continue
		}
		key := m.Package.Path.String()
		p := byName[key]
		if p == nil {
			p = &pkgInfo{path: m.Package.Path, name: strings.TrimPrefix(key, "data."), file: file,
				builtin: builtin[file], rules: map[string]*ast.Annotations{}, complete: map[string]*ast.Location{}}
			byName[key] = p
		}
		for _, a := range m.Annotations {
			if a.Scope == "package" && p.meta == nil {
				p.meta, p.file = a, file
			}
		}
		for _, r := range m.Rules {
			ref := r.Head.Ref()
			if len(ref) != 1 {
				continue
			}
			v, ok := ref[0].Value.(ast.Var)
			if !ok || !findingRule.MatchString(string(v)) {
				continue
			}
			name := string(v)
			if r.Head.RuleKind() != ast.MultiValue && p.complete[name] == nil {
				p.complete[name] = r.Location
			}
			if _, seen := p.rules[name]; !seen {
				p.rules[name] = nil
			}
			for _, a := range r.Annotations {
				if (a.Scope == "rule" || a.Scope == "document") && p.rules[name] == nil {
					p.rules[name] = a
				}
			}
		}
	}
	out := make([]*pkgInfo, 0, len(byName))
	for _, p := range byName {
		out = append(out, p)
	}
	// Built-in packages first, so that they keep their ids when a user policy claims one too.
	sort.Slice(out, func(i, j int) bool {
		if out[i].builtin != out[j].builtin {
			return out[i].builtin
		}
		return out[i].name < out[j].name
	})
	return out
}

func customString(a *ast.Annotations, key string) string {
	if a == nil || a.Custom == nil {
		return ""
	}
	s, _ := a.Custom[key].(string)
	return s
}

// metaSeverity reads custom.severity; ok is false when it is absent.
func metaSeverity(a *ast.Annotations) (lint.Severity, bool, error) {
	s := customString(a, "severity")
	if s == "" {
		return 0, false, nil
	}
	sev, err := lint.ParseSeverity(s)
	return sev, err == nil, err
}

// buildCatalog derives the query outputs and the catalog from the packages. Ids are unique: two
// packages claiming one id is an error, since findings could no longer be told apart.
func buildCatalog(pkgs []*pkgInfo) ([]output, []Rule, error) {
	return buildCatalogOver(nil, pkgs)
}

// buildCatalogOver is buildCatalog for packages added to the rules of an existing catalog (the
// compiled built-in rules): the outputs are the packages', the catalog holds both, and an id the
// packages take from the existing rules is the same error.
func buildCatalogOver(existing []Rule, pkgs []*pkgInfo) ([]output, []Rule, error) {
	var outs []output
	cat := append([]Rule(nil), existing...)
	index := map[string]int{}
	for i, r := range cat {
		index[r.ID] = i
	}
	var errs ast.Errors
	for _, p := range pkgs {
		ruleNames := make([]string, 0, len(p.rules))
		for name := range p.rules {
			ruleNames = append(ruleNames, name)
		}
		sort.Strings(ruleNames)
		for _, name := range ruleNames {
			if loc := p.complete[name]; loc != nil {
				errs = append(errs, &ast.Error{Code: "podlint_rule_error", Location: loc,
					Message: fmt.Sprintf("%s is a complete rule, but podlint reads %s as a set of findings: write `%s contains result if { ... }`", name, name, name)})
				continue
			}
			meta := p.rules[name]
			if customString(meta, "id") == "" && customString(meta, "severity") == "" {
				meta = p.meta // the rule's own METADATA matters only when it names an id or severity
			}
			id := customString(meta, "id")
			if id == "" {
				id = p.name + "/" + name
			}
			sev, ok, err := metaSeverity(meta)
			if err != nil {
				errs = append(errs, &ast.Error{Code: "podlint_metadata_error", Location: meta.Location,
					Message: fmt.Sprintf("custom.severity: %v", err)})
				continue
			}
			if !ok {
				sev = severityOfName(name)
			}
			scope := customString(meta, "scope")
			if scope == "" && meta != p.meta {
				scope = customString(p.meta, "scope")
			}
			if scope != "" && scope != ScopeRun {
				loc := &ast.Location{File: p.file}
				if meta != nil {
					loc = meta.Location
				}
				errs = append(errs, &ast.Error{Code: "podlint_metadata_error", Location: loc,
					Message: fmt.Sprintf("custom.scope: %q is not %q (leave it out for a rule evaluated on each document)", scope, ScopeRun)})
				continue
			}
			outs = append(outs, output{binding: fmt.Sprintf("r%d", len(outs)),
				ref: p.path.Copy().Append(ast.StringTerm(name)), id: id, severity: sev, builtin: p.builtin, run: scope == ScopeRun})

			if i, seen := index[id]; seen {
				if cat[i].Package != p.name {
					loc := &ast.Location{File: p.file}
					if meta != nil {
						loc = meta.Location
					}
					errs = append(errs, &ast.Error{Code: "podlint_metadata_error", Location: loc,
						Message: fmt.Sprintf("rule id %q is already used by package %s (%s)", id, cat[i].Package, cat[i].File)})
				} else if sev > cat[i].Severity {
					cat[i].Severity = sev
				}
				continue
			}
			index[id] = len(cat)
			r := ruleOf(id, sev, p, meta)
			r.Scope = scope
			cat = append(cat, r)
		}
	}
	if len(errs) > 0 {
		return nil, nil, &Error{Errors: errs}
	}
	sort.Slice(cat, func(i, j int) bool { return cat[i].ID < cat[j].ID })
	return outs, cat, nil
}

func ruleOf(id string, sev lint.Severity, p *pkgInfo, meta *ast.Annotations) Rule {
	r := Rule{ID: id, Severity: sev, Package: p.name, File: p.file, Builtin: p.builtin}
	if meta == nil {
		return r
	}
	r.Title = meta.Title
	r.Description = strings.TrimSpace(meta.Description)
	r.Remediation = strings.TrimSpace(customString(meta, "remediation"))
	for _, rr := range meta.RelatedResources {
		r.RelatedResources = append(r.RelatedResources, Resource{URL: rr.Ref.String(), Description: rr.Description})
	}
	if params, ok := meta.Custom["params"].(map[string]any); ok {
		r.Params = params
	}
	return r
}

// Catalog reads the rules' METADATA from the built-in rules and dirs without compiling them: all
// that `podlint rules` needs (for the built-in rules alone, the catalog rules/compiled.json keeps).
// Files that do not parse are an *Error.
func Catalog(dirs []string) ([]Rule, error) {
	srcs, err := builtinSources(false)
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		if cr, ok := compiledIndex(srcs); ok {
			return cr.Catalog, nil
		}
	}
	for _, dir := range dirs {
		s, err := dirSources(dir, false)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, s...)
	}
	modules, err := parseSources(srcs)
	if err != nil {
		return nil, err
	}
	_, cat, err := buildCatalog(packages(modules, builtinNames(srcs)))
	return cat, err
}
