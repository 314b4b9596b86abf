// Package policy runs Rego rules over manifests through the OPA Go library: the built-in rules
// embedded from rules/ (compiled ahead of time), and the user's own policy folders. It prepares a
// query that collects every finding rule (one for the built-in rules, one for the user's), and
// evaluates it for each document.
package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/refs"
)

// Options configure an Engine.
type Options struct {
	// Dirs are the user's policy folders (or single .rego files), loaded beside the built-in rules.
	Dirs []string
	// Params set rule parameters by rule id; each given key replaces the default from the rule's
	// METADATA (custom.params). Rules read them as data.podlint.params[id].
	Params map[string]map[string]any
	// Off says which rules are turned off: their findings would be dropped, so they are not
	// evaluated at all. They stay in the catalog.
	Off func(id string) bool
	// PodKinds says where each kind keeps its pod, for podlint.pods; nil is the built-in table. It
	// must be the table the documents were loaded with (their Pods), which Check relies on.
	PodKinds *manifest.PodKinds
	// TimeLimit bounds the evaluation of every rule on one document; 0 is DefaultTimeLimit.
	TimeLimit time.Duration
}

// Engine evaluates the rules. It is safe for use from several goroutines: the compiled policies
// and the prepared queries are shared, read-only.
type Engine struct {
	// parts are evaluated one after the other for each document: the built-in rules, and the
	// user's policies when they are compiled on their own (see New).
	parts []part
	// runParts are the queries of the rules of the whole run (custom.scope: run), evaluated once
	// over the run's index (CheckRun).
	runParts []part
	catalog  []Rule
	limit    time.Duration
	// cancels maps a context's Done channel to the topdown.Cancel that fires with it (see cancelFor).
	cancels sync.Map
}

// part is one compiled set of policies and the query that collects their findings.
type part struct {
	query   rego.PreparedEvalQuery
	outputs []output
	// podsOnly is true when every rule of the part is built in: they are all about pods, so a
	// document without one need not be evaluated at all.
	podsOnly bool
}

// New loads, compiles and prepares the built-in rules and the folders in opts. A policy that does
// not parse or compile is an *Error naming each file and line.
//
// The built-in rules are loaded compiled (see compiled.go). The user's policies are compiled with
// the rule library, on their own, and evaluated by a query of their own, unless they reach into
// podlint's own packages (a package named podlint..., a reference to data.podlint.rules): then
// everything is compiled from source together, as one set.
func New(ctx context.Context, opts Options) (*Engine, error) {
	srcs, err := builtinSources(false)
	if err != nil {
		return nil, err
	}
	var user []source
	for _, dir := range opts.Dirs {
		s, err := dirSources(dir, false)
		if err != nil {
			return nil, err
		}
		user = append(user, s...)
	}
	var (
		compiler *ast.Compiler
		outs     []output
		cat      []Rule
		ok       bool
	)
	if !reachesIntoPodlint(user) { // otherwise the compiled rules would be loaded for nothing
		if compiler, outs, cat, ok, err = loadCompiled(srcs); err != nil {
			return nil, err
		}
	}
	if ok {
		sets := []compiledSet{{compiler, outs}}
		if len(user) > 0 {
			lib := libSources(srcs)
			uc, modules, err := compile(append(lib, user...))
			if err != nil {
				return nil, err
			}
			if !declaresPodlintPackage(modules, lib) {
				uouts, merged, err := buildCatalogOver(cat, packages(modules, builtinNames(lib)))
				if err != nil {
					return nil, err
				}
				return newEngine(ctx, append(sets, compiledSet{uc, uouts}), merged, opts)
			}
		} else {
			return newEngine(ctx, sets, cat, opts)
		}
	}
	// Everything from source, in one compiler.
	srcs = append(srcs, user...)
	compiler, modules, err := compile(srcs)
	if err != nil {
		return nil, err
	}
	if outs, cat, err = buildCatalogOver(nil, packages(modules, builtinNames(srcs))); err != nil {
		return nil, err
	}
	return newEngine(ctx, []compiledSet{{compiler, outs}}, cat, opts)
}

