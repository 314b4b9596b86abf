// Package config reads .podlint.yaml: which rules run, at which severity, with which parameters,
// which paths are excluded, which policy folders are added, the default fail level, and which
// custom resources carry pods.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	yaml "go.yaml.in/yaml/v4"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/safefile"
)

// FileName is the configuration file podlint looks for.
const FileName = ".podlint.yaml"

// MaxFileSize is the largest configuration file podlint reads.
const MaxFileSize = 1 << 20

// Severity values a rule may be set to; "off" disables it.
var severities = []string{"error", "warning", "info", "off"}

// Config is the content of a configuration file.
type Config struct {
	// Path is the file it was read from; empty for the defaults.
	Path string `yaml:"-" json:"-"`
	// FailLevel is the lowest severity that makes podlint exit 1.
	FailLevel string `yaml:"failLevel,omitempty" json:"failLevel,omitempty"`
	// Exclude holds glob patterns (with **) of paths not to lint, relative to the config's folder.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// Policies are folders of Rego policies to load beside the built-in rules, relative to the
	// config's folder.
	Policies []string `yaml:"policies,omitempty" json:"policies,omitempty"`
	// Rules configures rules by id.
	Rules map[string]Rule `yaml:"rules,omitempty" json:"rules,omitempty"`
	// FailIfNoObjects makes a run that finds no Kubernetes object an error (exit 2).
	FailIfNoObjects bool `yaml:"failIfNoObjects,omitempty" json:"failIfNoObjects,omitempty"`
	// Helm configures how charts are rendered.
	Helm *Helm `yaml:"helm,omitempty" json:"helm,omitempty"`
	// PodKinds are custom resources that carry a pod, added to the built-in table.
	PodKinds []PodKind `yaml:"podKinds,omitempty" json:"podKinds,omitempty"`
	// Baseline is a baseline file of accepted findings (--baseline), relative to the config's folder.
	Baseline string `yaml:"baseline,omitempty" json:"baseline,omitempty"`

	// ruleLines remembers where each rule id was written, for errors found after loading.
	ruleLines map[string][2]int
	// filePolicies counts the entries of Policies that came from the file (resolved against its folder).
	filePolicies int
	// kinds is the table of pod-bearing kinds with PodKinds added, made once the file is read.
	kinds *manifest.PodKinds
}

// PodKind is a custom resource that carries a pod: where its pod template is, and whether its pods
// run to completion.
type PodKind struct {
	// Group is the API group, the apiVersion without its version ("" for the core group).
	Group string `yaml:"group" json:"group"`
	Kind  string `yaml:"kind" json:"kind"`
	// Template is the dotted path of the pod template, the mapping that holds the pod's metadata
	// and spec ("spec.template"); "." for an object that is itself the pod.
	Template string `yaml:"template" json:"template"`
	// Completes is true when the pods run to completion, like a Job's.
	Completes bool `yaml:"completes,omitempty" json:"completes,omitempty"`
}

// Rule configures one rule.
type Rule struct {
	// Severity overrides the rule's own: error, warning, info, or off.
	Severity string `yaml:"severity,omitempty" json:"severity,omitempty"`
	// Params are handed to the rule (built-in rules read them through OPA data).
	Params map[string]any `yaml:"params,omitempty" json:"params,omitempty"`
}

