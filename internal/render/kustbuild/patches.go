package kustbuild

import (
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/safefile"
)

// patchDecl is one patch a kustomization declares: a whole patch with a target, or one document of
// a strategic merge patch without one (it patches the object it names).
type patchDecl struct {
	patch render.Patch
	// target is the patch's target; nil for a strategic merge patch, whose own kind and name say what
	// it patches (then object is set).
	target *selector
	object *manifest.Object
}

// selector is a kustomize patch target. Its strings are regular expressions, anchored, as kustomize
// reads them.
type selector struct {
	Group, Version, Kind, Name, Namespace string
	LabelSelector, AnnotationSelector     string
}

// patchDecls reads the patches of a kustomization, in the order kustomize applies them.
func (s *scanner) patchDecls(k *kust) []*patchDecl {
	var out []*patchDecl
	kustName := s.name(k.file)

	// patchesStrategicMerge: files, or inline patches.
	_, psm := field(k.root, "patchesStrategicMerge")
	if psm != nil && psm.Kind == yaml.SequenceNode {
		for _, n := range psm.Content {
			if n.Kind != yaml.ScalarNode {
				continue
			}
			if isInline(n.Value) {
				out = append(out, smpDocs(kustName, inlineLine(n), n.Value, true)...)
				continue
			}
			if text, ok := readPatch(k.dir, n.Value); ok {
				out = append(out, smpDocs(s.name(filepath.Join(k.dir, n.Value)), 0, text, false)...)
			}
		}
	}

	// patches: a strategic merge or JSON 6902 patch, from a file or inline, with or without a target.
	_, patches := field(k.root, "patches")
	if patches != nil && patches.Kind == yaml.SequenceNode {
		for _, item := range patches.Content {
			file, line, text, ok := s.patchText(k, item)
			if !ok {
				continue
			}
			is6902 := isJSON6902(text)
			if _, t := field(item, "target"); t != nil {
				out = append(out, &patchDecl{
					patch:  render.Patch{File: file, Line: line, Text: text, JSON6902: is6902},
					target: readSelector(t),
				})
				continue
			}
			if is6902 {
				continue // kustomize refuses a JSON 6902 patch without a target
			}
			out = append(out, smpDocs(file, line, text, line > 0)...)
		}
	}

	// patchesJson6902: JSON 6902 patches, each with its target.
	_, p6902 := field(k.root, "patchesJson6902")
	if p6902 != nil && p6902.Kind == yaml.SequenceNode {
		for _, item := range p6902.Content {
			file, line, text, ok := s.patchText(k, item)
			if !ok {
				continue
			}
			_, t := field(item, "target")
			out = append(out, &patchDecl{
				patch:  render.Patch{File: file, Line: line, Text: text, JSON6902: true},
				target: readSelector(t),
			})
		}
	}
	return out
}

// patchText reads the patch of an item of patches or patchesJson6902: its path, or its inline
// patch. It returns the file to name, the line of an inline patch, and the text.
func (s *scanner) patchText(k *kust, item *yaml.Node) (file string, line int, text string, ok bool) {
	if _, p := field(item, "path"); p != nil && p.Kind == yaml.ScalarNode && p.Value != "" {
		text, ok := readPatch(k.dir, p.Value)
		return s.name(filepath.Join(k.dir, p.Value)), 0, text, ok
	}
	if _, p := field(item, "patch"); p != nil && p.Kind == yaml.ScalarNode {
		return s.name(k.file), inlineLine(p), p.Value, true
	}
	return "", 0, "", false
}

// readPatch reads a patch file of the kustomization in dir (not a remote one: the build is refused
// before).
func readPatch(dir, rel string) (string, bool) {
	if isRemote(rel) {
		return "", false
	}
	b, err := safefile.ReadFile(filepath.Join(dir, rel), manifest.MaxFileSize)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// isInline tells an inline patch of patchesStrategicMerge from a file name.
func isInline(s string) bool {
	return strings.Contains(s, "\n") || strings.HasPrefix(strings.TrimSpace(s), "{")
}

// inlineLine is the line where the text of an inline patch starts: the line after a block scalar's
// indicator (| or >), else the line of the value itself.
func inlineLine(n *yaml.Node) int {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Line + 1
	}
	return n.Line
}