// compiledSet is a compiler and the finding rules it holds.
type compiledSet struct {
	compiler *ast.Compiler
	outputs  []output
}

// newEngine prepares one query per compiled set, for the rules that are not off, over one store
// holding the rule parameters.
func newEngine(ctx context.Context, sets []compiledSet, cat []Rule, opts Options) (*Engine, error) {
	data, err := paramsData(cat, opts.Params)
	if err != nil {
		return nil, err
	}
	store := inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
	e := &Engine{catalog: cat, limit: opts.TimeLimit}
	if e.limit <= 0 {
		e.limit = DefaultTimeLimit
	}
	for _, s := range sets {
		var docOuts, runOuts []output
		for _, o := range s.outputs {
			if opts.Off != nil && opts.Off(o.id) {
				continue
			}
			if o.run {
				runOuts = append(runOuts, o)
			} else {
				docOuts = append(docOuts, o)
			}
		}
		if len(docOuts) > 0 || len(s.outputs) == 0 {
			// A runtime error in a user's policy (1/0, a builtin given the wrong type) is an error,
			// not a rule that silently finds nothing.
			strict := !allBuiltinOutputs(docOuts)
			q, err := prepare(ctx, s.compiler, store, docOuts, opts.PodKinds, strict)
			if err != nil {
				return nil, err
			}
			e.parts = append(e.parts, part{query: q, outputs: docOuts, podsOnly: allBuiltinOutputs(docOuts)})
		}
		if len(runOuts) > 0 {
			q, err := prepare(ctx, s.compiler, store, runOuts, opts.PodKinds, !allBuiltinOutputs(runOuts))
			if err != nil {
				return nil, err
			}
			e.runParts = append(e.runParts, part{query: q, outputs: runOuts})
		}
	}
	return e, nil
}

// reachesIntoPodlint says whether a user's policy mentions the built-in rules' documents, which
// exist only where the built-in rules are compiled with it.
func reachesIntoPodlint(user []source) bool {
	for _, s := range user {
		if strings.Contains(s.text, "podlint.rules") {
			return true
		}
	}
	return false
}

// declaresPodlintPackage says whether a user's module adds to podlint's own packages.
func declaresPodlintPackage(modules map[string]*ast.Module, lib []source) bool {
	ours := builtinNames(lib)
	podlint := ast.MustParseRef("data.podlint")
	for name, m := range modules {
		if !ours[name] && m.Package.Path.HasPrefix(podlint) {
			return true
		}
	}
	return false
}

// partialSet says whether every rule at ref is a partial set rule (deny contains x if ...).
func partialSet(compiler *ast.Compiler, ref ast.Ref) bool {
	rules := compiler.GetRulesExact(ref)
	for _, r := range rules {
		if r.Head.RuleKind() != ast.MultiValue {
			return false
		}
	}
	return len(rules) > 0
}

func allBuiltinOutputs(outs []output) bool {
	for _, o := range outs {
		if !o.builtin {
			return false
		}
	}
	return true
}

// hasPod says whether podlint.pods finds a pod in the document: a pod-bearing kind whose pod spec
// is an object. It is the Go side of the built-in rules' common precondition.
func hasPod(doc *manifest.Document) bool {
	for _, p := range doc.Pods {
		if spec, ok := manifest.Get(doc.Value, p.Spec); ok {
			if _, isObject := spec.(map[string]any); isObject {
				return true
			}
		}
	}
	return false
}

func builtinNames(srcs []source) map[string]bool {
	m := map[string]bool{}
	for _, s := range srcs {
		if s.builtin {
			m[s.name] = true
		}
	}
	return m
}