// Error is a problem in a configuration file, at a line.
type Error struct {
	Path   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// Find looks for .podlint.yaml in dir and its parents, stopping at the repository root (the folder
// holding .git) so that a file outside the repository never changes how it is linted.
func Find(dir string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, FileName)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, true
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Load reads and checks a configuration file. Unknown keys, wrong types and bad values are errors
// with their line. Rule ids are checked later, with CheckRules, once the policies the file adds are
// loaded and every rule id is known.
func Load(path string) (*Config, error) {
	if path == os.DevNull {
		return Parse(path, nil) // the usual way to say "no configuration", though not a regular file
	}
	data, err := safefile.ReadFile(path, MaxFileSize)
	if err != nil {
		var tl *safefile.TooLargeError
		if errors.As(err, &tl) {
			return nil, fmt.Errorf("read config %s: %v (a configuration file is at most %d bytes)", path, err, MaxFileSize)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse is Load for a configuration already in memory.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{Path: path, ruleLines: map[string][2]int{}}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil // an empty file is the defaults
		}
		var le *yaml.LoadError
		if errors.As(err, &le) {
			return nil, &Error{Path: path, Line: le.Mark.Line, Column: le.Mark.Column, Msg: "YAML does not parse: " + le.Message}
		}
		return nil, &Error{Path: path, Msg: err.Error()}
	}
	p := &parser{path: path}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return c, nil
	}
	if err := p.mapping(doc, "the configuration", func(key *yaml.Node, val *yaml.Node) error {
		switch key.Value {
		case "failLevel":
			s, err := p.enum(val, "failLevel", severities[:3])
			c.FailLevel = s
			return err
		case "exclude":
			list, err := p.strings(val, "exclude")
			for i, g := range list {
				if !doublestar.ValidatePattern(g) {
					return p.errorf(val.Content[i], "exclude: %q is not a valid glob pattern", g)
				}
			}
			c.Exclude = list
			return err
		case "policies":
			list, err := p.strings(val, "policies")
			c.Policies = list
			c.filePolicies = len(list)
			return err
		case "rules":
			c.Rules = map[string]Rule{}
			return p.mapping(val, "rules", func(k, v *yaml.Node) error {
				c.ruleLines[k.Value] = [2]int{k.Line, k.Column}
				r, err := p.rule(k.Value, v)
				c.Rules[k.Value] = r
				return err
			})
		case "failIfNoObjects":
			b, err := p.boolean(val, "failIfNoObjects")
			c.FailIfNoObjects = b
			return err
		case "helm":
			h, err := p.helm(val, "helm", true)
			c.Helm = h
			return err
		case "podKinds":
			kinds, err := p.podKinds(val)
			c.PodKinds = kinds
			return err
		case "baseline":
			s, err := p.scalar(val, "baseline")
			if err == nil && s == "" {
				err = p.errorf(val, "baseline: name a file, or leave the key out")
			}
			c.Baseline = s
			return err
		}
		return p.errorf(key, "unknown key %q (want failLevel, exclude, policies, rules, podKinds, failIfNoObjects, helm or baseline)", key.Value)
	}); err != nil {
		return nil, err
	}
	if dec.Decode(&yaml.Node{}) == nil {
		return nil, &Error{Path: path, Msg: "holds more than one YAML document; write one"}
	}
	if len(c.PodKinds) > 0 {
		kinds, err := manifest.NewPodKinds(podKindsOf(c.PodKinds))
		if err != nil { // podKinds checks each entry with its line first
			return nil, &Error{Path: path, Msg: "podKinds: " + err.Error()}
		}
		c.kinds = kinds
	}
	return c, nil
}

type parser struct{ path string }

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{Path: p.path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "empty"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (p *parser) mapping(n *yaml.Node, what string, each func(k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping, got %s", what, kind(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k, "keys of %s must be strings", what)
		}
		if seen[k.Value] {
			return p.errorf(k, "%q is set twice in %s", k.Value, what)
		}
		seen[k.Value] = true
		if err := each(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) enum(n *yaml.Node, what string, allowed []string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, "%s must be one of %s, got %s", what, strings.Join(allowed, ", "), kind(n))
	}
	v := n.Value
	if n.Tag == "!!bool" && (v == "off" || v == "Off" || v == "OFF") {
		v = "off"
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", p.errorf(n, "%s must be one of %s, got %q", what, strings.Join(allowed, ", "), n.Value)
}

func (p *parser) strings(n *yaml.Node, what string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s must be a list of strings, got %s", what, kind(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
			return nil, p.errorf(c, "%s must be a list of strings, got %s in it", what, kind(c))
		}
		out = append(out, c.Value)
	}
	return out, nil
}

// rule reads a rule's entry: either a severity (`hostname-pinning: off`) or a mapping with severity
// and params.
func (p *parser) rule(id string, n *yaml.Node) (Rule, error) {
	var r Rule
	if n.Kind == yaml.ScalarNode {
		s, err := p.enum(n, "rules."+id, severities)
		r.Severity = s
		return r, err
	}
	err := p.mapping(n, "rules."+id, func(k, v *yaml.Node) error {
		switch k.Value {
		case "severity":
			s, err := p.enum(v, "rules."+id+".severity", severities)
			r.Severity = s
			return err
		case "params":
			if v.Kind != yaml.MappingNode {
				return p.errorf(v, "rules.%s.params must be a mapping, got %s", id, kind(v))
			}
			var params map[string]any
			if err := v.Decode(&params); err != nil {
				return p.errorf(v, "rules.%s.params: %v", id, err)
			}
			if check, ok := paramCheckers[id]; ok {
				if err := check(p, v); err != nil {
					return err
				}
			}
			r.Params = params
			return nil
		}
		return p.errorf(k, "unknown key %q in rules.%s (want severity or params)", k.Value, id)
	})
	return r, err
}