// isJSON6902 tells a JSON 6902 patch (a list of operations) from a strategic merge patch.
func isJSON6902(text string) bool {
	var doc yaml.Node
	if yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 {
		return false
	}
	return doc.Content[0].Kind == yaml.SequenceNode
}

// smpDocs splits a strategic merge patch into its documents, each patching the object it names. A
// document's Line is where it starts when the text holds several (line is where the text starts in
// file, 0 for a whole file, which then counts from 1). keepLine keeps line for a single document.
func smpDocs(file string, line int, text string, keepLine bool) []*patchDecl {
	f := manifest.Load(file, []byte(text))
	if len(f.Documents) == 0 {
		// Not objects podlint can read: offer the whole patch, matched to nothing in particular.
		return []*patchDecl{{patch: render.Patch{File: file, Line: line, Text: text}, target: &selector{}}}
	}
	base := line
	if base == 0 {
		base = 1
	}
	var out []*patchDecl
	for _, d := range f.Documents {
		if d.Item > 0 {
			continue // a List's items share its document
		}
		p := render.Patch{File: file, Text: text}
		if len(f.Documents) > 1 {
			p.Text = strings.Join(f.Lines[d.Lines.First-1:d.Lines.Last], "\n") + "\n"
			p.Line = base + d.Lines.First - 1
		} else if keepLine {
			p.Line = line
		}
		obj := d.Object
		out = append(out, &patchDecl{patch: p, object: &obj})
	}
	return out
}

// readSelector reads a patch target.
func readSelector(n *yaml.Node) *selector {
	s := &selector{}
	get := func(key string) string {
		if _, v := field(n, key); v != nil && v.Kind == yaml.ScalarNode {
			return v.Value
		}
		return ""
	}
	s.Group, s.Version, s.Kind = get("group"), get("version"), get("kind")
	s.Name, s.Namespace = get("name"), get("namespace")
	s.LabelSelector, s.AnnotationSelector = get("labelSelector"), get("annotationSelector")
	return s
}

// identity is what a patch target can match of a resource: its names and namespaces before and
// after the build (a patch in a base sees the name before an overlay's prefix), its kinds and
// apiVersions, and its labels and annotations after the build.
type identity struct {
	apiVersions []string
	kinds       []string
	names       []string
	namespaces  []string
	labels      map[string]string
	annotations map[string]string
}

// matches tells whether the target may select the resource. Selectors that do not parse select.
func (s *selector) matches(id identity) bool {
	if s.Kind != "" && !anyMatch(s.Kind, id.kinds) {
		return false
	}
	if s.Group != "" || s.Version != "" {
		ok := false
		for _, av := range id.apiVersions {
			g, v, found := strings.Cut(av, "/")
			if !found {
				g, v = "", av
			}
			if (s.Group == "" || match(s.Group, g)) && (s.Version == "" || match(s.Version, v)) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if s.Name != "" && !anyMatch(s.Name, id.names) {
		return false
	}
	if s.Namespace != "" && !anyMatch(s.Namespace, id.namespaces) {
		return false
	}
	if s.LabelSelector != "" {
		if sel, err := labels.Parse(s.LabelSelector); err == nil && !sel.Matches(labels.Set(id.labels)) {
			return false
		}
	}
	if s.AnnotationSelector != "" {
		if sel, err := labels.Parse(s.AnnotationSelector); err == nil && !sel.Matches(labels.Set(id.annotations)) {
			return false
		}
	}
	return true
}

// matchesObject tells whether a strategic merge patch naming obj may patch the resource.
func matchesObject(obj *manifest.Object, id identity) bool {
	if obj.Kind != "" && !contains(id.kinds, obj.Kind) {
		return false
	}
	if obj.Name != "" && !contains(id.names, obj.Name) {
		return false
	}
	if obj.Namespace != "" && !contains(id.namespaces, obj.Namespace) {
		return false
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func anyMatch(pattern string, values []string) bool {
	for _, v := range values {
		if match(pattern, v) {
			return true
		}
	}
	return false
}

// match matches a kustomize selector field, an anchored regular expression (a plain comparison when
// it does not compile).
func match(pattern, value string) bool {
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	if err != nil {
		return pattern == value
	}
	return re.MatchString(value)
}
