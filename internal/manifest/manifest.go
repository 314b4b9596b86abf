// Package manifest loads Kubernetes manifests: it splits YAML and JSON streams into objects, decodes
// their values the way kubectl does, keeps a position for every value, and finds the pods inside.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// MaxFileSize is the largest file podlint reads; manifests are small, and a huge file is a mistake.
const MaxFileSize = 8 << 20

// Rule ids of the problems the loader itself reports.
const (
	RuleParseError     = "parse-error"
	RuleDuplicateKey   = "duplicate-key"
	RuleMissingKind    = "missing-kind"
	RuleUnreadableFile = "unreadable-file"
)

// Problem is a defect in the input itself, found while loading it.
type Problem struct {
	Rule    string
	Message string
	Pos     Position
	// Object is the object the problem belongs to, when it is known.
	Object Object
	// Path is the document path of the offending value, when there is one.
	Path Path
	// Related are the other places the problem involves (the first of two duplicate keys).
	Related []Related
}

// Related is another place a problem involves, and what is there.
type Related struct {
	Pos     Position
	Message string
}

// Object identifies a Kubernetes object.
type Object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}

// String renders the object the way kubectl names it: Kind/namespace/name.
func (o Object) String() string {
	s := o.Kind
	if o.Namespace != "" {
		s += "/" + o.Namespace
	}
	if o.Name != "" {
		s += "/" + o.Name
	}
	return s
}

// Pod locates one pod inside a document: a Pod itself or the pod template of a workload.
type Pod struct {
	// Spec is the path of the pod spec (["spec"] for a Pod).
	Spec Path
	// Metadata is the path of the pod's metadata (["metadata"] for a Pod).
	Metadata Path
}

// Document is one Kubernetes object from a file; items of a List are documents of their own.
type Document struct {
	// File is the name of the file as the user gave it ("-" for standard input).
	File string
	// Index counts the YAML documents of the file from 0; List items share their List's index.
	Index int
	// Item is the position of the object inside its List, or -1.
	Item int
	// Object is the object's apiVersion, kind, namespace and name.
	Object Object
	// Value is the object decoded exactly as kubectl decodes it (map[string]any, []any, string,
	// bool, int64, float64, nil).
	Value map[string]any
	// Pods are the pods the object defines; empty for kinds that carry none.
	Pods []Pod
	// Problems are defects of this object's text that still let it decode (duplicate keys).
	Problems []Problem
	// Template names the Helm template the object was rendered from, when the stream says so with
	// the "# Source: chart/templates/x.yaml" comment that helm template writes above each document.
	Template string

	// Lines is the range of lines of the YAML document the object came from (for a List item, the
	// whole List's document).
	Lines LineRange

	node *yaml.Node // the object's mapping node, for positions
	src  source     // the file's lines and where the document starts in it
	// ordinal counts the YAML documents of the document's chunk (the text between two separator
	// lines) from 0, so that an edited chunk can be parsed again and the same document found.
	ordinal int
}

// LineRange is a range of lines, both ends included, counted from 1.
type LineRange struct{ First, Last int }

// Contains reports whether line falls in the range.
func (r LineRange) Contains(line int) bool { return line >= r.First && line <= r.Last }

// File is everything loaded from one source.
type File struct {
	Name string
	// Lines holds the file's text split into lines (without line breaks), for code frames and
	// comment directives.
	Lines     []string
	Documents []*Document
	Problems  []Problem
	// YAMLDocuments counts the YAML documents of the stream that were not empty.
	YAMLDocuments int
	// Spans are the line ranges of the stream's documents, in order, including those that did not
	// parse: a file-wide suppression comment covers the document it sits in.
	Spans []LineRange
	// NotManifest is true for YAML that is not Kubernetes at all (Helm values, CI configuration,
	// docker-compose files, settings): no document is meant as an object. Such a file has no
	// documents and no problems; the run counts it and moves on.
	NotManifest bool

	meant      bool      // some document is meant as a Kubernetes object
	chunkStart int       // YAMLDocuments when the chunk being loaded started
	template   string    // the "# Source:" comment of the chunk being loaded
	kinds      *PodKinds // where each kind of object keeps its pod
	cols       *columns  // column index of long lines, shared by the documents
}

// Load reads one source. It never fails: whatever is wrong with the input is a Problem of the file.
// Pods are found with the built-in table of pod-bearing kinds (PodKinds.Load takes another).
func Load(name string, data []byte) *File { return loadFile(name, data, builtinPodKinds) }

func loadFile(name string, data []byte, kinds *PodKinds) *File {
	f := &File{Name: name, kinds: kinds, cols: &columns{}}
	lines, finalNewline, problem := readText(data)
	if problem != nil {
		f.Problems = append(f.Problems, *problem)
		return f
	}
	f.Lines = lines
	for _, c := range splitDocuments(f.Lines, finalNewline) {
		f.loadChunk(c)
	}
	if !f.meant {
		f.NotManifest = true
		f.Problems = nil
	}
	return f
}

