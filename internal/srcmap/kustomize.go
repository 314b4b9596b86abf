// Package srcmap maps a finding on rendered YAML back to the file and line a person edits.
//
// For a kustomization, podlint lints each built resource, and a finding's document path names a field
// of that built resource. Kustomized.Locate finds where that field was written: in a patch that set
// it, or in the resource file the resource was read from.
package srcmap

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
)

// Location is where a field of a built resource was written.
type Location struct {
	// File is the file to point at; empty when no source is known at all (the caller then keeps its
	// own fallback, such as the first line of the resource's origin).
	File string
	Pos  manifest.Position
	// Exact is true when the value found at Pos equals the built value. It is false for a nearest
	// parent (the field is missing, or no source holds it: a label or namespace kustomize added), for
	// a value that kustomize changed afterwards (an images transformer), for a deletion that explains
	// a missing field, and for a generator entry.
	Exact bool
}

// File is one source file parsed once: a resource file, a patch file or a kustomization file.
// Callers read each file once and keep its File by name; a File does not change after LoadFile and
// may be shared by any number of resources.
type File struct {
	Name   string
	stream *manifest.Stream
}

// LoadFile parses a file of any YAML or JSON documents. It never fails: documents that do not parse
// are left out, and a file that holds nothing usable maps nothing.
func LoadFile(name string, data []byte) *File {
	return &File{Name: name, stream: manifest.ParseStream(name, data)}
}

// Origin is the document of a resource file that a built resource was read from.
type Origin struct {
	file  string
	tree  *manifest.Tree
	base  manifest.Path // items/N for an item of a List, else empty
	value map[string]any
	kind  string
	name  string // the name as the file spells it, before any namePrefix or nameSuffix
}

// NewOrigin picks the built resource's document in its resource file. index is the YAML document's
// index in the file counted from 0 (-1 when not known); kind and name are the built resource's, whose
// name may carry a prefix or suffix the kustomization added. The document at index is taken when its
// kind agrees; otherwise, or for a List, the object of that kind whose name equals the built name, or
// is the longest part of it. NewOrigin returns nil when f is nil or holds no such object.
func NewOrigin(f *File, index int, kind, name string) *Origin {
	if f == nil {
		return nil
	}
	var all []*Origin
	for _, t := range f.stream.Trees {
		m, ok := t.Value.(map[string]any)
		if !ok {
			continue
		}
		k, _ := m["kind"].(string)
		if items, ok := m["items"].([]any); ok && strings.HasSuffix(k, "List") {
			for i, it := range items {
				if im, ok := it.(map[string]any); ok {
					all = append(all, newOrigin(f.Name, t, manifest.Path{"items", strconv.Itoa(i)}, im))
				}
			}
			continue
		}
		all = append(all, newOrigin(f.Name, t, nil, m))
	}
	if index >= 0 {
		var at []*Origin
		for _, o := range all {
			if o.tree.Index == index {
				at = append(at, o)
			}
		}
		if len(at) == 1 && (at[0].kind == kind || kind == "") {
			return at[0]
		}
		if o := byName(at, kind, name); o != nil {
			return o
		}
	}
	if o := byName(all, kind, name); o != nil {
		return o
	}
	var only *Origin
	for _, o := range all {
		if o.kind == kind {
			if only != nil {
				return nil
			}
			only = o
		}
	}
	return only
}

func newOrigin(file string, t *manifest.Tree, base manifest.Path, m map[string]any) *Origin {
	o := &Origin{file: file, tree: t, base: base, value: m}
	o.kind, _ = m["kind"].(string)
	if md, ok := m["metadata"].(map[string]any); ok {
		o.name, _ = md["name"].(string)
	}
	return o
}

// byName picks the object of the kind whose name is the built name, or else the longest part of it.
func byName(cands []*Origin, kind, name string) *Origin {
	var best *Origin
	for _, o := range cands {
		if o.kind != kind || o.name == "" {
			continue
		}
		if o.name == name {
			return o
		}
		if strings.Contains(name, o.name) && (best == nil || len(o.name) > len(best.name)) {
			best = o
		}
	}
	return best
}