// prepare builds the one query: for each finding rule an array of its results, always defined
// (empty when the rule is undefined for this input), so one evaluation returns everything. The
// built-in rules are all about pods; beside user policies they are skipped, with one test in the
// query, for documents without one. When every rule is built in, Check makes that test in Go
// before evaluating at all (hasPod), and the query has none; their partial sets then need no
// comprehension either.
func prepare(ctx context.Context, compiler *ast.Compiler, store storage.Store, outs []output, kinds *manifest.PodKinds, strict bool) (rego.PreparedEvalQuery, error) {
	podsOnly := allBuiltinOutputs(outs)
	run := len(outs) > 0 && outs[0].run // a part holds rules of one scope
	var q strings.Builder
	for i, o := range outs {
		if i > 0 {
			q.WriteString("; ")
		}
		if podsOnly && partialSet(compiler, o.ref) {
			// A partial set is always defined, if only as the empty set: the query can take it as
			// it is, without a comprehension to evaluate.
			fmt.Fprintf(&q, "%s := %s", o.binding, o.ref)
			continue
		}
		guard := ""
		if o.builtin && !podsOnly && !run {
			guard = "data.podlint.lib.pods[_]; "
		}
		fmt.Fprintf(&q, "%s := [f | %ssome f in %s]", o.binding, guard, o.ref)
	}
	if len(outs) == 0 {
		q.WriteString("true")
	}
	body, err := ast.ParseBodyWithOpts(q.String(), ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		return rego.PreparedEvalQuery{}, fmt.Errorf("build policy query: %w", err)
	}
	opts := []func(*rego.Rego){
		rego.ParsedQuery(body),
		rego.Compiler(compiler),
		rego.Store(store),
		rego.Capabilities(capabilities()),
		rego.StrictBuiltinErrors(strict),
	}
	opts = append(opts, regoBuiltins(kinds)...)
	pq, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		return pq, fmt.Errorf("prepare policy query: %w", err)
	}
	return pq, nil
}

// paramsData is the data document: data.podlint.params[id] holds each rule's parameters, defaults
// from METADATA overlaid with what the caller sets.
func paramsData(cat []Rule, set map[string]map[string]any) (map[string]any, error) {
	params := map[string]any{}
	known := map[string]bool{}
	for _, r := range cat {
		known[r.ID] = true
		if len(r.Params) > 0 {
			params[r.ID] = maps.Clone(r.Params)
		}
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !known[id] {
			return nil, fmt.Errorf("parameters for unknown rule %q", id)
		}
		p, _ := params[id].(map[string]any)
		if p == nil {
			p = map[string]any{}
		}
		maps.Copy(p, set[id])
		params[id] = p
	}
	return map[string]any{"podlint": map[string]any{"params": params}}, nil
}

// Rules returns the catalog, sorted by id.
func (e *Engine) Rules() []Rule { return e.catalog }

// Check evaluates every rule on one document. It implements lint.Checker.
func (e *Engine) Check(ctx context.Context, doc *manifest.Document) ([]lint.Issue, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pod := hasPod(doc)
	var input *ast.Term
	var issues []lint.Issue
	for _, p := range e.parts {
		if p.podsOnly && !pod {
			continue
		}
		if input == nil {
			t, err := toTerm(doc.Value)
			if err != nil {
				return nil, fmt.Errorf("policy input: %w", err)
			}
			input = t
		}
		b := &bound{outer: e.cancelFor(ctx)}
		timer := time.AfterFunc(e.limit, b.Cancel)
		rs, err := p.query.Eval(ctx, rego.EvalParsedInput(input.Value), rego.EvalExternalCancel(b))
		timer.Stop()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if b.expired.Load() {
				return nil, e.timeout(p, b)
			}
			return nil, fmt.Errorf("evaluate policies: %w", err)
		}
		if len(rs) == 0 {
			continue
		}
		for _, o := range p.outputs {
			results, _ := rs[0].Bindings[o.binding].([]any)
			for _, r := range results {
				issues = append(issues, issueOf(o, r))
			}
		}
	}
	return issues, nil
}