// readText checks a source and cuts it into lines: size-capped, without a byte-order mark, text
// (no NUL byte, valid UTF-8), CRLF line breaks normalised. It also says whether the text ends with a
// line break. A source that is not text is a problem, with no lines.
func readText(data []byte) (lines []string, finalNewline bool, problem *Problem) {
	if len(data) > MaxFileSize {
		return nil, false, &Problem{Rule: RuleUnreadableFile, Pos: Position{Line: 1, Column: 1},
			Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a manifest", len(data), MaxFileSize)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := offsetPosition(data, i)
		return nil, false, &Problem{Rule: RuleUnreadableFile, Pos: Position{Line: line, Column: col},
			Message: "file is binary, not YAML or JSON text (it contains a NUL byte)"}
	}
	if !utf8.Valid(data) {
		line, col := offsetPosition(data, invalidUTF8Offset(data))
		return nil, false, &Problem{Rule: RuleUnreadableFile, Pos: Position{Line: line, Column: col},
			Message: "file is not UTF-8 text"}
	}
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	text := string(data)
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n"), strings.HasSuffix(text, "\n"), nil
}

// meantAsObject reports whether a decoded document is clearly meant as a Kubernetes object: it has
// apiVersion or kind, or metadata together with spec. A list counts when one of its items does (a
// stream of objects written as one YAML list).
func meantAsObject(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		_, api := v["apiVersion"]
		_, kind := v["kind"]
		_, md := v["metadata"]
		_, spec := v["spec"]
		return api || kind || (md && spec)
	case []any:
		for _, it := range v {
			if m, ok := it.(map[string]any); ok && meantAsObject(m) {
				return true
			}
		}
	}
	return false
}

// textMeantAsObject is meantAsObject for a document that does not parse: a top-level apiVersion or
// kind key (YAML at the start of a line, or quoted as in JSON), so a broken manifest still reports
// its parse error while a broken settings file stays silent.
func textMeantAsObject(text string) bool {
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimLeft(l, " \t-{,")
		for _, k := range []string{"apiVersion", "kind", `"apiVersion"`, `"kind"`} {
			rest, ok := strings.CutPrefix(t, k)
			if !ok {
				continue
			}
			rest = strings.TrimLeft(rest, " \t")
			if !strings.HasPrefix(rest, ":") {
				continue
			}
			if k[0] == '"' || len(l)-len(strings.TrimLeft(l, " \t")) == 0 || strings.HasPrefix(strings.TrimLeft(l, " \t"), "- ") {
				return true
			}
		}
	}
	return false
}

func offsetPosition(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// chunk is the text between two "---" separator lines.
type chunk struct {
	text      string
	firstLine int // 1-based line of the chunk's first line in the file
	lastLine  int
}

// splitDocuments cuts a stream at separator lines the way kubectl's YAML reader does: a line that
// starts with "---" followed only by blanks or a comment. Lines such as "--- |" stay inside the chunk
// and the YAML parser handles them. Each chunk keeps its final line break, which a block scalar at the
// end of a document ("|") includes in its value.
func splitDocuments(lines []string, finalNewline bool) []chunk {
	var chunks []chunk
	start := 0
	for i, l := range lines {
		if isSeparator(l) {
			if i > start {
				chunks = append(chunks, chunk{text: strings.Join(lines[start:i], "\n") + "\n", firstLine: start + 1, lastLine: i})
			}
			start = i + 1
		}
	}
	if start < len(lines) {
		last := strings.Join(lines[start:], "\n")
		if finalNewline {
			last += "\n"
		}
		chunks = append(chunks, chunk{text: last, firstLine: start + 1, lastLine: len(lines)})
	}
	return chunks
}

func isSeparator(l string) bool {
	if !strings.HasPrefix(l, "---") {
		return false
	}
	rest := strings.TrimSpace(l[3:])
	return rest == "" || rest[0] == '#'
}

func (f *File) loadChunk(c chunk) {
	if strings.TrimSpace(c.text) == "" {
		return
	}
	f.Spans = append(f.Spans, LineRange{c.firstLine, c.lastLine})
	f.template = sourceComment(c.text)
	f.chunkStart = f.YAMLDocuments
	if p := eachDocument(c, f.Lines, f.cols, func(node *yaml.Node, src source) {
		f.addDocument(node, LineRange{c.firstLine, c.lastLine}, src)
	}); p != nil {
		f.Problems = append(f.Problems, *p)
		if !f.meant && textMeantAsObject(c.text) {
			f.meant = true
		}
	}
}

// eachDocument parses the YAML documents of a chunk and hands each one that is not empty to fn, with
// where it sits in the file. A syntax error ends the chunk and is returned as a problem.
func eachDocument(c chunk, lines []string, cols *columns, fn func(node *yaml.Node, src source)) *Problem {
	if looksLikeJSON(c.text) {
		if node, ok := parseJSON(c.text); ok {
			if node.Kind != yaml.ScalarNode {
				fn(node, source{lines: lines, off: c.firstLine - 1, cols: cols})
			}
			return nil
		}
	}
	dec := yaml.NewDecoder(strings.NewReader(c.text))
	for {
		var root yaml.Node
		if err := dec.Decode(&root); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			p := parseProblem(err, c, lines)
			return &p
		}
		if root.Kind == 0 {
			return nil // nothing more the decoder can make progress on
		}
		if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
			continue
		}
		node := root.Content[0]
		if node.Kind == yaml.ScalarNode && node.Tag == "!!null" && node.Style&yaml.TaggedStyle == 0 {
			continue // an empty document, or one holding only comments
		}
		fn(node, source{lines: lines, off: c.firstLine - 1, cols: cols})
	}
}

