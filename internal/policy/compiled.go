package policy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/version"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/rules"
)

// The built-in rules ship twice: as their sources, and compiled (rules/compiled.json and
// rules/compiled.ast, written by `go generate ./rules`). Parsing and compiling the sources is most
// of a one-file run's start-up. The compiled form is the compiler's own output, its modules in a
// binary form (astcodec.go), so loading it takes a decode and only the compiler stages that build
// lookup structures (module and rule trees, indices), none of the stages that rewrite, reorder or
// check the rules. The sources stay the truth: the compiled form is used only when it was made
// from exactly these sources by exactly this OPA version, and a test fails when it is stale.

// compiledRules is the content of rules/compiled.json; the modules are in rules/compiled.ast.
type compiledRules struct {
	// OPA is the version of the OPA library that compiled the rules.
	OPA string `json:"opa"`
	// Sources is the SHA-256 of the rule sources it was compiled from (sourcesDigest).
	Sources string `json:"sources"`
	// Catalog and Outputs are what buildCatalog derives from the sources' METADATA, which the
	// compiled modules no longer carry.
	Catalog []Rule           `json:"catalog"`
	Outputs []compiledOutput `json:"outputs"`
	// AST is the SHA-256 of rules/compiled.ast, which must come from the same compile.
	AST string `json:"ast"`
}

// compiledOutput is an output (one finding rule of the query) as compiled.json keeps it.
type compiledOutput struct {
	Binding  string        `json:"binding"`
	Ref      string        `json:"ref"`
	ID       string        `json:"id"`
	Severity lint.Severity `json:"severity"`
	// Run marks a rule of the whole run (METADATA custom.scope: run).
	Run bool `json:"run,omitempty"`
}

// evalStages are the compiler stages that evaluation needs from modules the compiler has already
// rewritten: the module and rule trees and the indices. Every other stage rewrites or checks, and on
// compiled modules would redo finished work; the dependency graph and the local-variable generator
// serve only those stages.
var evalStages = map[ast.StageID]bool{
	ast.StageSetModuleTree:             true,
	ast.StageSetRuleTree:               true,
	ast.StageBuildRuleIndices:          true,
	ast.StageBuildComprehensionIndices: true,
}

// sourcesDigest identifies the built-in rule sources: their names and texts.
func sourcesDigest(srcs []source) string {
	h := sha256.New()
	for _, s := range srcs {
		fmt.Fprintf(h, "%d:%s%d:%s", len(s.name), s.name, len(s.text), s.text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CompileBuiltin compiles the built-in rules and returns the contents of rules/compiled.json and
// rules/compiled.ast.
func CompileBuiltin() (index, modules []byte, err error) {
	srcs, err := builtinSources(false)
	if err != nil {
		return nil, nil, err
	}
	compiler, parsed, err := compile(srcs)
	if err != nil {
		return nil, nil, err
	}
	outs, cat, err := buildCatalog(packages(parsed, builtinNames(srcs)))
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(compiler.Modules))
	for name := range compiler.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	if modules, err = encodeModules(names, compiler.Modules); err != nil {
		return nil, nil, fmt.Errorf("encode compiled rules: %w", err)
	}
	cr := compiledRules{OPA: version.Version, Sources: sourcesDigest(srcs), Catalog: cat, AST: digest(modules)}
	for _, o := range outs {
		cr.Outputs = append(cr.Outputs, compiledOutput{Binding: o.binding, Ref: o.ref.String(), ID: o.id, Severity: o.severity, Run: o.run})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cr); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), modules, nil
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// CompiledUpToDate says whether rules/compiled.json and rules/compiled.ast are what CompileBuiltin
// makes now.
func CompiledUpToDate() (bool, error) {
	index, modules, err := CompileBuiltin()
	if err != nil {
		return false, err
	}
	return bytes.Equal(index, rules.CompiledIndex) && bytes.Equal(modules, rules.CompiledModules), nil
}

// loadCompiled returns the compiler, outputs and catalog of the compiled built-in rules, or ok
// false when rules/compiled.json does not belong to srcs and this OPA version (the caller then
// compiles the sources).
func loadCompiled(srcs []source) (c *ast.Compiler, outs []output, cat []Rule, ok bool, err error) {
	cr, ok := compiledIndex(srcs)
	if !ok {
		return nil, nil, nil, false, nil
	}
	modules, err := decodeModules(rules.CompiledModules)
	if err != nil {
		return nil, nil, nil, false, err
	}
	var skip []ast.StageID
	for _, s := range ast.AllStages() {
		if !evalStages[s] {
			skip = append(skip, s)
		}
	}
	c = newCompiler(false).WithSkipStages(skip...)
	if c.Compile(modules); c.Failed() {
		return nil, nil, nil, false, fmt.Errorf("compiled built-in rules: %w", c.Errors)
	}
	for _, o := range cr.Outputs {
		ref, err := ast.ParseRef(o.Ref)
		if err != nil {
			return nil, nil, nil, false, fmt.Errorf("compiled built-in rules: %w", err)
		}
		outs = append(outs, output{binding: o.Binding, ref: ref, id: o.ID, severity: o.Severity, builtin: true, run: o.Run})
	}
	return c, outs, cr.Catalog, true, nil
}

// compiledIndex reads rules/compiled.json; ok is false when it does not belong to srcs, this OPA
// version and rules/compiled.ast.
func compiledIndex(srcs []source) (cr compiledRules, ok bool) {
	if useSources || len(rules.CompiledIndex) == 0 {
		return cr, false
	}
	if err := json.Unmarshal(rules.CompiledIndex, &cr); err != nil {
		return cr, false
	}
	ok = cr.OPA == version.Version && cr.Sources == sourcesDigest(srcs) && cr.AST == digest(rules.CompiledModules)
	return cr, ok
}

// useSources makes New compile the built-in rules from their sources; tests set it to compare the
// two ways of loading them.
var useSources = false