// timeout is the error of a document whose evaluation ran out of time.
func (e *Engine) timeout(p part, b *bound) error {
	b.mu.Lock()
	where := b.where
	b.mu.Unlock()
	ids := make([]string, 0, len(p.outputs))
	for _, o := range p.outputs {
		if !o.builtin {
			ids = append(ids, o.id)
		}
	}
	if len(ids) > 5 {
		ids = append(ids[:5], "...")
	}
	msg := fmt.Sprintf("evaluate policies: stopped after %s, podlint's limit per document (rules %s)", e.limit, strings.Join(ids, ", "))
	if where != "" {
		msg += "; last call of a limited builtin at " + where
	}
	return errors.New(msg)
}

// cancelFor returns a Cancel that fires when ctx is done, shared by every evaluation under ctx.
// Left to itself, OPA starts a goroutine per evaluation to watch the context; with thousands of
// small documents that costs more than some of the rules.
func (e *Engine) cancelFor(ctx context.Context) topdown.Cancel {
	done := ctx.Done()
	if done == nil {
		return topdown.NewCancel() // a context that is never done: nothing to watch
	}
	if c, ok := e.cancels.Load(done); ok {
		return c.(topdown.Cancel)
	}
	c := topdown.NewCancel()
	if prev, loaded := e.cancels.LoadOrStore(done, c); loaded {
		return prev.(topdown.Cancel)
	}
	go func() {
		<-done
		c.Cancel()
		e.cancels.Delete(done)
	}()
	return c
}

// issueOf reads one result of a finding rule: a string message, or an object with msg and
// optionally path (a list of keys and indexes, or a JSON pointer), severity (error, warning or
// info, overriding the rule's), and at: "key" to point at the key of the map entry at path rather
// than its value (for a key that is itself the mistake), or line: N to point at line N (from 1) of
// the multi-line string at path (the line of a script that holds the offending command), and related:
// other places of the document the finding involves (see relatedOf).
func issueOf(o output, r any) lint.Issue {
	is := lint.Issue{Rule: o.id, Severity: o.severity}
	obj, ok := r.(map[string]any)
	if !ok {
		is.Message = messageOf(r)
		return is
	}
	if msg, ok := obj["msg"].(string); ok {
		is.Message = msg
	} else {
		is.Message = messageOf(r)
	}
	is.Path = pathOf(obj["path"])
	if s, ok := obj["severity"]; ok {
		str, _ := s.(string)
		if sev, err := lint.ParseSeverity(str); err == nil {
			is.Severity = sev
		} else {
			// reported, not turned silently into the rule's severity
			is.Message += fmt.Sprintf(" (the policy gave severity %q, which is not error, warning or info)", messageOf(s))
		}
	}
	is.AtKey = obj["at"] == "key"
	is.Related = relatedOf(obj["related"])
	if n, ok := obj["line"].(json.Number); ok {
		if v, err := n.Int64(); err == nil && v > 0 {
			is.Line = int(v)
		}
	}
	return is
}

// relatedOf reads a result's related places: a list of objects with path (as for the finding) and
// msg, saying what is at that place. Entries without a path are left out.
func relatedOf(v any) []lint.RelatedPath {
	list, _ := v.([]any)
	var out []lint.RelatedPath
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		p := pathOf(m["path"])
		if len(p) == 0 {
			continue
		}
		msg, _ := m["msg"].(string)
		out = append(out, lint.RelatedPath{Path: p, Message: msg})
	}
	return out
}

func messageOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func pathOf(v any) manifest.Path {
	switch p := v.(type) {
	case string:
		if strings.HasPrefix(p, "/") {
			return manifest.ParsePointer(p)
		}
	case []any:
		out := make(manifest.Path, 0, len(p))
		for _, seg := range p {
			switch s := seg.(type) {
			case string:
				out = append(out, s)
			case json.Number:
				out = append(out, s.String())
			default:
				out = append(out, fmt.Sprint(s))
			}
		}
		return out
	}
	return nil
}