// PatchSource is one patch ready for mapping: a strategic merge patch (one or more partial objects)
// or a JSON 6902 patch (a list of operations), with positions in the file a person edits. A
// PatchSource does not change after NewPatch and may be shared by every resource the patch applies to.
type PatchSource struct {
	file  string
	trees []*manifest.Tree
	// For an inline patch, the text's lines sit in the kustomization file: text line l is file line
	// l+lineOff, and its columns are shifted by cols[l-1] (indent for lines not found in the file).
	inline  bool
	lineOff int
	cols    []int
	indent  int
}

// NewPatch prepares a patch of a built resource. For a patch file, f is that file as LoadFile read
// it (nil to fall back to the patch's Text, which is the same text). For an inline patch (Line > 0),
// f is the kustomization file that holds it: the text is parsed on its own and its lines and columns
// are mapped into the kustomization file by finding each line of the text there (a block scalar's
// indentation, or the opening quote of a one-line string). With f nil, inline positions keep the
// text's columns. Whether the patch is a JSON 6902 patch is told by its shape (a list of operations),
// not by p.JSON6902, since kustomize accepts both kinds under the same field.
func NewPatch(p render.Patch, f *File) *PatchSource {
	ps := &PatchSource{file: p.File}
	switch {
	case p.Line > 0:
		s := manifest.ParseStream(p.File, []byte(p.Text))
		ps.trees = s.Trees
		ps.inline = true
		var fileLines []string
		if f != nil {
			fileLines = f.stream.Lines
		}
		ps.lineOff, ps.cols, ps.indent = inlineLayout(s.Lines, p.Line, fileLines)
	case f != nil:
		ps.trees = f.stream.Trees
	default:
		ps.trees = manifest.ParseStream(p.File, []byte(p.Text)).Trees
	}
	return ps
}

// inlineLayout finds where the lines of an inline patch's text sit in the kustomization file: the
// line offset (text line l is file line l+off) and each line's column shift.
func inlineLayout(text []string, start int, file []string) (off int, cols []int, indent int) {
	off = start - 1
	cols = make([]int, len(text))
	if len(file) == 0 {
		return off, cols, 0
	}
	first := -1
	for i, l := range text {
		if strings.TrimSpace(l) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return off, cols, 0
	}
	// The renderer names the line where the text starts; accept a line either side of it, in case it
	// counted the line of the key (patch: |) instead.
	for _, d := range []int{0, 1, -1, 2, -2} {
		fl := start + first + d // 1-based file line of the text's first non-blank line
		if fl >= 1 && fl <= len(file) && columnIn(file[fl-1], text[first]) >= 0 {
			off = start - 1 + d
			break
		}
	}
	if fl := first + 1 + off; fl >= 1 && fl <= len(file) {
		if c := columnIn(file[fl-1], text[first]); c >= 0 {
			indent = c
		} else {
			indent = leadingSpace(file[fl-1]) - leadingSpace(text[first])
			indent = max(indent, 0)
		}
	}
	for i, l := range text {
		cols[i] = indent
		if fl := i + 1 + off; fl >= 1 && fl <= len(file) && strings.TrimSpace(l) != "" {
			if c := columnIn(file[fl-1], l); c >= 0 {
				cols[i] = c
			}
		}
	}
	return off, cols, indent
}

// columnIn is how many characters precede line inside fileLine: blanks when fileLine is the line
// indented (a block scalar), else the text before it (a quoted one-line string); -1 when absent.
func columnIn(fileLine, line string) int {
	if line == "" {
		return -1
	}
	if strings.HasSuffix(fileLine, line) && strings.TrimSpace(fileLine[:len(fileLine)-len(line)]) == "" {
		return utf8.RuneCountInString(fileLine) - utf8.RuneCountInString(line)
	}
	if i := strings.Index(fileLine, line); i >= 0 {
		return utf8.RuneCountInString(fileLine[:i])
	}
	return -1
}