// paramCheckers validate the parameters of built-in rules, so that a typo is an error with a line
// instead of a rule that silently keeps its defaults.
var paramCheckers = map[string]func(p *parser, params *yaml.Node) error{
	"required-labels": func(p *parser, params *yaml.Node) error {
		return p.mapping(params, "rules.required-labels.params", func(k, v *yaml.Node) error {
			if k.Value != "labels" {
				return p.errorf(k, "unknown parameter %q of required-labels (want labels)", k.Value)
			}
			return p.mapping(v, "rules.required-labels.params.labels", func(lk, lv *yaml.Node) error {
				_, err := p.strings(lv, fmt.Sprintf("allowed values of label %q", lk.Value))
				return err
			})
		})
	},
	"signal-unsafe-entrypoint": stringLists("signal-unsafe-entrypoint", "ash_images", "ash_tags", "dash_images"),
	"multi-tier-pod":           stringLists("multi-tier-pod", "databases", "helpers"),
	"selector-matches-nothing": stringLists("selector-matches-nothing", "inert_groups"),
}

// stringLists checks the parameters of a rule whose parameters are lists of strings (image
// patterns), each optional.
func stringLists(id string, names ...string) func(p *parser, params *yaml.Node) error {
	return func(p *parser, params *yaml.Node) error {
		return p.mapping(params, "rules."+id+".params", func(k, v *yaml.Node) error {
			if !slices.Contains(names, k.Value) {
				return p.errorf(k, "unknown parameter %q of %s (want %s)", k.Value, id, strings.Join(names, ", "))
			}
			_, err := p.strings(v, fmt.Sprintf("rules.%s.params.%s", id, k.Value))
			return err
		})
	}
}

var (
	groupPattern   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	versionPattern = regexp.MustCompile(`^v[0-9]+((alpha|beta)[0-9]+)?$`)
	kindPattern    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
	fieldPattern   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// podKinds reads the list of custom resources that carry a pod. Each entry names group, kind and
// template, and may set completes.
func (p *parser) podKinds(n *yaml.Node) ([]PodKind, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "podKinds must be a list of mappings (group, kind, template, completes), got %s", kind(n))
	}
	var out []PodKind
	first := map[string]int{} // Kind.group -> line of its first entry
	for i, e := range n.Content {
		what := fmt.Sprintf("podKinds[%d]", i)
		var k PodKind
		var kindNode *yaml.Node
		set := map[string]bool{}
		err := p.mapping(e, what, func(key, v *yaml.Node) error {
			set[key.Value] = true
			switch key.Value {
			case "group":
				if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
					return p.errorf(v, "%s.group is empty; write \"\" for the core group (apiVersion v1)", what)
				}
				g, err := p.scalar(v, what+".group")
				if err != nil {
					return err
				}
				switch {
				case strings.Contains(g, "/"):
					return p.errorf(v, "%s.group: %q is an apiVersion; the group is the part before the slash (%s)", what, g, manifest.APIGroup(g))
				case versionPattern.MatchString(g):
					return p.errorf(v, "%s.group: %q is a version; write the group without it (\"\" for the core group of apiVersion v1)", what, g)
				case g != "" && !groupPattern.MatchString(g):
					return p.errorf(v, "%s.group: %q is not an API group (a lowercase DNS name such as argoproj.io)", what, g)
				}
				k.Group = g
			case "kind":
				s, err := p.scalar(v, what+".kind")
				if err != nil {
					return err
				}
				if !kindPattern.MatchString(s) {
					return p.errorf(v, "%s.kind: %q is not a kind (a name such as Rollout, as the manifests write it)", what, s)
				}
				k.Kind, kindNode = s, v
			case "template":
				s, err := p.scalar(v, what+".template")
				if err != nil {
					return err
				}
				if _, err := templatePath(s); err != nil {
					return p.errorf(v, "%s.template: %v", what, err)
				}
				k.Template = s
			case "completes":
				if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
					return p.errorf(v, "%s.completes must be true or false, got %s", what, kind(v))
				}
				k.Completes = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
			default:
				return p.errorf(key, "unknown key %q in %s (want group, kind, template or completes)", key.Value, what)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, req := range []string{"group", "kind", "template"} {
			if !set[req] {
				return nil, p.errorf(e, "%s has no %s (each entry needs group, kind and template)", what, req)
			}
		}
		if manifest.IsKubernetesPodKind(k.Group, k.Kind) {
			return nil, p.errorf(kindNode, "%s: %s in group %q is Kubernetes' own kind, whose pod podlint knows", what, k.Kind, k.Group)
		}
		name := manifest.PodKind{Group: k.Group, Kind: k.Kind}.Name()
		if line, dup := first[name]; dup {
			return nil, p.errorf(e, "%s: %s is listed twice (first at line %d)", what, name, line)
		}
		first[name] = e.Line
		out = append(out, k)
	}
	return out, nil
}

// scalar reads a string value; an empty string is a value, null is not.
func (p *parser) scalar(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, "%s must be a string, got %s", what, kind(n))
	}
	return n.Value, nil
}

