package lint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"

	"github.com/podlint/podlint/internal/manifest"
)

// Issue is what a check reports about one document: a rule hit at a document path. lint turns it into
// a Finding by resolving the path to a line and column.
type Issue struct {
	Rule     string
	Severity Severity
	Message  string
	Path     manifest.Path
	// AtKey places the finding on the key of the map entry at Path rather than on its value (for
	// unknown fields, where the key is the mistake).
	AtKey bool
	// Line, when above 0, places the finding on that line (counted from 1) of the multi-line string
	// at Path, as its reader sees it (a line of a shell script), rather than where the string starts.
	Line int
	// Related are other places in the same document that the finding involves (the first
	// declaration of a repeated port); they become Finding.Related.
	Related []RelatedPath
	// Fixes are the mechanical corrections of the issue, as edits of the document's file (see Fix).
	Fixes []Fix
}

// RelatedPath is another place in the document an Issue involves, and what is there.
type RelatedPath struct {
	Path    manifest.Path
	Message string
}

// Checker inspects one document. Implementations must be safe for use from several goroutines.
type Checker interface {
	Check(ctx context.Context, doc *manifest.Document) ([]Issue, error)
}

// ErrSkipped is what a Checker returns, alone, for an object it cannot judge (a kind it has no
// schema for): the run goes on and the object is counted in Summary.Skipped.
var ErrSkipped = errors.New("object skipped")

// CheckerFunc adapts a function to the Checker interface.
type CheckerFunc func(ctx context.Context, doc *manifest.Document) ([]Issue, error)

// Check calls f.
func (f CheckerFunc) Check(ctx context.Context, doc *manifest.Document) ([]Issue, error) {
	return f(ctx, doc)
}

// Options configure a run.
type Options struct {
	// Workers is how many files are checked at once; 0 means one per CPU.
	Workers int
	// Checkers run on every object, in order.
	Checkers []Checker
	// Stdin is read when "-" is among the paths.
	Stdin io.Reader
	// StdinName names standard input in findings and for Skip (--stdin-filename); "-" when empty.
	StdinName string
	// Skip excludes paths found while walking folders.
	Skip func(path string) bool
	// Select limits the run to the objects it accepts (a label selector); nil accepts all.
	Select func(doc *manifest.Document) bool
	// Rule applies configuration to a finding's rule: its severity, or false when the rule is off.
	// nil keeps every rule at its own severity.
	Rule func(id string, sev Severity) (Severity, bool)
	// KnownRule says whether a rule id exists, for checking suppression directives; nil accepts all.
	KnownRule func(id string) bool
	// NoSuppress reports everything, ignoring suppression comments and annotations (for audits).
	NoSuppress bool
	// ListObjects fills Result.Objects. Only reports that list clean objects (JUnit) need it; without
	// it a run's memory does not grow with the number of objects.
	ListObjects bool
	// Render turns the Helm charts and kustomizations the paths hold into text to lint. nil leaves
	// them out (their plain files are still linted).
	Render func(ctx context.Context, found *manifest.Found) (*Rendering, error)
	// PodKinds says where each kind of object keeps its pod; nil is the built-in table. Checkers
	// that look for pods must use the same table.
	PodKinds *manifest.PodKinds
	// Collect, when set, is handed every object of the run before its document is dropped (also
	// those Select leaves out, with selected false), with the namespace an object that sets none
	// lands in, and locate, which places a document path of it where a person edits it. It must be
	// safe for use from several goroutines.
	Collect func(doc *manifest.Document, namespace string, selected bool, locate func(p manifest.Path, atKey bool) Finding)
	// Across, when set, runs once after every file and unit is checked, and returns findings that
	// judge the run's objects against each other, and how many of them podlint.io/ignore
	// annotations removed. They are configured, and matched against the suppression comments of
	// the files they land in, like every other finding.
	Across func(ctx context.Context, run *RunInfo) (findings []Finding, annotated int, err error)
	// AcrossRule says which rules Across reports. Their suppression directives are matched only
	// after Across has run.
	AcrossRule func(id string) bool
}