func leadingSpace(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// position resolves a path of one of the patch's trees, in the file a person edits.
func (p *PatchSource) position(t *manifest.Tree, path manifest.Path, atKey bool) manifest.Position {
	var pos manifest.Position
	if atKey {
		pos = t.KeyPosition(path)
	} else {
		pos = t.Position(path)
	}
	if !p.inline {
		return pos
	}
	shift := func(line int) int {
		if line >= 1 && line <= len(p.cols) {
			return p.cols[line-1]
		}
		return p.indent
	}
	pos.Column += shift(pos.Line)
	pos.Line += p.lineOff
	if pos.EndLine > 0 {
		pos.EndColumn += shift(pos.EndLine)
		pos.EndLine += p.lineOff
	}
	return pos
}

// Kustomized is one resource a kustomization built, with the files it came from.
type Kustomized struct {
	// Built is the built resource, decoded as manifest.Load decodes it (Document.Value).
	Built map[string]any
	// Origin is the resource's document in its resource file; nil for a generated resource, or when
	// the file could not be read.
	Origin *Origin
	// Patches are the patches that may have changed the resource, in the order kustomize applied them.
	Patches []*PatchSource
	// Generator is the kustomization file that declared the generator of a generated resource.
	Generator *File
}

// NewKustomized prepares the mapping of one built resource from the renderer's output. open returns
// the loaded file of a name, or nil when it cannot be read; the caller reads and caches files, so that
// a file shared by many resources is parsed once.
func NewKustomized(out render.Output, built map[string]any, open func(name string) *File) *Kustomized {
	k := &Kustomized{Built: built}
	if open == nil {
		open = func(string) *File { return nil }
	}
	kind, name := identity(built)
	if out.Origin != "" {
		k.Origin = NewOrigin(open(out.Origin), out.OriginIndex, kind, name)
	} else if out.Generator != "" {
		k.Generator = open(out.Generator)
	}
	for _, p := range out.Patches {
		k.Patches = append(k.Patches, NewPatch(p, open(p.File)))
	}
	return k
}

func identity(m map[string]any) (kind, name string) {
	kind, _ = m["kind"].(string)
	if md, ok := m["metadata"].(map[string]any); ok {
		name, _ = md["name"].(string)
	}
	return kind, name
}

// Locate finds where the field at path of the built resource was written; atKey asks for the key of
// the field rather than its value (for findings about the key itself, such as an unknown field).
//
// The sources are tried in this order:
//
//   - Patches, the last applied first: the last one whose value at the path equals the built value
//     (for a mapping or list: equals it, or replaced it whole: a JSON patch operation, a list that a
//     strategic merge replaces, $patch: replace) set it.
//   - The origin, when its value at the path equals the built value.
//   - A value that no source holds as built (kustomize changed it afterwards): for a scalar, the last
//     patch that sets it, else the origin's; for a mapping or list, the origin's, else the first patch
//     that has it, since that patch created what the later ones merged into.
//   - The origin's nearest existing parent (a field kustomize added, such as a namespace or a common
//     label, or one that only a patch we could not match sets), else the generator's entry in the
//     kustomization for a generated resource.
//
// The fields by which a strategic merge patch names what it patches are never the patch's: the
// resource's kind and metadata.name are the origin's, and a list item's merge key (a container's name)
// is the origin's when it has the item, else the first patch's that has it (the one that added it).
//
// A path that the built resource does not have (a finding about a missing field) resolves to the
// patch that deleted it (null, $patch: delete, a remove operation), else to the place of its nearest
// existing parent, found as above. Lists are walked by merge key (containers by name, ports by
// containerPort, volumeMounts by mountPath...) in the origin and in strategic merge patches, since
// patches insert items, and by index otherwise. Locate never fails: when nothing is known it returns
// a Location with an empty File.
func (k *Kustomized) Locate(path manifest.Path, atKey bool) Location {
	if k == nil || k.Built == nil {
		return Location{}
	}
	views := k.views()
	n := depthIn(k.Built, path)
	if n < len(path) {
		if loc, ok := deletion(views, k.Built, path[:n+1]); ok {
			return loc
		}
		loc := k.find(views, path[:n], false)
		loc.Exact = false
		return loc
	}
	return k.find(views, path, atKey)
}

// view is one strategic merge patch document, or one operation of a JSON 6902 patch.
type view struct {
	patch *PatchSource
	tree  *manifest.Tree
	op    int // index of the operation; -1 for a strategic merge patch
}

// views lists what each patch may have done to the resource, in the order it was done.
func (k *Kustomized) views() []view {
	kind, name := identity(k.Built)
	ids := []string{name}
	if k.Origin != nil {
		kind = k.Origin.kind
		ids = append(ids, k.Origin.name)
	}
	var out []view
	for _, p := range k.Patches {
		if p == nil {
			continue
		}
		var objects []*manifest.Tree
		for _, t := range p.trees {
			switch v := t.Value.(type) {
			case []any:
				for i := range v {
					out = append(out, view{patch: p, tree: t, op: i})
				}
			case map[string]any:
				objects = append(objects, t)
			}
		}
		for _, t := range objects {
			// One partial object is the patch itself (it may name no resource when a target selects it);
			// among several, those naming this resource.
			if len(objects) == 1 || appliesTo(t.Value.(map[string]any), kind, ids) {
				out = append(out, view{patch: p, tree: t, op: -1})
			}
		}
	}
	return out
}

// appliesTo reports whether a strategic merge patch document names the resource (or names nothing).
func appliesTo(m map[string]any, kind string, names []string) bool {
	if k, ok := m["kind"].(string); ok && k != "" && k != kind {
		return false
	}
	md, _ := m["metadata"].(map[string]any)
	n, ok := md["name"].(string)
	if !ok || n == "" {
		return true
	}
	for _, name := range names {
		if n == name {
			return true
		}
	}
	return false
}

// hit is what one source holds at a path.
type hit struct {
	held  bool // the source has a value at the path
	equal bool // that value equals the built one
	whole bool // the source wrote the value whole rather than merging into it
	ident bool // the value only names the list item a strategic merge patch merges into
	at    place
}

// place is a path in one source's tree; its position is resolved only for the hit that is chosen.
type place struct {
	file  string
	patch *PatchSource // nil for the origin
	tree  *manifest.Tree
	path  manifest.Path
	atKey bool
}

func (h hit) location() Location {
	var pos manifest.Position
	switch {
	case h.at.patch != nil:
		pos = h.at.patch.position(h.at.tree, h.at.path, h.at.atKey)
	case h.at.atKey:
		pos = h.at.tree.KeyPosition(h.at.path)
	default:
		pos = h.at.tree.Position(h.at.path)
	}
	return Location{File: h.at.file, Pos: pos, Exact: h.equal}
}

// find locates a path that the built resource has.
func (k *Kustomized) find(views []view, path manifest.Path, atKey bool) Location {
	bv, _ := manifest.Get(k.Built, path)
	_, isMap := bv.(map[string]any)
	_, isList := bv.([]any)
	collection := isMap || isList
	hits := make([]hit, len(views))
	for i, v := range views {
		hits[i] = v.hold(k.Built, path, bv, atKey)
	}
	for i := len(hits) - 1; i >= 0; i-- {
		if h := hits[i]; h.held && !h.ident && (h.equal || collection && h.whole) {
			return h.location()
		}
	}
	var o hit
	var parent manifest.Path
	if k.Origin != nil {
		o, parent = k.Origin.hold(k.Built, path, bv, atKey)
		if o.held && o.equal {
			return o.location()
		}
	}
	if collection {
		if o.held {
			return o.location()
		}
		for _, h := range hits {
			if h.held {
				return inexact(h.location())
			}
		}
	} else {
		for i := len(hits) - 1; i >= 0; i-- {
			if hits[i].held && !hits[i].ident {
				return inexact(hits[i].location())
			}
		}
		if o.held {
			return o.location()
		}
		// A name that only patches spell: the first one wrote the item it names.
		for _, h := range hits {
			if h.held {
				return h.location()
			}
		}
	}
	if k.Origin != nil {
		return Location{File: k.Origin.file, Pos: k.Origin.tree.Position(parent)}
	}
	if k.Generator != nil {
		return generatorEntry(k.Generator, k.Built)
	}
	return Location{}
}

func inexact(l Location) Location {
	l.Exact = false
	return l
}

// hold looks the path up in the origin; parent is the deepest path of the origin's tree reached.
func (o *Origin) hold(built map[string]any, path manifest.Path, bv any, atKey bool) (hit, manifest.Path) {
	src, depth, _ := follow(built, o.value, path, false)
	full := o.base.Append(src...)
	if depth < len(path) {
		return hit{}, full
	}
	sv, _ := manifest.Get(o.value, src)
	return hit{held: true, equal: same(sv, bv, false), at: place{file: o.file, tree: o.tree, path: full, atKey: atKey}}, full
}

// hold looks the path up in one patch document or operation.
func (v view) hold(built map[string]any, path manifest.Path, bv any, atKey bool) hit {
	if v.op >= 0 {
		return v.holdOp(built, path, bv, atKey)
	}
	if names(path) {
		return hit{}
	}
	src, depth, whole := follow(built, v.tree.Value, path, true)
	if depth < len(path) {
		return hit{}
	}
	sv, _ := manifest.Get(v.tree.Value, src)
	if deletes(sv) {
		return hit{}
	}
	return hit{held: true, equal: same(sv, bv, true), whole: whole, ident: keys(built, path), at: v.place(src, atKey)}
}

// names reports whether path is a field by which a strategic merge patch names the resource it
// patches: apiVersion, kind, metadata.name and metadata.namespace. A patch never sets them.
func names(path manifest.Path) bool {
	switch {
	case len(path) == 1:
		return path[0] == "apiVersion" || path[0] == "kind"
	case len(path) == 2 && path[0] == "metadata":
		return path[1] == "name" || path[1] == "namespace"
	}
	return false
}

// keys reports whether path is a field by which a strategic merge patch names a list item it merges
// into: its merge key (a container's name), and the protocol of a port.
func keys(built map[string]any, path manifest.Path) bool {
	n := len(path)
	if n < 3 || !isIndex(path[n-2]) {
		return false
	}
	item, _ := manifest.Get(built, path[:n-1])
	m, _ := item.(map[string]any)
	key := mergeKey(path[n-3], m)
	return key != "" && (key == path[n-1] || path[n-1] == "protocol" && (key == "containerPort" || key == "port"))
}

// holdOp looks the path up in a JSON 6902 operation: an add or replace whose path is the field's or
// one of its parents' holds the field inside its value; a move or copy holds it without a value to
// compare. Indexes in the operation's path are those of the list at the time; they are compared with
// the built list as they are, and a list item's merge key, when it has one, must agree.
func (v view) holdOp(built map[string]any, path manifest.Path, bv any, atKey bool) hit {
	ops, _ := v.tree.Value.([]any)
	if v.op >= len(ops) {
		return hit{}
	}
	op, _ := ops[v.op].(map[string]any)
	kind, _ := op["op"].(string)
	ptr, ok := op["path"].(string)
	if !ok {
		return hit{}
	}
	p := manifest.ParsePointer(ptr)
	if len(p) > len(path) {
		return hit{}
	}
	for i, seg := range p {
		if seg != path[i] && !(seg == "-" && i == len(p)-1 && isIndex(path[i])) {
			return hit{}
		}
	}
	opPath := manifest.Path{strconv.Itoa(v.op)}
	switch kind {
	case "move", "copy":
		return hit{held: true, whole: true, at: v.place(opPath.Append("path"), false)}
	case "add", "replace":
	default:
		return hit{}
	}
	value, ok := op["value"]
	if !ok {
		return hit{}
	}
	target, _ := manifest.Get(built, path[:len(p)])
	if len(p) > 0 && isIndex(path[len(p)-1]) {
		// The operation wrote a list item: check that it is the built item at that index.
		field := ""
		if len(p) > 1 {
			field = path[len(p)-2]
		}
		if !sameItem(field, target, value, p[len(p)-1] == "-") {
			return hit{}
		}
	}
	rem := path[len(p):]
	src, depth, _ := follow(target, value, rem, false)
	if depth < len(rem) {
		return hit{}
	}
	sv, _ := manifest.Get(value, src)
	at := v.place(opPath.Append("value").Append(src...), atKey)
	if len(rem) == 0 && atKey {
		at = v.place(opPath.Append("path"), false) // the key of the field is the end of the op's path
	}
	return hit{held: true, equal: same(sv, bv, false), whole: true, at: at}
}

func (v view) place(path manifest.Path, atKey bool) place {
	return place{file: v.patch.file, patch: v.patch, tree: v.tree, path: path, atKey: atKey}
}

// sameItem reports whether a value an operation wrote at an index of a list is the built item there:
// same merge key when the list has one; for an append without one, the same value.
func sameItem(field string, built, written any, appended bool) bool {
	bm, ok := built.(map[string]any)
	wm, ok2 := written.(map[string]any)
	if ok && ok2 {
		if key := mergeKey(field, bm); key != "" {
			return keyMatches(key, bm, wm)
		}
	}
	return !appended || same(written, built, false)
}

// deletion finds the patch that removed the last field of path, which the built resource lacks
// while it has its parent.
func deletion(views []view, built map[string]any, path manifest.Path) (Location, bool) {
	parent := path[:len(path)-1]
	last := path[len(path)-1]
	if pv, _ := manifest.Get(built, parent); !isMap(pv) {
		return Location{}, false
	}
	for i := len(views) - 1; i >= 0; i-- {
		v := views[i]
		if v.op >= 0 {
			ops, _ := v.tree.Value.([]any)
			op, _ := ops[v.op].(map[string]any)
			kind, _ := op["op"].(string)
			ptr, _ := op["path"].(string)
			if kind == "remove" && equalPath(manifest.ParsePointer(ptr), path) {
				opPath := manifest.Path{strconv.Itoa(v.op), "path"}
				return Location{File: v.patch.file, Pos: v.patch.position(v.tree, opPath, false)}, true
			}
			continue
		}
		src, depth, _ := follow(built, v.tree.Value, parent, true)
		if depth < len(parent) {
			continue
		}
		m, _ := manifest.Get(v.tree.Value, src)
		if mm, ok := m.(map[string]any); ok {
			if val, ok := mm[last]; ok && deletes(val) {
				return Location{File: v.patch.file, Pos: v.patch.position(v.tree, src.Append(last), true)}, true
			}
		}
	}
	return Location{}, false
}

func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

func equalPath(a, b manifest.Path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// deletes reports whether a strategic merge patch value deletes what it is merged into.
func deletes(v any) bool {
	if v == nil {
		return true
	}
	m, ok := v.(map[string]any)
	return ok && m["$patch"] == "delete"
}

// replaces reports whether a strategic merge patch value replaces what it is merged into.
func replaces(v any) bool {
	switch c := v.(type) {
	case map[string]any:
		return c["$patch"] == "replace"
	case []any:
		for _, it := range c {
			if m, ok := it.(map[string]any); ok && m["$patch"] == "replace" {
				return true
			}
		}
	}
	return false
}

// depthIn counts how many segments of path the value has.
func depthIn(v any, path manifest.Path) int {
	for i, seg := range path {
		next, ok := manifest.Get(v, manifest.Path{seg})
		if !ok {
			return i
		}
		v = next
	}
	return len(path)
}

func isIndex(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// follow walks src along a path of built, matching list items by merge key where the list has one
// and by index otherwise. It returns the path of the deepest value reached in src and how many
// segments of path that covers. For a strategic merge patch (smp), whole reports that a value on the
// way replaces what it is merged into: $patch: replace, or a list that is replaced rather than merged
// (a list of scalars, or of objects without a merge key).
func follow(built, src any, path manifest.Path, smp bool) (srcPath manifest.Path, depth int, whole bool) {
	b, s := built, src
	srcPath = make(manifest.Path, 0, len(path))
	for i, seg := range path {
		if smp && replaces(s) {
			whole = true
		}
		switch bc := b.(type) {
		case map[string]any:
			sc, ok := s.(map[string]any)
			if !ok {
				return srcPath, depth, whole
			}
			sv, ok := sc[seg]
			if !ok {
				return srcPath, depth, whole
			}
			b, s = bc[seg], sv
			srcPath = append(srcPath, seg)
		case []any:
			sc, ok := s.([]any)
			if !ok || !isIndex(seg) {
				return srcPath, depth, whole
			}
			idx, _ := strconv.Atoi(seg)
			if idx >= len(bc) {
				return srcPath, depth, whole
			}
			field := ""
			if i > 0 {
				field = path[i-1]
			}
			j := -1
			bm, _ := bc[idx].(map[string]any)
			if key := mergeKey(field, bm); key != "" {
				for n, it := range sc {
					if m, ok := it.(map[string]any); ok && keyMatches(key, bm, m) {
						j = n
						break
					}
				}
			} else {
				if smp {
					whole = true // the patch's list replaced the built one
				}
				if idx < len(sc) {
					j = idx
				}
			}
			if j < 0 {
				return srcPath, depth, whole
			}
			b, s = bc[idx], sc[j]
			srcPath = append(srcPath, strconv.Itoa(j))
		default:
			return srcPath, depth, whole
		}
		depth = i + 1
	}
	if smp && (replaces(s) || atomic(path, b)) {
		whole = true
	}
	return srcPath, depth, whole
}

// atomic reports whether the built value at path is a list that a strategic merge patch replaces
// rather than merges: a list of scalars, or of objects without a merge key.
func atomic(path manifest.Path, v any) bool {
	l, ok := v.([]any)
	if !ok {
		return false
	}
	if len(l) == 0 || len(path) == 0 {
		return true
	}
	m, _ := l[0].(map[string]any)
	return mergeKey(path[len(path)-1], m) == ""
}

// mergeKeys are the keys by which Kubernetes merges lists of objects, by the list's field name; the
// first key the built item has is used (ports of containers merge by containerPort, of services by
// port).
var mergeKeys = map[string][]string{
	"containers":                {"name"},
	"initContainers":            {"name"},
	"ephemeralContainers":       {"name"},
	"volumes":                   {"name"},
	"env":                       {"name"},
	"imagePullSecrets":          {"name"},
	"resourceClaims":            {"name"},
	"schedulingGates":           {"name"},
	"ports":                     {"containerPort", "port"},
	"volumeMounts":              {"mountPath"},
	"volumeDevices":             {"devicePath"},
	"hostAliases":               {"ip"},
	"topologySpreadConstraints": {"topologyKey"},
	"resizePolicy":              {"resourceName"},
	"ownerReferences":           {"uid"},
	"conditions":                {"type"},
}

func mergeKey(field string, item map[string]any) string {
	for _, k := range mergeKeys[field] {
		if _, ok := item[k]; ok {
			return k
		}
	}
	return ""
}

// keyMatches compares two list items by merge key; ports also by protocol when the source names one
// (the same port number may be open for TCP and UDP).
func keyMatches(key string, built, src map[string]any) bool {
	if !same(src[key], built[key], false) {
		return false
	}
	if key == "containerPort" || key == "port" {
		if sp, ok := src["protocol"]; ok {
			bp, ok := built["protocol"]
			if !ok {
				bp = "TCP"
			}
			return sp == bp
		}
	}
	return true
}

// same reports whether a source value equals a built value. Numbers compare by value (80 and 80.0);
// for a strategic merge patch (smp), directive keys ($patch, $setElementOrder/..., $retainKeys) and
// directive-only list items are not part of the value.
func same(src, built any, smp bool) bool {
	switch s := src.(type) {
	case map[string]any:
		b, ok := built.(map[string]any)
		if !ok {
			return false
		}
		n := 0
		for k, v := range s {
			if smp && strings.HasPrefix(k, "$") {
				continue
			}
			bv, ok := b[k]
			if !ok || !same(v, bv, smp) {
				return false
			}
			n++
		}
		return n == len(b)
	case []any:
		b, ok := built.([]any)
		if !ok {
			return false
		}
		j := 0
		for _, v := range s {
			if smp && directiveOnly(v) {
				continue
			}
			if j >= len(b) || !same(v, b[j], smp) {
				return false
			}
			j++
		}
		return j == len(b)
	case nil:
		return built == nil
	case string:
		b, ok := built.(string)
		return ok && s == b
	case bool:
		b, ok := built.(bool)
		return ok && s == b
	}
	x, ok1 := number(src)
	y, ok2 := number(built)
	if ok1 && ok2 {
		if xi, ok := src.(int64); ok {
			if yi, ok := built.(int64); ok {
				return xi == yi
			}
		}
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	}
	return false
}

func directiveOnly(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return false
	}
	for k := range m {
		if !strings.HasPrefix(k, "$") {
			return false
		}
	}
	return true
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case float64:
		return n, true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

// generators are the kustomization fields whose entries make resources of a kind.
var generators = map[string]string{"ConfigMap": "configMapGenerator", "Secret": "secretGenerator"}

// generatorEntry points at the generator entry that made a resource: the name of the
// configMapGenerator or secretGenerator entry whose name the built name carries (it may have a
// prefix, a suffix and a content hash), else the generator field, else the file's first line.
func generatorEntry(f *File, built map[string]any) Location {
	loc := Location{File: f.Name, Pos: manifest.Position{Line: 1, Column: 1}}
	kind, name := identity(built)
	field, ok := generators[kind]
	if !ok {
		return loc
	}
	for _, t := range f.stream.Trees {
		m, ok := t.Value.(map[string]any)
		if !ok {
			continue
		}
		entries, ok := m[field].([]any)
		if !ok {
			continue
		}
		best, bestLen := -1, 0
		for i, e := range entries {
			em, _ := e.(map[string]any)
			n, _ := em["name"].(string)
			if n != "" && strings.Contains(name, n) && len(n) > bestLen {
				best, bestLen = i, len(n)
			}
		}
		if best >= 0 {
			loc.Pos = t.Position(manifest.Path{field, strconv.Itoa(best), "name"})
		} else {
			loc.Pos = t.Position(manifest.Path{field})
		}
		return loc
	}
	return loc
}