// RunRules says whether any rule of the whole run (custom.scope: run) is on.
func (e *Engine) RunRules() bool { return len(e.runParts) > 0 }

// UserRunRules says whether a user's policy has a rule of the whole run.
func (e *Engine) UserRunRules() bool {
	for _, p := range e.runParts {
		if !allBuiltinOutputs(p.outputs) {
			return true
		}
	}
	return false
}

// runTimeLimit bounds the evaluation of the rules of the whole run, which see every object at once.
const runTimeLimit = time.Minute

// CheckRun evaluates the rules of the whole run once, over the run's index (refs.Index.Input). A
// result must carry `at`, a position of the index (an object's, a selector's, a reference's);
// `related` may list further positions, each {at, msg}.
func (e *Engine) CheckRun(ctx context.Context, t *ast.Term) ([]refs.Result, error) {
	if len(e.runParts) == 0 {
		return nil, nil
	}
	limit := max(e.limit, runTimeLimit)
	var out []refs.Result
	for _, p := range e.runParts {
		b := &bound{outer: e.cancelFor(ctx)}
		timer := time.AfterFunc(limit, b.Cancel)
		rs, err := p.query.Eval(ctx, rego.EvalParsedInput(t.Value), rego.EvalExternalCancel(b))
		timer.Stop()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if b.expired.Load() {
				return nil, fmt.Errorf("evaluate the rules of the whole run: stopped after %s", limit)
			}
			return nil, fmt.Errorf("evaluate the rules of the whole run: %w", err)
		}
		if len(rs) == 0 {
			continue
		}
		for _, o := range p.outputs {
			results, _ := rs[0].Bindings[o.binding].([]any)
			for _, r := range results {
				res, err := runResultOf(o, r)
				if err != nil {
					return nil, err
				}
				out = append(out, res)
			}
		}
	}
	return out, nil
}

// runResultOf reads one result of a rule of the whole run: an object with msg, at (a position of
// the index), optionally severity and related ([{at, msg}]).
func runResultOf(o output, r any) (refs.Result, error) {
	is := issueOf(o, r)
	res := refs.Result{Rule: o.id, Severity: is.Severity, Message: is.Message}
	obj, _ := r.(map[string]any)
	at, ok := intField(obj, "at")
	if !ok {
		return res, fmt.Errorf("rule %s (of the whole run) gave a result without at, a position of the index (an object's, a selector's or a reference's at): %s", o.id, messageOf(r))
	}
	res.At = at
	rel, _ := obj["related"].([]any)
	for _, x := range rel {
		rm, _ := x.(map[string]any)
		a, ok := intField(rm, "at")
		if !ok {
			return res, fmt.Errorf("rule %s (of the whole run) gave a related entry without at: %s", o.id, messageOf(x))
		}
		msg, _ := rm["msg"].(string)
		res.Related = append(res.Related, refs.Related{At: a, Message: msg})
	}
	return res, nil
}

func intField(m map[string]any, key string) (int, bool) {
	n, ok := m[key].(json.Number)
	if !ok {
		return 0, false
	}
	v, err := n.Int64()
	return int(v), err == nil
}

// WireRun makes the engine's rules of the whole run part of a lint run: opts gets the hooks that
// gather the run's index and evaluate those rules over it once every file is checked. context,
// when set, adds objects from outside the run (see refs.Run). Without rules of the whole run, opts
// is left as it is.
func (e *Engine) WireRun(opts *lint.Options, context func(context.Context, *lint.RunInfo, *refs.Index) error) {
	if !e.RunRules() {
		return
	}
	ids := map[string]bool{}
	for _, p := range e.runParts {
		for _, o := range p.outputs {
			ids[o.id] = true
		}
	}
	r := &refs.Run{Check: e.CheckRun, IsRule: func(id string) bool { return ids[id] }, Context: context, NoSuppress: opts.NoSuppress,
		ReferrersOnly: func() bool { return !e.UserRunRules() }}
	r.Wire(opts)
}
