package refs

import (
	"context"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// Run gathers a lint run's index and evaluates the rules of the whole run over it: Wire hands
// lint its Collect and Across hooks.
type Run struct {
	// Check evaluates the rules of the whole run over the index's Input.
	Check func(ctx context.Context, input *ast.Term) ([]Result, error)
	// IsRule says which rule ids Check reports.
	IsRule func(id string) bool
	// Context, when set, adds objects from outside the run (the rest of the repository) before
	// the rules run, and may mark the index incomplete.
	Context func(ctx context.Context, run *lint.RunInfo, x *Index) error
	// NoSuppress ignores podlint.io/ignore annotations (--no-suppress).
	NoSuppress bool
	// ReferrersOnly says that the rules report only on objects that select or name others (true
	// of the built-in ones): a run without such objects needs no Context, and has nothing to
	// report.
	ReferrersOnly func() bool
	// Active, when set, says whether any rule of the whole run is on; when none is, nothing is
	// evaluated and the repository is not read. It is asked once the files are checked (asking
	// sooner would wait for the rules to compile, which the first files' checks need not).
	Active func() bool

	index Index
}

// on says whether the run's rules are on (Active).
func (r *Run) on() bool { return r.Active == nil || r.Active() }

// Wire sets opts.Collect, opts.Across and opts.AcrossRule.
func (r *Run) Wire(opts *lint.Options) {
	opts.Collect = r.collect
	opts.Across = r.across
	opts.AcrossRule = r.IsRule
}

func (r *Run) collect(doc *manifest.Document, namespace string, selected bool, locate func(manifest.Path, bool) lint.Finding) {
	o := Extract(doc, namespace, func(p manifest.Path, atKey bool) Loc { return LocOf(locate(p, atKey)) })
	if o == nil {
		return
	}
	o.Context = !selected
	r.index.Add(o)
}

func (r *Run) across(ctx context.Context, info *lint.RunInfo) ([]lint.Finding, int, error) {
	defer func() { r.index = Index{} }() // the next run (--fix lints again) starts afresh
	if !r.on() {
		return nil, 0, nil
	}
	r.index.Incomplete = append(r.index.Incomplete, info.Incomplete...)
	if r.ReferrersOnly != nil && r.ReferrersOnly() && !r.index.hasReferrers() {
		info.Judged = len(r.index.Incomplete) == 0 // nothing of the run could be found
		return nil, 0, nil
	}
	if r.Context != nil {
		if err := r.Context(ctx, info, &r.index); err != nil {
			return nil, 0, err
		}
	}
	info.Judged = len(r.index.Incomplete) == 0
	if r.index.Len() == 0 {
		return nil, 0, nil
	}
	referrersOnly := r.ReferrersOnly != nil && r.ReferrersOnly()
	results, err := r.Check(ctx, r.index.Input(!referrersOnly))
	if err != nil {
		return nil, 0, err
	}
	annotated := 0
	if !r.NoSuppress {
		results, annotated = r.index.dropIgnored(results)
	}
	findings, err := r.index.Findings(results)
	return findings, annotated, err
}

// dropIgnored removes the results on objects whose podlint.io/ignore annotation names their rule,
// and counts those on objects of the run (results on context objects are not reported anyway).
func (x *Index) dropIgnored(results []Result) ([]Result, int) {
	kept := results[:0]
	n := 0
	for _, res := range results {
		if o, _ := x.position(res.At); o != nil && o.ignores(res.Rule) {
			if !o.Context {
				n++
			}
			continue
		}
		kept = append(kept, res)
	}
	return kept, n
}

func (o *Object) ignores(rule string) bool {
	for _, id := range o.Ignore {
		if id == rule {
			return true
		}
	}
	return false
}

// ignoreList reads the podlint.io/ignore annotation of the object and of its pod templates.
func ignoreList(doc *manifest.Document) []string {
	paths := []manifest.Path{{"metadata", "annotations", lint.IgnoreAnnotation}}
	for _, p := range doc.Pods {
		paths = append(paths, p.Metadata.Append("annotations", lint.IgnoreAnnotation))
	}
	var ids []string
	for _, p := range paths {
		v, _ := manifest.Get(doc.Value, p)
		s, _ := v.(string)
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// hasReferrers says whether an object of the run (not context) has a selector or a reference.
func (x *Index) hasReferrers() bool {
	for _, o := range x.objects {
		if !o.Context && (o.Selector != nil || len(o.Refs) > 0) {
			return true
		}
	}
	return false
}