// templatePath reads a pod template's path: field names joined by dots, with an optional leading
// dot (.spec.template, as kubectl's JSONPath writes it); "." or "" for the object itself.
func templatePath(s string) (manifest.Path, error) {
	t := strings.TrimPrefix(s, ".")
	if t == "" {
		return nil, nil
	}
	segs := strings.Split(t, ".")
	for _, seg := range segs {
		if !fieldPattern.MatchString(seg) {
			if strings.ContainsAny(seg, "[]*") {
				return nil, fmt.Errorf("%q goes through a list; podlint takes one pod template per object, at a path of field names", s)
			}
			return nil, fmt.Errorf("%q is not a path of field names joined by dots (spec.template)", s)
		}
	}
	if len(segs) > 1 && segs[len(segs)-1] == "spec" {
		return nil, fmt.Errorf("%q is the pod spec; name the template that holds the pod's metadata and spec (%s)", s, strings.Join(segs[:len(segs)-1], "."))
	}
	return manifest.Path(segs), nil
}

// podKindsOf turns the configuration's entries into the table's.
func podKindsOf(kinds []PodKind) []manifest.PodKind {
	out := make([]manifest.PodKind, 0, len(kinds))
	for _, k := range kinds {
		path, _ := templatePath(k.Template) // checked when read
		out = append(out, manifest.PodKind{Group: k.Group, Kind: k.Kind, Template: path, Completes: k.Completes})
	}
	return out
}

// PodKindTable returns the table of pod-bearing kinds: the built-in one with the file's podKinds
// added. It is made once, when the file is read, so every part of a run shares one table; nil
// stands for the built-in table.
func (c *Config) PodKindTable() *manifest.PodKinds {
	if c == nil {
		return nil
	}
	return c.kinds
}

// CheckRules rejects rule ids that do not exist, pointing at the line that names them.
func (c *Config) CheckRules(known func(string) bool) error {
	for _, id := range c.RuleIDs() {
		if pos, inFile := c.ruleLines[id]; inFile && !known(id) {
			return &Error{Path: c.Path, Line: pos[0], Column: pos[1], Msg: fmt.Sprintf("unknown rule %q (podlint rules lists them)", id)}
		}
	}
	return nil
}

// Severity returns the configured severity of a rule ("" when not configured).
func (c *Config) Severity(id string) string {
	if c == nil {
		return ""
	}
	return c.Rules[id].Severity
}

// Params returns every rule's parameters, by rule id, for the policy engine.
func (c *Config) Params() map[string]map[string]any {
	out := map[string]map[string]any{}
	if c == nil {
		return out
	}
	for id, r := range c.Rules {
		if r.Params != nil {
			out[id] = r.Params
		}
	}
	return out
}

// SetRule changes a rule's severity, as --enable and --disable do.
func (c *Config) SetRule(id, severity string) {
	if c.Rules == nil {
		c.Rules = map[string]Rule{}
	}
	r := c.Rules[id]
	r.Severity = severity
	c.Rules[id] = r
}

// Dir is the folder relative paths in the file are resolved against.
func (c *Config) Dir() string {
	if c.Path == "" {
		return "."
	}
	return filepath.Dir(c.Path)
}

// Excluded reports whether path matches an exclude pattern. Patterns are relative to the config's
// folder; the path is tried as given and relative to that folder.
func (c *Config) Excluded(path string) bool {
	if c == nil || len(c.Exclude) == 0 {
		return false
	}
	candidates := []string{filepath.ToSlash(filepath.Clean(path))}
	if abs, err := filepath.Abs(path); err == nil {
		if base, err := filepath.Abs(c.Dir()); err == nil {
			if rel, err := filepath.Rel(base, abs); err == nil && !strings.HasPrefix(rel, "..") {
				candidates = append(candidates, filepath.ToSlash(rel))
			}
		}
	}
	for _, g := range c.Exclude {
		for _, p := range candidates {
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
		}
	}
	return false
}

// PolicyDirs returns the policy folders: the file's, relative to the file's folder, then those added
// by flags, as given.
func (c *Config) PolicyDirs() []string {
	var out []string
	for i, d := range c.Policies {
		if i < c.filePolicies && !filepath.IsAbs(d) {
			d = filepath.Join(c.Dir(), d)
		}
		out = append(out, d)
	}
	return out
}

// BaselinePath is the configured baseline file resolved against the configuration's folder, or "".
func (c *Config) BaselinePath() string {
	if c.Baseline == "" || filepath.IsAbs(c.Baseline) || c.Path == "" {
		return c.Baseline
	}
	return filepath.Join(c.Dir(), c.Baseline)
}

// AddPolicies appends policy folders given on the command line (relative to the current folder).
func (c *Config) AddPolicies(dirs ...string) {
	if c.filePolicies == 0 && len(c.Policies) > 0 && c.Path != "" {
		c.filePolicies = len(c.Policies)
	}
	c.Policies = append(c.Policies, dirs...)
}

// RuleIDs lists the configured rule ids, sorted.
func (c *Config) RuleIDs() []string {
	var ids []string
	for id := range c.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
