// Package kustbuild builds a kustomization in process with kustomize's krusty, for podlint-render:
// the built resources, each with the file and document it came from, the patches that may have
// changed it and the namespace the kustomization set, plus every file the build read.
//
// It never reaches the network: the kustomization tree is read first, and a remote base, component
// or file, or a Helm chart (which needs the helm binary), is a problem and the build is not run.
package kustbuild

import (
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/safefile"
)

// Build builds the kustomization in dir, named as podlint names it. Problems in the kustomization
// are in the result, never an error.
func Build(dir string) render.Result {
	b := newBuild(dir)
	return b.run()
}

// build is one kustomization's build.
type build struct {
	dir string // as podlint names it
	// abs is dir made absolute with its links resolved, as kustomize names the files it reads.
	abs string
	// plain is dir made absolute, links kept.
	plain string

	fs   *recordingFS
	docs map[string]*manifest.File
}

func newBuild(dir string) *build {
	plain, err := filepath.Abs(dir)
	if err != nil {
		plain = dir
	}
	abs, err := filepath.EvalSymlinks(plain)
	if err != nil {
		abs = plain
	}
	return &build{dir: dir, abs: abs, plain: plain, docs: map[string]*manifest.File{}}
}

// name turns an absolute path of the build into the name podlint knows the file by: the job's
// folder joined with the path relative to it.
func (b *build) name(abs string) string {
	for _, base := range []string{b.abs, b.plain} {
		if rel, err := filepath.Rel(base, abs); err == nil {
			if !strings.HasPrefix(rel, "..") || base == b.plain {
				return filepath.Join(b.dir, rel)
			}
		}
	}
	return abs
}

// clean rewrites the absolute paths of a kustomize message as podlint names them.
func (b *build) clean(msg string) string {
	prefix := ""
	if d := filepath.Clean(b.dir); d != "." {
		prefix = d + string(filepath.Separator)
	}
	for _, base := range []string{b.abs, b.plain} {
		msg = strings.ReplaceAll(msg, base+string(filepath.Separator), prefix)
	}
	return msg
}

