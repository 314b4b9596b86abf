// Package validate checks pod-bearing objects against the embedded Kubernetes JSON Schema and explains
// each violation in words a manifest author understands. It is the only package that knows which JSON
// Schema library does the work.
package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/schema"
)

// Options configure a Validator.
type Options struct {
	// StrictKinds reports an object of a kind without a schema as a violation instead of skipping it.
	StrictKinds bool
}

// Violation is one way an object breaks the schema.
type Violation struct {
	// Path is the offending value, or for a missing field the object that lacks it.
	Path manifest.Path
	// AtKey places the violation on the key at Path (an unknown field) rather than on its value.
	AtKey   bool
	Message string
	// Fix is the one right correction, when there is one (see Fix).
	Fix *Fix
}

// Fix corrects a violation. Exactly one of its fields is set.
type Fix struct {
	// Key renames the unknown field at the violation's Path to this known field (a misspelling with
	// a single close suggestion).
	Key string
	// Value is what the value at Path must be: a string (an allowed value in its right case, or the
	// text of an unquoted YAML 1.1 boolean or number where a string belongs) or an int64 (a quoted
	// integer where an integer belongs).
	Value any
}

// Validator validates documents. It is safe for use from several goroutines; each kind's schema is
// compiled the first time an object of that kind is validated, so a run pays only for what it sees.
type Validator struct {
	opts  Options
	cat   *catalog
	err   error
	kinds map[string]*kindSchema
}

// kindSchema is the compiled schema of one kind, built once on first use.
type kindSchema struct {
	once   sync.Once
	schema *gojsonschema.Schema
	err    error
}

// New returns a Validator over the embedded schema.
func New(opts Options) *Validator {
	cat, err := embedded()
	return newValidator(cat, err, opts)
}

func newValidator(cat *catalog, err error, opts Options) *Validator {
	v := &Validator{opts: opts, cat: cat, err: err, kinds: map[string]*kindSchema{}}
	if cat != nil {
		for k := range cat.kinds {
			v.kinds[k] = &kindSchema{}
		}
	}
	return v
}

// Kinds lists the kinds the schema covers, sorted.
func (v *Validator) Kinds() []string {
	if v.cat == nil {
		return nil
	}
	return v.cat.kindNames()
}

// Validate checks one document. skipped is true when the schema has no definition for the
// document's kind (and StrictKinds is off), and for a strategic merge patch, which is partial by
// design. An error means the embedded schema itself is broken.
func (v *Validator) Validate(doc *manifest.Document) (violations []Violation, skipped bool, err error) {
	if v.err != nil {
		return nil, false, v.err
	}
	obj := doc.Object
	info, ok := v.cat.kinds[obj.Kind]
	// A kind is known by its group as well as its name. At another of Kubernetes' own groups it is
	// the same kind at the wrong apiVersion (extensions/v1beta1 Deployment), reported below; in a
	// custom resource's group it is another kind of the same name (OpenKruise's StatefulSet in
	// apps.kruise.io), which the schema does not describe.
	custom := ok && !manifest.IsKubernetesGroup(manifest.APIGroup(obj.APIVersion))
	if !ok || custom {
		if !v.opts.StrictKinds {
			return nil, true, nil
		}
		msg := fmt.Sprintf("no schema for kind %q (%s): podlint validates %s", obj.Kind, obj.APIVersion, strings.Join(v.cat.kindNames(), ", "))
		if custom {
			msg = fmt.Sprintf("no schema for kind %q (%s): podlint validates Kubernetes' %s (%s), not a custom resource of that name",
				obj.Kind, obj.APIVersion, obj.Kind, info.APIVersion)
		}
		return []Violation{{Path: manifest.Path{"kind"}, Message: msg}}, false, nil
	}
	if obj.APIVersion != info.APIVersion {
		return []Violation{{Path: manifest.Path{"apiVersion"}, Message: fmt.Sprintf(
			"Kubernetes %s serves %s as %s, not %q", v.cat.minorVersion(), obj.Kind, info.APIVersion, obj.APIVersion)}}, false, nil
	}
	s, err := v.compiled(obj.Kind)
	if err != nil {
		return nil, false, err
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(toJSON(doc.Value)))
	if err != nil {
		return nil, false, fmt.Errorf("validate %s: %w", obj.Kind, err)
	}
	if res.Valid() {
		return nil, false, nil
	}
	if isPatch(doc.Value) {
		return nil, true, nil
	}
	return explain(v.cat, info.Definition, doc, res.Errors()), false, nil
}

// compiled returns the kind's schema, compiling it on first use.
func (v *Validator) compiled(kind string) (*gojsonschema.Schema, error) {
	ks := v.kinds[kind]
	ks.once.Do(func() { ks.schema, ks.err = compile(v.cat, kind) })
	return ks.schema, ks.err
}