// addDocument decodes one parsed YAML document into objects.
func (f *File) addDocument(node *yaml.Node, lines LineRange, src source) {
	index := f.YAMLDocuments
	f.YAMLDocuments++
	d := &decoder{src: src}
	value, ok := d.decode(node)
	if ok && meantAsObject(value) {
		f.meant = true
	} else if !ok && !f.meant {
		f.meant = textMeantAsObject(strings.Join(src.lines[lines.First-1:lines.Last], "\n"))
	}
	if !ok {
		f.Problems = append(f.Problems, d.problems...)
		return
	}
	obj, isMap := value.(map[string]any)
	if !isMap {
		f.Problems = append(f.Problems, Problem{Rule: RuleMissingKind, Pos: src.start(node),
			Message: fmt.Sprintf("document is a %s, not a Kubernetes object", describe(value))})
		return
	}
	doc := &Document{File: f.Name, Index: index, Item: -1, Value: obj, Lines: lines, node: resolveAlias(node), src: src, Template: f.template,
		ordinal: index - f.chunkStart}
	if !f.checkKind(doc) {
		f.Problems = append(f.Problems, d.problems...)
		return
	}
	for i := range d.problems {
		d.problems[i].Object = doc.Object
	}
	if isList(doc.Object) {
		f.Problems = append(f.Problems, d.problems...)
		f.expandList(doc)
		return
	}
	doc.Problems = d.problems
	doc.Pods = f.kinds.findPods(doc.Object)
	f.Documents = append(f.Documents, doc)
}

// sourceComment returns the template named by a "# Source: path" comment among the comment lines
// that open a document, as helm template writes them.
func sourceComment(text string) string {
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			return ""
		}
		if name, ok := strings.CutPrefix(t, "# Source: "); ok {
			return strings.TrimSpace(name)
		}
	}
	return ""
}

// checkKind fills in the object's identity and reports a document that lacks apiVersion or kind.
func (f *File) checkKind(doc *Document) bool {
	doc.Object = objectOf(doc.Value)
	var missing []string
	if doc.Object.APIVersion == "" {
		missing = append(missing, "apiVersion")
	}
	if doc.Object.Kind == "" {
		missing = append(missing, "kind")
	}
	if len(missing) == 0 {
		return true
	}
	f.Problems = append(f.Problems, Problem{Rule: RuleMissingKind, Pos: doc.src.start(doc.node), Object: doc.Object,
		Message: fmt.Sprintf("document has no %s: it is not a Kubernetes object", strings.Join(missing, " or "))})
	return false
}

func objectOf(v map[string]any) Object {
	o := Object{APIVersion: str(v["apiVersion"]), Kind: str(v["kind"])}
	if md, ok := v["metadata"].(map[string]any); ok {
		o.Name = str(md["name"])
		if o.Name == "" {
			if g := str(md["generateName"]); g != "" {
				o.Name = g
			}
		}
		o.Namespace = str(md["namespace"])
	}
	return o
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// isList reports whether the object is a List (v1 List or a typed list such as PodList).
func isList(o Object) bool {
	return o.Kind == "List" || (strings.HasSuffix(o.Kind, "List") && o.Kind != "List")
}

func (f *File) expandList(list *Document) {
	items, ok := list.Value["items"].([]any)
	if !ok {
		if list.Value["items"] != nil {
			f.Problems = append(f.Problems, Problem{Rule: RuleMissingKind, Pos: list.Position(Path{"items"}),
				Object: list.Object, Path: Path{"items"}, Message: fmt.Sprintf("%s items must be a list", list.Object.Kind)})
		}
		return
	}
	itemsNode := lookup(list.node, Path{"items"})
	for i, it := range items {
		obj, isMap := it.(map[string]any)
		var n *yaml.Node
		if itemsNode != nil && i < len(itemsNode.Content) {
			n = resolveAlias(itemsNode.Content[i])
		}
		if !isMap || n == nil {
			f.Problems = append(f.Problems, Problem{Rule: RuleMissingKind, Pos: list.Position(Path{"items", fmt.Sprint(i)}),
				Object: list.Object, Message: fmt.Sprintf("item %d of the %s is a %s, not a Kubernetes object", i, list.Object.Kind, describe(it))})
			continue
		}
		doc := &Document{File: f.Name, Index: list.Index, Item: i, Value: obj, Lines: list.Lines, node: n, src: list.src, Template: list.Template,
			ordinal: list.ordinal}
		if !f.checkKind(doc) {
			continue
		}
		doc.Pods = f.kinds.findPods(doc.Object)
		f.Documents = append(f.Documents, doc)
	}
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	case []any:
		return "list"
	case map[string]any:
		return "mapping"
	}
	return fmt.Sprintf("%T", v)
}