// RunInfo is what a run covered, for checks of the run as a whole.
type RunInfo struct {
	// Files are the plain files linted; Used the files renders read; Charts and Kustomizations the
	// folders rendered.
	Files                  []string
	Used                   map[string]bool
	Charts, Kustomizations []string
	// Incomplete says why the run may not have seen every object its files define (a chart that
	// did not render, a file that does not parse).
	Incomplete []string
	// Judged is set by Across when its rules saw the whole run (their view was complete): a
	// directive naming one of them that suppresses nothing is then reported.
	Judged bool
}

// Rendering is what rendering the charts and kustomizations of a run gave.
type Rendering struct {
	// Units are the rendered texts to lint.
	Units []Unit
	// Findings are the failures to render (a template that fails, a kustomization that does not
	// build), already placed in the files the user edits.
	Findings []Finding
	// Used are the files the renders read (a kustomization's resources and patches): they are not
	// linted again on their own.
	Used map[string]bool
	// Charts and Kustomizations count what was rendered, for the summary.
	Charts, Kustomizations int
}

// Unit is rendered text to lint. Its findings belong to the files the user edits, so each is moved
// there (Place) before suppression comments are matched, against those files' text.
type Unit struct {
	// Name names the text while it is checked (a template's path, a kustomization's folder).
	Name string
	Text []byte
	// Place moves a finding on the rendered text to where it was written: File, Line, Column, the
	// end, and Source, the text of that line. doc is the rendered object the finding is about (nil
	// for a problem of the text itself, such as a parse error).
	Place func(doc *manifest.Document, f *Finding)
	// Namespace is where the unit's objects that set no namespace land (a chart's release
	// namespace); empty is the run's default.
	Namespace string
}

// Result is the outcome of a run.
type Result struct {
	Findings []Finding
	Summary  Summary
	// Objects lists every object checked, in file order, so that reports such as JUnit can show the
	// objects that passed as well as those with findings.
	Objects []ObjectRef
	// Scope lists the files the run looked at (as named: the files found, and the files renders
	// read) and ScopeDirs the folders of the charts and kustomizations it rendered. A finding
	// anywhere else could not have been reported by this run (pre-commit names only the changed
	// files), which is what a baseline needs to know before it calls an entry stale.
	Scope, ScopeDirs []string
}

// ObjectRef names one checked object and the file it came from.
type ObjectRef struct {
	File   string
	Object manifest.Object
}

// Run lints the files and folders in paths. It returns an error only when podlint could not do its
// job (a path that does not exist, a failing check); everything wrong with the files is a finding.
func Run(ctx context.Context, paths []string, opts Options) (*Result, error) {
	found, err := manifest.Discover(paths, opts.Skip)
	if err != nil {
		return nil, err
	}
	rendering := &Rendering{}
	if opts.Render != nil && (len(found.Charts) > 0 || len(found.Kustomizations) > 0) {
		if rendering, err = opts.Render(ctx, found); err != nil {
			return nil, err
		}
	}
	files := found.Files[:0:0]
	for _, f := range found.Files {
		if f == manifest.Stdin && opts.StdinName != "" && opts.Skip != nil && opts.Skip(opts.StdinName) {
			continue // named input that the configuration excludes, as a named file would be
		}
		if !rendering.Used[f] {
			files = append(files, f)
		}
	}
	var stdin []byte
	for _, f := range files {
		if f == manifest.Stdin {
			if opts.Stdin == nil {
				return nil, fmt.Errorf("no standard input to read")
			}
			if stdin, err = io.ReadAll(io.LimitReader(opts.Stdin, manifest.MaxFileSize+1)); err != nil {
				return nil, fmt.Errorf("read standard input: %w", err)
			}
		}
	}
	units := len(files) + len(rendering.Units)
	workers := workerCount(opts.Workers, units, runtime.GOMAXPROCS(0))
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]fileResult, units)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if i < len(files) {
					results[i] = checkFile(ctx, files[i], stdin, &opts)
				} else {
					u := &rendering.Units[i-len(files)]
					results[i] = checkUnit(ctx, u, &opts)
					*u = Unit{} // the rendered text is dropped once checked
				}
				if results[i].err != nil {
					cancel()
				}
			}
		}()
	}