// compile builds the schema of one kind from the definitions it reaches, not the whole catalog.
func compile(cat *catalog, kind string) (*gojsonschema.Schema, error) {
	info := cat.kinds[kind]
	defs := map[string]any{}
	var visit func(name string)
	visit = func(name string) {
		if _, seen := defs[name]; seen {
			return
		}
		defs[name] = forLibrary(cat.defs[name])
		for _, r := range cat.refs[name] {
			visit(r)
		}
	}
	visit(info.Definition)
	// The definitions go under a key that is not a keyword: the library parses everything under
	// "definitions" up front and then each definition again where a $ref reaches it.
	root := map[string]any{
		"$schema":   "http://json-schema.org/draft-04/schema#",
		"$ref":      libraryRefPrefix + info.Definition,
		libraryDefs: defs,
	}
	s, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewRawLoader(root))
	if err != nil {
		return nil, fmt.Errorf("compile the schema of %s: %w", kind, err)
	}
	return s, nil
}

// Where compile puts the definitions for the library.
const (
	libraryDefs      = "defs"
	libraryRefPrefix = "#/" + libraryDefs + "/"
)

// forLibrary copies a schema node for the library, pointing its references at libraryDefs and
// turning each list of allowed strings into the
// equivalent anchored pattern: the library checks an enum by encoding and decoding the value as
// JSON, a pattern with one regular expression match, several times faster. Messages still come
// from the enum in the catalog.
func forLibrary(n any) any {
	switch x := n.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = forLibrary(e)
		}
		if ref, ok := x["$ref"].(string); ok {
			out["$ref"] = libraryRefPrefix + strings.TrimPrefix(ref, "#/definitions/")
		}
		if vals, ok := x["enum"].([]any); ok {
			alts := make([]string, 0, len(vals))
			for _, v := range vals {
				s, isString := v.(string)
				if !isString {
					return out // not a string enum: keep it as it is
				}
				alts = append(alts, regexp.QuoteMeta(s))
			}
			delete(out, "enum")
			out["pattern"] = "^(?:" + strings.Join(alts, "|") + ")$"
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = forLibrary(e)
		}
		return out
	}
	return n
}

// catalog is the embedded schema, parsed once and shared, read-only, by every Validator.
type catalog struct {
	version string
	kinds   map[string]kindInfo
	defs    map[string]any      // definition name -> schema
	refs    map[string][]string // definition name -> names it references
}

// kindInfo says where a kind lives.
type kindInfo struct {
	APIVersion string `json:"apiVersion"`
	Definition string `json:"definition"`
}

var embedded = sync.OnceValues(func() (*catalog, error) {
	return parseCatalog(schema.JSON, schema.KubernetesVersion())
})

// parseCatalog reads a schema document as written by schema/gen.
func parseCatalog(data []byte, version string) (*catalog, error) {
	var doc struct {
		Kinds       map[string]kindInfo `json:"kinds"`
		Definitions map[string]any      `json:"definitions"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // the library compares numbers as json.Number
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("read the embedded schema: %w", err)
	}
	c := &catalog{version: version, kinds: doc.Kinds, defs: doc.Definitions, refs: map[string][]string{}}
	for name, d := range c.defs {
		var refs []string
		var walk func(any)
		walk = func(n any) {
			switch x := n.(type) {
			case map[string]any:
				for k, e := range x {
					if s, ok := e.(string); ok && k == "$ref" {
						refs = append(refs, strings.TrimPrefix(s, "#/definitions/"))
					} else {
						walk(e)
					}
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(d)
		for _, r := range refs {
			if _, ok := c.defs[r]; !ok {
				return nil, fmt.Errorf("read the embedded schema: %s refers to missing definition %s", name, r)
			}
		}
		sort.Strings(refs)
		c.refs[name] = refs
	}
	for k, info := range c.kinds {
		if _, ok := c.defs[info.Definition]; !ok {
			return nil, fmt.Errorf("read the embedded schema: kind %s has no definition %s", k, info.Definition)
		}
	}
	return c, nil
}

func (c *catalog) kindNames() []string {
	names := make([]string, 0, len(c.kinds))
	for k := range c.kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// minorVersion shortens v1.37.2 to 1.37, as people name Kubernetes releases.
func (c *catalog) minorVersion() string {
	v := strings.TrimPrefix(c.version, "v")
	if parts := strings.SplitN(v, ".", 3); len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// isPatch reports whether a document is a strategic merge patch (as kustomize applies them): it
// carries patch directives such as `$patch: delete`, which no object has. Only checked for documents
// that fail validation, since a directive is always an unknown field.
func isPatch(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "$patch" || k == "$retainKeys" || strings.HasPrefix(k, "$setElementOrder/") ||
				strings.HasPrefix(k, "$deleteFromPrimitiveList/") || isPatch(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if isPatch(e) {
				return true
			}
		}
	}
	return false
}