func (b *build) run() render.Result {
	sc := &scanner{byDir: map[string]*kust{}, name: b.name}
	top := sc.scan(b.abs)
	if len(sc.problems) > 0 {
		uses := b.declared(top)
		sort.SliceStable(sc.problems, func(i, j int) bool {
			a, b := sc.problems[i], sc.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return render.Result{Problems: sc.problems, Uses: sortedUnique(uses)}
	}

	topFile := findKustomization(b.abs)
	b.fs = newRecordingFS(topFile)
	opts := krusty.MakeDefaultOptions()
	// As `kustomize build` does: the kustomization's sortOptions, else kustomize's legacy order.
	opts.Reorder = krusty.ReorderOptionUnspecified
	m, err := krusty.MakeKustomizer(opts).Run(b.fs, b.abs)
	res := render.Result{Uses: b.uses()}
	if err != nil {
		res.Problems = []render.Problem{b.buildProblem(err, top, topFile)}
		// the build stopped early: what it did not read is still part of it, and a patch is not a
		// whole object to lint on its own
		res.Uses = sortedUnique(append(res.Uses, b.declared(top)...))
		return res
	}
	var kusts []*kust
	if top != nil {
		kusts = top.all(map[*kust]bool{})
	}
	for _, r := range m.Resources() {
		res.Outputs = append(res.Outputs, b.output(r, top, kusts))
	}
	return res
}

// declared lists the files the kustomization tree names (kustomization files, resource files, patch
// files), as podlint names them: what a build would read had it not failed.
func (b *build) declared(top *kust) []string {
	if top == nil {
		return nil
	}
	var out []string
	for _, k := range top.all(map[*kust]bool{}) {
		out = append(out, b.name(k.file))
		for _, f := range k.files {
			out = append(out, b.name(f))
		}
		for _, p := range k.patches {
			if p.patch.File != "" {
				out = append(out, p.patch.File)
			}
		}
	}
	return sortedUnique(out)
}

// uses lists the files the build read, as podlint names them.
func (b *build) uses() []string {
	var out []string
	for _, p := range b.fs.files() {
		out = append(out, b.name(p))
	}
	return sortedUnique(out)
}

func sortedUnique(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// buildProblem places a build error: at the kustomization the error is in (the deepest one it
// names), on the line of the entry it names, else on line 1.
func (b *build) buildProblem(err error, top *kust, topFile string) render.Problem {
	raw := err.Error()
	msg := "kustomization does not build: " + b.clean(raw)
	if top == nil {
		if topFile == "" {
			return render.Problem{File: b.dir, Message: msg}
		}
		line := 1
		if m := lineRE.FindStringSubmatch(raw); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return render.Problem{File: b.name(topFile), Line: line, Message: msg}
	}
	target, at := top, -1
	for _, k := range top.all(map[*kust]bool{}) {
		if i := strings.LastIndex(raw, "'"+k.dir+"'"); i > at {
			target, at = k, i
		}
	}
	line := 1
	for _, e := range target.entries {
		if strings.Contains(raw, "'"+e.value+"'") || strings.Contains(raw, `"`+e.value+`"`) ||
			strings.Contains(raw, filepath.Join(target.dir, e.value)) {
			line = e.line
			break
		}
	}
	return render.Problem{File: b.name(target.file), Line: line, Message: msg}
}

// doc loads a resource file the way podlint does, for the indexes of its documents.
func (b *build) doc(abs string) *manifest.File {
	if f, ok := b.docs[abs]; ok {
		return f
	}
	var f *manifest.File
	data, ok := b.fs.read(abs)
	if !ok {
		// Read under another name (through a link): read it again.
		var err error
		data, err = safefile.ReadFile(abs, manifest.MaxFileSize)
		ok = err == nil
	}
	if ok {
		f = manifest.Load(b.name(abs), data)
	}
	b.docs[abs] = f
	return f
}

// lineRE finds the line a YAML error names.
var lineRE = regexp.MustCompile(`\bline (\d+)\b`)

// hashSuffixRE is the hash kustomize appends to the name of a generated ConfigMap or Secret.
var hashSuffixRE = regexp.MustCompile(`-[a-z0-9]{10}$`)

// output turns a built resource into an output, with the origin annotation the build added removed
// (as kustomize removes it when not asked for it).
// kusts are the kustomizations of the build, top first.
func (b *build) output(r *resource.Resource, top *kust, kusts []*kust) render.Output {
	origin, _ := r.GetOrigin()
	_ = r.SetOrigin(nil)
	text, _ := r.AsYAML()
	out := render.Output{Text: string(text), OriginIndex: -1}

	id := identity{
		apiVersions: []string{r.GetApiVersion()},
		kinds:       []string{r.GetKind()},
		names:       []string{r.GetName()},
		namespaces:  []string{r.GetNamespace()},
		labels:      r.GetLabels(),
		annotations: r.GetAnnotations(),
	}
	loose := looseName{final: r.GetName()}
	var key string // the file the resource belongs to, for the scope of patches
	switch {
	case origin == nil || origin.Repo != "":
	case origin.ConfiguredIn != "":
		key = filepath.Join(b.abs, origin.ConfiguredIn)
		out.Generator = b.name(key)
		loose.final = hashSuffixRE.ReplaceAllString(loose.final, "")
		id.names = append(id.names, loose.final)
	case origin.Path != "":
		key = filepath.Join(b.abs, origin.Path)
		out.Origin = b.name(key)
		if f := b.doc(key); f != nil {
			if d := findDocument(f, r); d != nil {
				out.OriginIndex = d.Index
				o := d.Object
				id.apiVersions = append(id.apiVersions, o.APIVersion)
				id.kinds = append(id.kinds, o.Kind)
				id.names = append(id.names, o.Name)
				id.namespaces = append(id.namespaces, o.Namespace)
				loose.orig = o.Name
			}
		}
	}
	if top == nil || key == "" {
		return out
	}

	for _, k := range kusts {
		if k.namespace != "" && k.scope()[key] && r.GetNamespace() == k.namespace {
			out.Namespace = k.namespace
			break
		}
	}

	var decls []*patchDecl
	order(top, top.scope(), key, &decls)
	for _, d := range decls {
		var ok bool
		if d.target != nil {
			ok = d.target.matches(id) || loose.matches(d.target.Name, d.target.Kind, id)
		} else {
			ok = matchesObject(d.object, id) || (loose.matches(d.object.Name, d.object.Kind, id) && d.object.Name != "")
		}
		if ok {
			out.Patches = append(out.Patches, d.patch)
		}
	}
	return out
}

// looseName matches the names a resource may have had between its file and the end of the build
// (a base's prefix added, an overlay's not yet): any name that holds the original one and is held
// by the final one (without a generated resource's hash).
type looseName struct {
	orig, final string
}

func (l looseName) matches(name, kind string, id identity) bool {
	if name == "" || regexp.QuoteMeta(name) != name {
		return false
	}
	if kind != "" && !contains(id.kinds, kind) {
		return false
	}
	return strings.Contains(l.final, name) && strings.Contains(name, l.orig)
}

// order lists the patches of k and of the kustomizations under it that apply to the resources of
// key's file, in the order kustomize applies them: a base's patches as the base is built, then each
// component's (which work on all that the kustomization holds so far), then k's own. scope is the set
// of files whose resources k's patches see.
func order(k *kust, scope map[string]bool, key string, out *[]*patchDecl) {
	for _, base := range k.bases {
		order(base, base.scope(), key, out)
	}
	for _, c := range k.components {
		order(c, scope, key, out)
	}
	if scope[key] {
		*out = append(*out, k.patches...)
	}
}

// findDocument finds the document of f a built resource came from: the only one of its kind, else
// the one of its name, else the one whose name the built name holds (a prefix or suffix added).
func findDocument(f *manifest.File, r *resource.Resource) *manifest.Document {
	var same []*manifest.Document
	for _, d := range f.Documents {
		if d.Object.Kind == r.GetKind() {
			same = append(same, d)
		}
	}
	if len(same) <= 1 {
		if len(same) == 1 {
			return same[0]
		}
		return nil
	}
	pick := func(ok func(d *manifest.Document) bool) []*manifest.Document {
		var out []*manifest.Document
		for _, d := range same {
			if ok(d) {
				out = append(out, d)
			}
		}
		return out
	}
	name, ns := r.GetName(), r.GetNamespace()
	exact := pick(func(d *manifest.Document) bool { return d.Object.Name == name })
	if len(exact) == 0 {
		longest := 0
		for _, d := range same {
			if n := len(d.Object.Name); n > longest && strings.Contains(name, d.Object.Name) {
				longest = n
			}
		}
		if longest == 0 {
			return nil
		}
		exact = pick(func(d *manifest.Document) bool {
			return len(d.Object.Name) == longest && strings.Contains(name, d.Object.Name)
		})
	}
	for _, d := range exact {
		if d.Object.Namespace == ns {
			return d
		}
	}
	return exact[0]
}