feed:
	for i := range units {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	res := &Result{}
	res.Summary.Charts, res.Summary.Kustomizations = rendering.Charts, rendering.Kustomizations
	res.Scope = append(res.Scope, found.Files...)
	for f := range rendering.Used {
		res.Scope = append(res.Scope, f)
	}
	sort.Strings(res.Scope[len(found.Files):])
	res.ScopeDirs = append(append(res.ScopeDirs, found.Charts...), found.Kustomizations...)
	placed := configure(rendering.Findings, opts.Rule)
	// The first error that is not the cancellation it caused: other workers see only that.
	var firstErr error
	for _, r := range results {
		if r.err != nil && (firstErr == nil || errors.Is(firstErr, context.Canceled) && !errors.Is(r.err, context.Canceled)) {
			firstErr = r.err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	for _, r := range results {
		res.Summary.Files++
		res.Summary.Objects += r.objects
		res.Summary.Skipped += r.skipped
		if r.notManifest {
			res.Summary.NotManifests++
		}
		res.Summary.Suppressed.Comment += r.suppressed.Comment
		res.Summary.Suppressed.Annotation += r.suppressed.Annotation
		for _, f := range r.findings {
			res.Summary.Count(f)
		}
		res.Findings = append(res.Findings, r.findings...)
		placed = append(placed, r.placed...)
		for _, o := range r.checked {
			res.Objects = append(res.Objects, ObjectRef{File: r.name, Object: o})
		}
	}
	if len(placed) > 0 {
		kept, suppressed := suppressPlaced(placed, &opts)
		res.Summary.Suppressed.Comment += suppressed
		for _, f := range kept {
			res.Summary.Count(f)
		}
		res.Findings = append(res.Findings, kept...)
	}
	if opts.Across != nil {
		info := &RunInfo{Files: files, Used: rendering.Used, Charts: found.Charts, Kustomizations: found.Kustomizations}
		if len(rendering.Findings) > 0 {
			info.Incomplete = append(info.Incomplete, "a chart or kustomization did not render")
		}
		for _, r := range results {
			if r.broken {
				info.Incomplete = append(info.Incomplete, "a file could not be read or parsed")
				break
			}
		}
		across, annotated, err := opts.Across(ctx, info)
		if err != nil {
			return nil, err
		}
		res.Summary.Suppressed.Annotation += annotated
		// only the plain files whose comments name one of these rules need reading again
		plain, named := map[string]bool{}, map[string]bool{}
		for _, r := range results[:len(files)] {
			plain[r.name] = true
			if r.acrossDirectives {
				named[r.name] = true
			}
		}
		mayMatch := func(file string) bool { return named[file] || !plain[file] }
		// Directives naming these rules that suppress nothing are reported only when the rules saw
		// the whole run: otherwise a finding may be missing because the view was not complete.
		var check []string
		if info.Judged && opts.Select == nil {
			for _, r := range results[:len(files)] {
				if r.acrossDirectives {
					check = append(check, r.name)
				}
			}
		}
		kept, suppressed := suppressAcross(configure(across, opts.Rule), mayMatch, check, &opts)
		res.Summary.Suppressed.Comment += suppressed
		for _, f := range kept {
			res.Summary.Count(f)
		}
		res.Findings = append(res.Findings, kept...)
	}
	Sort(res.Findings)
	return res, nil
}

// suppressAcross matches the findings of Across against the suppression comments of the files
// they land in. Those files were checked already, which reported the malformed directives; here
// directives remove findings, and in the files of check (plain files with directives naming
// these rules), those naming an active rule of Across that suppress nothing are reported.
func suppressAcross(findings []Finding, mayMatch func(file string) bool, check []string, opts *Options) (kept []Finding, removed int) {
	if (opts.NoSuppress && len(check) == 0) || (len(findings) == 0 && len(check) == 0) {
		return findings, 0
	}
	Sort(findings)
	byFile := map[string][]Finding{}
	var order []string
	for _, fd := range findings {
		if _, ok := byFile[fd.File]; !ok {
			order = append(order, fd.File)
		}
		byFile[fd.File] = append(byFile[fd.File], fd)
	}
	checked := map[string]bool{}
	for _, name := range check {
		checked[name] = true
		if _, ok := byFile[name]; !ok {
			order = append(order, name)
		}
	}
	active := func(id string) bool { return opts.AcrossRule != nil && opts.AcrossRule(id) && ruleOn(opts, id) }
	for _, name := range order {
		fs := byFile[name]
		if !mayMatch(name) {
			kept = append(kept, fs...)
			continue
		}
		data, err := manifest.ReadFile(name)
		if err != nil {
			kept = append(kept, fs...)
			continue
		}
		f := manifest.Load(name, data)
		ds, _ := parseDirectives(f, opts.KnownRule)
		report := active
		if !checked[name] {
			report = func(string) bool { return false }
		}
		k, unused, n := applyDirectives(f, ds, fs, f.Spans, report, opts.NoSuppress)
		removed += n
		kept = append(kept, k...)
		kept = append(kept, configure(unused, opts.Rule)...)
	}
	return kept, removed
}

// workerCount is how many files are checked at once: what was asked (all processors when nothing
// was), but no more than there are processors, since checks are CPU-bound and each worker only adds
// memory, nor than there are files.
func workerCount(asked, units, procs int) int {
	w := asked
	if w <= 0 || w > procs {
		w = procs
	}
	return min(w, units)
}

type fileResult struct {
	findings []Finding
	objects  int
	skipped  int
	// notManifest: YAML that is not Kubernetes (values, CI configuration), counted and left alone
	notManifest bool
	suppressed  Suppressed
	err         error
	name        string
	checked     []manifest.Object
	// placed are a rendered unit's findings, moved to the files the user edits but not yet matched
	// against their suppression comments.
	placed []Finding
	// selected and unselected are the lines of the objects the selector kept and left out.
	selected, unselected []manifest.LineRange
	// broken: the file could not be read, or a document of it does not parse
	broken bool
	// acrossDirectives: a suppression comment of the file names a rule of Across
	acrossDirectives bool
}

// checkFile loads one file and checks each of its objects. The file's documents are dropped when it
// returns: only findings outlive it.
func checkFile(ctx context.Context, name string, stdin []byte, opts *Options) fileResult {
	var data []byte
	var err error
	if name == manifest.Stdin {
		data = stdin
		if opts.StdinName != "" {
			name = opts.StdinName
		}
	} else {
		data, err = manifest.ReadFile(name)
	}
	if err != nil {
		return fileResult{broken: true, findings: []Finding{{Rule: manifest.RuleUnreadableFile, Severity: Error, File: name,
			Line: 1, Column: 1, Message: fmt.Sprintf("cannot read file: %v", err)}}}
	}
	f := opts.PodKinds.Load(name, data)
	if f.NotManifest {
		return fileResult{name: name, notManifest: true}
	}
	r, findings := checkDocuments(ctx, f, opts, nil, "")
	if r.err != nil {
		return r
	}
	// Configuration first: a rule that is off produces nothing, so directives naming it are not
	// reported as unused.
	r.acrossDirectives = opts.AcrossRule != nil && namesRule(f, opts.AcrossRule)
	kept, directives, removed := suppress(f, configure(findings, opts.Rule), f.Spans, opts.KnownRule, activeRule(opts), opts.NoSuppress)
	r.suppressed.Comment += removed
	// findings about directives are subject to configuration too; those inside an object the
	// selector left out go with the object
	directives = dropUnselected(directives, r.selected, r.unselected)
	r.findings = append(kept, configure(directives, opts.Rule)...)
	return r
}

// dropUnselected removes the findings that sit in an object the selector left out (and in none
// it kept: the items of one List share their document's lines).
func dropUnselected(findings []Finding, selected, unselected []manifest.LineRange) []Finding {
	if len(unselected) == 0 {
		return findings
	}
	in := func(ranges []manifest.LineRange, line int) bool {
		for _, r := range ranges {
			if r.Contains(line) {
				return true
			}
		}
		return false
	}
	kept := findings[:0]
	for _, fd := range findings {
		if in(unselected, fd.Line) && !in(selected, fd.Line) {
			continue
		}
		kept = append(kept, fd)
	}
	return kept
}

// checkUnit checks rendered text and places its findings in the files the user edits; they are
// matched against those files' suppression comments once every unit is done (suppressPlaced).
func checkUnit(ctx context.Context, u *Unit, opts *Options) fileResult {
	f := opts.PodKinds.Load(u.Name, u.Text)
	if f.NotManifest {
		return fileResult{name: u.Name}
	}
	r, findings := checkDocuments(ctx, f, opts, u.Place, u.Namespace)
	if r.err != nil {
		return r
	}
	r.placed = configure(findings, opts.Rule)
	return r
}

// checkDocuments runs every checker on each document of a loaded file, applying annotation
// suppressions. place, when set, moves each finding to the file the user edits.
func checkDocuments(ctx context.Context, f *manifest.File, opts *Options, place func(*manifest.Document, *Finding), namespace string) (fileResult, []Finding) {
	name := f.Name
	r := fileResult{name: name}
	var findings []Finding
	for _, p := range f.Problems {
		if p.Rule == manifest.RuleParseError || p.Rule == manifest.RuleUnreadableFile {
			r.broken = true
		}
		fd := problemFinding(f, p)
		if place != nil {
			place(nil, &fd)
			placeRelated(nil, &fd, nil, place)
		}
		findings = append(findings, fd)
	}
	for _, doc := range f.Documents {
		selected := opts.Select == nil || opts.Select(doc)
		if opts.Collect != nil {
			opts.Collect(doc, namespace, selected, func(p manifest.Path, atKey bool) Finding {
				fd := issueFinding(f, doc, Issue{Path: p, AtKey: atKey})
				if place != nil {
					place(doc, &fd)
				}
				return fd
			})
		}
		if !selected {
			r.unselected = append(r.unselected, doc.Lines)
			continue
		}
		r.selected = append(r.selected, doc.Lines)
		r.objects++
		if opts.ListObjects {
			r.checked = append(r.checked, doc.Object)
		}
		for _, p := range doc.Problems {
			fd := problemFinding(f, p)
			fd.Template = doc.Template
			if place != nil {
				place(doc, &fd)
				placeRelated(doc, &fd, nil, place)
			}
			findings = append(findings, fd)
		}
		var ignored map[string]bool
		if !opts.NoSuppress {
			ignored = annotationIgnores(doc)
		}
		skipped := false
		for _, c := range opts.Checkers {
			issues, err := c.Check(ctx, doc)
			if errors.Is(err, ErrSkipped) {
				skipped = true
				continue
			}
			if err != nil {
				return fileResult{err: fmt.Errorf("%s: %s: %w", name, doc.Object, err)}, nil
			}
			for _, is := range issues {
				if ignored[is.Rule] {
					r.suppressed.Annotation++
					continue
				}
				fd := issueFinding(f, doc, is)
				if place != nil {
					rendered := fd
					place(doc, &fd)
					placeFixes(f, doc, rendered, &fd, place)
					placeRelated(doc, &fd, is.Related, place)
				}
				findings = append(findings, fd)
			}
		}
		if skipped {
			r.skipped++
		}
	}
	return r, findings
}

// activeRule says whether a rule is on, for reporting unused suppression directives.
func activeRule(opts *Options) func(id string) bool {
	return func(id string) bool {
		if opts.AcrossRule != nil && opts.AcrossRule(id) {
			return false // judged after the run (suppressAcross)
		}
		return ruleOn(opts, id)
	}
}

// ruleOn says whether the configuration leaves rule id on.
func ruleOn(opts *Options, id string) bool {
	if opts.Rule == nil {
		return true
	}
	_, on := opts.Rule(id, Warning)
	return on
}

// suppressPlaced matches the findings of rendered text against the suppression comments of the
// files they were placed in (templates, kustomize resources and patches). The same finding reached
// through several renders (a base used by two overlays) is reported once.
func suppressPlaced(placed []Finding, opts *Options) (kept []Finding, removed int) {
	Sort(placed)
	byFile := map[string][]Finding{}
	var order []string
	for i, fd := range placed {
		if i > 0 && sameFinding(placed[i-1], fd) {
			continue
		}
		if _, ok := byFile[fd.File]; !ok {
			order = append(order, fd.File)
		}
		byFile[fd.File] = append(byFile[fd.File], fd)
	}
	for _, name := range order {
		findings := byFile[name]
		data, err := manifest.ReadFile(name)
		if err != nil {
			kept = append(kept, findings...) // a file in an archive: nothing to match against
			continue
		}
		f := manifest.Load(name, data)
		k, directives, n := suppress(f, findings, f.Spans, opts.KnownRule, activeRule(opts), opts.NoSuppress)
		removed += n
		kept = append(kept, k...)
		kept = append(kept, configure(directives, opts.Rule)...)
	}
	return kept, removed
}

func sameFinding(a, b Finding) bool {
	return a.File == b.File && a.Line == b.Line && a.Column == b.Column && a.Rule == b.Rule && a.Message == b.Message
}

// configure applies the configuration to findings: drops those of rules that are off and sets the
// configured severities. It reuses the slice.
func configure(findings []Finding, rule func(string, Severity) (Severity, bool)) []Finding {
	if rule == nil {
		return findings
	}
	kept := findings[:0]
	for _, fd := range findings {
		sev, on := rule(fd.Rule, fd.Severity)
		if !on {
			continue
		}
		fd.Severity = sev
		kept = append(kept, fd)
	}
	return kept
}

// problemFinding turns a loader problem into a finding. Every loader problem is an error: the input
// is not what the API server would accept (configuration may lower it).
func problemFinding(f *manifest.File, p manifest.Problem) Finding {
	fd := Finding{Rule: p.Rule, Severity: Error, Message: p.Message, File: f.Name,
		Line: p.Pos.Line, Column: p.Pos.Column, EndLine: p.Pos.EndLine, EndColumn: p.Pos.EndColumn,
		Object: p.Object, Path: p.Path.Pointer(), Source: sourceLine(f, p.Pos.Line)}
	for _, r := range p.Related {
		fd.Related = append(fd.Related, location(f.Name, r.Pos, r.Message))
	}
	return fd
}

func location(file string, pos manifest.Position, msg string) Location {
	return Location{File: file, Line: pos.Line, Column: pos.Column, EndLine: pos.EndLine, EndColumn: pos.EndColumn, Message: msg}
}

// placeRelated moves the related places of a finding of rendered text to where they were written,
// as place moved the finding itself; paths are the related places' document paths, when known. A
// related place that lands on the finding's own place says nothing and is dropped.
func placeRelated(doc *manifest.Document, fd *Finding, paths []RelatedPath, place func(*manifest.Document, *Finding)) {
	if len(fd.Related) == 0 {
		return
	}
	kept := fd.Related[:0]
	for i, r := range fd.Related {
		tmp := Finding{Rule: fd.Rule, File: r.File, Line: r.Line, Column: r.Column, EndLine: r.EndLine, EndColumn: r.EndColumn, Object: fd.Object}
		if i < len(paths) {
			tmp.Path = paths[i].Path.Pointer()
		}
		place(doc, &tmp)
		if tmp.File == fd.File && tmp.Line == fd.Line && tmp.Column == fd.Column {
			continue
		}
		kept = append(kept, Location{File: tmp.File, Line: tmp.Line, Column: tmp.Column, EndLine: tmp.EndLine, EndColumn: tmp.EndColumn, Message: r.Message})
	}
	if len(kept) == 0 {
		kept = nil
	}
	fd.Related = kept
}

func issueFinding(f *manifest.File, doc *manifest.Document, is Issue) Finding {
	var pos manifest.Position
	switch {
	case is.AtKey:
		pos = doc.KeyPosition(is.Path)
	case is.Line > 0:
		pos = doc.LinePosition(is.Path, is.Line)
	default:
		pos = doc.Position(is.Path)
	}
	fd := Finding{Rule: is.Rule, Severity: is.Severity, Message: is.Message, File: f.Name,
		Line: pos.Line, Column: pos.Column, EndLine: pos.EndLine, EndColumn: pos.EndColumn,
		Object: doc.Object, Path: is.Path.Pointer(), Source: sourceLine(f, pos.Line), Template: doc.Template, AtKey: is.AtKey,
		Fixes: is.Fixes}
	for _, r := range is.Related {
		fd.Related = append(fd.Related, location(f.Name, doc.Position(r.Path), r.Message))
	}
	return fd
}

func sourceLine(f *manifest.File, line int) string {
	if line < 1 || line > len(f.Lines) {
		return ""
	}
	return f.Lines[line-1]
}

// namesRule says whether a suppression comment of the file names a rule that rule accepts.
func namesRule(f *manifest.File, rule func(id string) bool) bool {
	ds, _ := parseDirectives(f, nil)
	for _, d := range ds {
		for _, id := range d.rules {
			if rule(id) {
				return true
			}
		}
	}
	return false
}
