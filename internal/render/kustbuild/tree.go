package kustbuild

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/safefile"
)

// kustomizationNames are the names kustomize looks for in a folder, in its order.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// findKustomization returns the kustomization file of dir ("" when there is none).
func findKustomization(dir string) string {
	for _, n := range kustomizationNames {
		p := filepath.Join(dir, n)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// kust is one kustomization of the tree a build reads: the top one, a local base, a component.
type kust struct {
	dir  string // absolute
	file string // absolute path of the kustomization file
	root *yaml.Node
	// namespace is the kustomization's namespace field.
	namespace string
	// bases are the local folders of resources (and of the old bases field), in order.
	bases []*kust
	// components are the local components, in order.
	components []*kust
	// files are the resource files, absolute.
	files []string
	// patches are the kustomization's own patches in the order kustomize applies them: the
	// patchesStrategicMerge, then patches, then patchesJson6902.
	patches []*patchDecl
	// entries are the kustomization's references to other files and folders, with their lines, to
	// place a build error.
	entries []entry

	subtree map[string]bool // memo of scope
}

// entry is a reference from a kustomization to a file or folder.
type entry struct {
	value string
	line  int
}

// scanner reads the tree of kustomizations a build will read, before kustomize does: to refuse
// remote references, and to learn which patches each kustomization declares.
type scanner struct {
	byDir    map[string]*kust
	problems []render.Problem
	// name turns an absolute path into the name podlint knows it by.
	name func(abs string) string
}

// scan reads the kustomization in dir (absolute) and, recursively, its local bases and components.
// It returns nil when dir has no kustomization file or it does not parse: kustomize then says why.
func (s *scanner) scan(dir string) *kust {
	if k, ok := s.byDir[dir]; ok {
		return k // already read (or being read: a cycle, which kustomize reports)
	}
	file := findKustomization(dir)
	if file == "" {
		s.byDir[dir] = nil
		return nil
	}
	b, err := safefile.ReadFile(file, manifest.MaxFileSize)
	if err != nil {
		s.byDir[dir] = nil
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		s.byDir[dir] = nil
		return nil
	}
	k := &kust{dir: dir, file: file, root: doc.Content[0]}
	s.byDir[dir] = k
	if _, v := field(k.root, "namespace"); v != nil && v.Kind == yaml.ScalarNode {
		k.namespace = v.Value
	}

	for _, key := range []string{"helmCharts", "helmChartInflationGenerator", "helmGlobals"} {
		if kn, _ := field(k.root, key); kn != nil {
			s.problem(k, kn.Line, key+" needs the helm binary, which podlint does not run: render the chart as a chart job of its own")
		}
	}

	// Folders and files that kustomize may fetch over the network, and the local folders to follow.
	for _, key := range []string{"resources", "bases", "components"} {
		for _, n := range stringItems(k.root, key) {
			k.entries = append(k.entries, entry{n.Value, n.Line})
			if isRemote(n.Value) {
				what := "remote base"
				if key == "components" {
					what = "remote component"
				}
				s.problem(k, n.Line, fmt.Sprintf("%s %s is not fetched: podlint never uses the network; vendor it", what, n.Value))
				continue
			}
			p := filepath.Join(dir, n.Value)
			st, err := os.Stat(p)
			switch {
			case err != nil:
				// Missing: kustomize reports it.
			case st.IsDir():
				if sub := s.scan(p); sub != nil {
					if key == "components" {
						k.components = append(k.components, sub)
					} else {
						k.bases = append(k.bases, sub)
					}
				}
			default:
				k.files = append(k.files, p)
			}
		}
	}
	for _, ref := range fileRefs(k.root) {
		k.entries = append(k.entries, entry{ref.Value, ref.Line})
		if isRemote(ref.Value) {
			s.problem(k, ref.Line, fmt.Sprintf("remote file %s is not fetched: podlint never uses the network; vendor it", ref.Value))
		}
	}
	k.patches = s.patchDecls(k)
	return k
}

func (s *scanner) problem(k *kust, line int, msg string) {
	s.problems = append(s.problems, render.Problem{File: s.name(k.file), Line: line, Message: msg})
}

// scope is the set of files whose resources a kustomization holds once its own resources, bases and
// components are read: resource files and kustomization files (for what their generators make).
func (k *kust) scope() map[string]bool {
	if k.subtree != nil {
		return k.subtree
	}
	k.subtree = map[string]bool{k.file: true}
	for _, f := range k.files {
		k.subtree[f] = true
	}
	for _, sub := range append(append([]*kust(nil), k.bases...), k.components...) {
		for f := range sub.scope() {
			k.subtree[f] = true
		}
	}
	return k.subtree
}

// all lists k and every kustomization under it, each once, in the order a build reads them.
func (k *kust) all(seen map[*kust]bool) []*kust {
	if seen[k] {
		return nil
	}
	seen[k] = true
	out := []*kust{k}
	for _, b := range k.bases {
		out = append(out, b.all(seen)...)
	}
	for _, c := range k.components {
		out = append(out, c.all(seen)...)
	}
	return out
}

// field returns the key and value nodes of key in a mapping.
func field(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// stringItems returns the string items of the list under key.
func stringItems(m *yaml.Node, key string) []*yaml.Node {
	_, v := field(m, key)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, n := range v.Content {
		if n.Kind == yaml.ScalarNode {
			out = append(out, n)
		}
	}
	return out
}

// fileRefs lists the kustomization's references to files other than resources: patch files,
// generator sources, configurations, CRDs, plugin configs, replacements, the OpenAPI schema. Inline
// values (text with a line break) are not references.
func fileRefs(root *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	add := func(n *yaml.Node) {
		if n != nil && n.Kind == yaml.ScalarNode && n.Value != "" && !strings.Contains(n.Value, "\n") {
			out = append(out, n)
		}
	}
	for _, key := range []string{"crds", "configurations", "generators", "transformers", "validators", "patchesStrategicMerge"} {
		for _, n := range stringItems(root, key) {
			add(n)
		}
	}
	for _, key := range []string{"patches", "patchesJson6902", "replacements"} {
		_, list := field(root, key)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			_, p := field(item, "path")
			add(p)
		}
	}
	_, openapi := field(root, "openapi")
	_, p := field(openapi, "path")
	add(p)
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		_, list := field(root, key)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			for _, fkey := range []string{"files", "envs"} {
				for _, n := range stringItems(item, fkey) {
					// files entries may be key=path.
					if _, after, ok := strings.Cut(n.Value, "="); ok && fkey == "files" {
						c := *n
						c.Value = after
						n = &c
					}
					add(n)
				}
			}
			_, env := field(item, "env")
			add(env)
		}
	}
	return out
}

// scpRE is git's scp-like syntax: user@host:path.
var scpRE = regexp.MustCompile(`^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:`)

// isRemote tells a reference kustomize would fetch with git or HTTP from a local path: a URL with a
// scheme, git's scp-like syntax, go-getter's git:: prefix, a GitHub-style "github.com/org/repo"
// path, or a reference with git query parameters.
func isRemote(ref string) bool {
	s := strings.ToLower(strings.TrimSpace(ref))
	switch {
	case strings.HasPrefix(s, "git::"), strings.Contains(s, "://"), strings.HasPrefix(s, "git@"):
		return true
	case strings.HasPrefix(s, "github.com/"), strings.HasPrefix(s, "github.com:"),
		strings.HasPrefix(s, "gitlab.com/"), strings.HasPrefix(s, "bitbucket.org/"):
		return true
	case strings.Contains(s, "?ref="), strings.Contains(s, "&ref="), strings.Contains(s, "?version="),
		strings.Contains(s, "?submodules="), strings.Contains(s, "?timeout="), strings.Contains(s, "/_git/"):
		return true
	}
	return scpRE.MatchString(ref)
}
