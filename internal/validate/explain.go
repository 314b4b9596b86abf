package validate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"

	"github.com/podlint/podlint/internal/manifest"
)

// Definitions whose values get a message of their own.
const (
	quantitySuffix    = "resource.Quantity"
	intOrStringSuffix = "intstr.IntOrString"
)

// maxListed is how many allowed values a message lists; longer lists get a suggestion instead.
const maxListed = 8

// explain turns the library's errors into violations with plain-language messages. For a failed
// anyOf/oneOf the library also reports why each alternative failed; only the one summary is kept.
func explain(cat *catalog, root string, doc *manifest.Document, errs []gojsonschema.ResultError) []Violation {
	type located struct {
		path manifest.Path
		err  gojsonschema.ResultError
	}
	all := make([]located, 0, len(errs))
	var alternatives []manifest.Path
	for _, e := range errs {
		l := located{path: contextPath(e.Context()), err: e}
		all = append(all, l)
		switch e.(type) {
		case *gojsonschema.NumberAnyOfError, *gojsonschema.NumberOneOfError:
			alternatives = append(alternatives, l.path)
		}
	}
	seen := map[string]bool{}
	var out []Violation
	for _, l := range all {
		if insideAlternative(l.err, l.path, alternatives) {
			continue
		}
		v := describe(cat, root, doc, l.path, l.err)
		key := v.Path.Pointer() + "\x00" + v.Message
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Path.Pointer(), out[j].Path.Pointer()
		if a != b {
			return a < b
		}
		return out[i].Message < out[j].Message
	})
	return out
}

// insideAlternative reports whether an error only explains why one alternative of an anyOf/oneOf
// failed: it sits at or below a failed anyOf/oneOf and is not that summary error itself.
func insideAlternative(e gojsonschema.ResultError, p manifest.Path, alternatives []manifest.Path) bool {
	switch e.(type) {
	case *gojsonschema.NumberAnyOfError, *gojsonschema.NumberOneOfError:
		return false
	}
	for _, a := range alternatives {
		if hasPrefix(p, a) {
			return true
		}
	}
	return false
}

func hasPrefix(p, prefix manifest.Path) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}

// contextPath turns the library's context ("(root)", then keys and indexes) into a document path.
// A separator that cannot occur in YAML keys keeps keys with dots ("app.kubernetes.io/name") whole.
func contextPath(c *gojsonschema.JsonContext) manifest.Path {
	if c == nil {
		return manifest.Path{}
	}
	parts := strings.Split(c.String("\x00"), "\x00")
	return manifest.Path(parts[1:])
}

// describe writes the message for one error.
func describe(cat *catalog, root string, doc *manifest.Document, p manifest.Path, e gojsonschema.ResultError) Violation {
	kind := doc.Object.Kind
	switch e.(type) {
	case *gojsonschema.AdditionalPropertyNotAllowedError:
		key, _ := e.Details()["property"].(string)
		msg := fmt.Sprintf("unknown field %q in %s", key, where(doc, p))
		var fix *Fix
		if node, _ := cat.resolve(root, p); node != nil {
			names := propertyNames(node)
			if s := suggest(key, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			if s, only := onlySuggestion(key, names); only && !hasKey(doc, p, s) {
				fix = &Fix{Key: s}
			}
		}
		return Violation{Path: p.Append(key), AtKey: true, Message: msg, Fix: fix}
	case *gojsonschema.RequiredError:
		key, _ := e.Details()["property"].(string)
		return Violation{Path: p, Message: fmt.Sprintf("missing required field %q in %s", key, where(doc, p))}
	}

	value, ok := manifest.Get(doc.Value, p)
	if !ok {
		value = e.Value()
	}
	node, def := cat.resolve(root, p)
	name := fieldName(p, kind)
	var msg string
	var fix *Fix
	switch e.(type) {
	case *gojsonschema.InvalidTypeError, *gojsonschema.NumberAnyOfError, *gojsonschema.NumberOneOfError:
		want := expectation(cat, node, def)
		_, isType := e.(*gojsonschema.InvalidTypeError)
		if want == "" || (!isType && alternativeOfType(cat, node, value)) {
			// The value has the type of one alternative but fails it for another reason.
			msg = fmt.Sprintf("%s does not match any of its allowed forms, got %s", name, given(value))
			break
		}
		msg = fmt.Sprintf("%s must be %s, got %s%s", name, want, given(value), hint(node, def, value))
		if _, isType := e.(*gojsonschema.InvalidTypeError); isType {
			fix = typeFix(doc, p, node, def, value)
		}
	case *gojsonschema.EnumError, *gojsonschema.DoesNotMatchPatternError:
		allowed := enumValues(node)
		if len(allowed) == 0 {
			if strings.HasSuffix(def, quantitySuffix) {
				msg = fmt.Sprintf("%s must be a quantity such as 500m, 1Gi or 0.5, got %s", name, given(value))
			} else {
				msg = fmt.Sprintf("%s does not have the expected form, got %s", name, given(value))
			}
			break
		}
		s, _ := value.(string)
		if len(allowed) <= maxListed {
			msg = fmt.Sprintf("%s must be one of %s, got %q", name, strings.Join(allowed, ", "), s)
		} else {
			msg = fmt.Sprintf("%s must be one of %d known values, got %q", name, len(allowed), s)
		}
		if sug := suggest(s, allowed); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		if right, ok := caseOnly(s, allowed); ok {
			fix = &Fix{Value: right}
		}
	case *gojsonschema.DoesNotMatchFormatError:
		if f, _ := e.Details()["format"].(string); f == "date-time" {
			msg = fmt.Sprintf("%s must be a date and time such as 2024-05-01T12:00:00Z, got %s", name, given(value))
		} else {
			msg = fmt.Sprintf("%s must be in %s format, got %s", name, f, given(value))
		}
	default:
		msg = fmt.Sprintf("%s: %s", name, e.Description())
	}
	return Violation{Path: p, Message: msg, Fix: fix}
}

// hasKey reports whether the mapping at p already has the field key (a rename to it would repeat it).
func hasKey(doc *manifest.Document, p manifest.Path, key string) bool {
	v, _ := manifest.Get(doc.Value, p)
	m, ok := v.(map[string]any)
	if !ok {
		return true // not a mapping: nothing to rename safely
	}
	_, has := m[key]
	return has
}

// caseOnly finds the allowed value that s spells in another case (tcp for TCP), when there is
// exactly one.
func caseOnly(s string, allowed []string) (string, bool) {
	found := ""
	for _, a := range allowed {
		if a != s && strings.EqualFold(a, s) {
			if found != "" {
				return "", false
			}
			found = a
		}
	}
	return found, found != ""
}

// typeFix is the fix of a value of the wrong type, where only one reading makes sense: an unquoted
// YAML 1.1 boolean or number where a string belongs becomes the string written (yes stays yes,
// 1.10 keeps its zero), and a quoted integer where an integer belongs loses its quotes.
func typeFix(doc *manifest.Document, p manifest.Path, node map[string]any, def string, value any) *Fix {
	if node == nil || strings.HasSuffix(def, quantitySuffix) || strings.HasSuffix(def, intOrStringSuffix) {
		return nil
	}
	want, _ := node["type"].(string)
	switch v := value.(type) {
	case bool, int64, float64:
		if want != "string" {
			return nil
		}
		if text, ok := doc.PlainText(p); ok {
			return &Fix{Value: text}
		}
	case string:
		if want != "integer" {
			return nil
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && strconv.FormatInt(n, 10) == v {
			return &Fix{Value: n}
		}
	}
	return nil
}

// alternativeOfType reports whether one of the anyOf/oneOf alternatives of node takes values of v's type.
func alternativeOfType(cat *catalog, node map[string]any, v any) bool {
	for _, key := range []string{"anyOf", "oneOf"} {
		alts, _ := node[key].([]any)
		for _, a := range alts {
			am, _ := a.(map[string]any)
			am, _ = cat.deref(am)
			if t, ok := am["type"].(string); ok && hasType(t, v) {
				return true
			}
		}
	}
	return false
}

// hasType reports whether v is of JSON Schema type t.
func hasType(t string, v any) bool {
	switch x := v.(type) {
	case map[string]any:
		return t == "object"
	case []any:
		return t == "array"
	case string:
		return t == "string"
	case bool:
		return t == "boolean"
	case int64:
		return t == "integer" || t == "number"
	case float64:
		return t == "number" || (t == "integer" && x == float64(int64(x)))
	case nil:
		return t == "null"
	}
	return false
}

// expectation says in words which values a schema node takes.
func expectation(cat *catalog, node map[string]any, def string) string {
	if node == nil {
		return ""
	}
	switch {
	case strings.HasSuffix(def, quantitySuffix):
		return "a quantity (a number, or a string such as 500m or 1Gi)"
	case strings.HasSuffix(def, intOrStringSuffix):
		return "an integer or a string"
	}
	var types []string
	switch t := node["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				types = append(types, s)
			}
		}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		alts, _ := node[key].([]any)
		for _, a := range alts {
			am, _ := a.(map[string]any)
			am, _ = cat.deref(am)
			w := expectation(cat, am, "")
			if w == "" {
				return ""
			}
			types = append(types, w)
		}
	}
	if len(types) == 0 {
		return ""
	}
	words := make([]string, len(types))
	for i, t := range types {
		words[i] = typeWord(t)
	}
	return joinOr(words)
}

func typeWord(t string) string {
	switch t {
	case "integer":
		return "an integer"
	case "number":
		return "a number"
	case "string":
		return "a string"
	case "boolean":
		return "true or false"
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "null":
		return "null"
	}
	return t // already in words (a nested alternative)
}

func joinOr(words []string) string {
	switch len(words) {
	case 1:
		return words[0]
	case 2:
		return words[0] + " or " + words[1]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// hint points at the YAML trap behind a type error, when there is one.
func hint(node map[string]any, def string, value any) string {
	if node == nil || strings.HasSuffix(def, quantitySuffix) || strings.HasSuffix(def, intOrStringSuffix) {
		return ""
	}
	want, _ := node["type"].(string)
	switch v := value.(type) {
	case bool:
		if want == "string" {
			return " (quote it: YAML reads unquoted yes, no, on, off, true and false as booleans)"
		}
	case int64, float64:
		if want == "string" {
			return " (quote it: YAML reads it as a number)"
		}
	case string:
		if want == "integer" {
			if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				return " (remove the quotes)"
			}
		}
		if want == "boolean" && (v == "true" || v == "false") {
			return " (remove the quotes)"
		}
	}
	return ""
}

// given renders a value for a message: its type and, for scalars, the value itself.
func given(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 60 {
			x = x[:57] + "..."
		}
		return fmt.Sprintf("string %q", x)
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case int64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("%v", v)
}

// enumValues lists a node's allowed values, leaving out the empty string that stands for "unset".
func enumValues(node map[string]any) []string {
	vals, _ := node["enum"].([]any)
	var out []string
	for _, v := range vals {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func propertyNames(node map[string]any) []string {
	props, _ := node["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// fieldName names the value at p for a message: its key, or its list and index ("args[0]").
func fieldName(p manifest.Path, kind string) string {
	if len(p) == 0 {
		return "the " + kind
	}
	last := p[len(p)-1]
	if isIndex(last) && len(p) > 1 {
		return p[len(p)-2] + "[" + last + "]"
	}
	return last
}

// namedItems are the lists whose items a reader knows by name.
var namedItems = map[string]string{
	"containers":          "container",
	"initContainers":      "init container",
	"ephemeralContainers": "ephemeral container",
	"volumes":             "volume",
	"volumeMounts":        "volume mount",
	"volumeDevices":       "volume device",
	"env":                 "env var",
	"ports":               "port",
	"resourceClaims":      "resource claim",
}

// where names the object at p for a message: `container "web"`, `securityContext of container
// "web"`, `spec.template.spec`, or the object itself at the top.
func where(doc *manifest.Document, p manifest.Path) string {
	if len(p) == 0 {
		return "the " + doc.Object.Kind
	}
	// Find the innermost named item at or above p, and the one that holds it.
	var names []string
	rest := len(p) // p[rest:] is the part below the innermost named item
	for i := len(p); i >= 2 && len(names) < 2; i-- {
		noun, ok := namedItems[p[i-2]]
		if !ok || !isIndex(p[i-1]) {
			continue
		}
		item := itemName(doc, p[:i], noun)
		if item == "" {
			continue // an item without a name is written as list[index] under its holder
		}
		if len(names) == 0 {
			rest = i
		}
		names = append(names, item)
		i-- // the list key itself cannot be an item
	}
	switch {
	case len(names) == 0:
		return dotted(p)
	case rest == len(p):
		return strings.Join(names, " of ")
	}
	return dotted(p[rest:]) + " of " + strings.Join(names, " of ")
}

// itemName is `container "web"`, or "" when the item has no name to show.
func itemName(doc *manifest.Document, p manifest.Path, noun string) string {
	v, _ := manifest.Get(doc.Value, p)
	m, _ := v.(map[string]any)
	if name, ok := m["name"].(string); ok && name != "" {
		return fmt.Sprintf("%s %q", noun, name)
	}
	if noun == "port" {
		if n, ok := m["containerPort"].(int64); ok {
			return fmt.Sprintf("port %d", n)
		}
	}
	return ""
}

// dotted writes a path the way people write field paths: spec.containers[0].ports.
func dotted(p manifest.Path) string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case isIndex(s):
			b.WriteString("[" + s + "]")
		case i > 0:
			b.WriteString("." + s)
		default:
			b.WriteString(s)
		}
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// resolve finds the schema node that describes the value at p, and the name of the definition it
// came from ("" when it is inline). The generated schema has no alternatives, so each path leads to
// exactly one node.
func (c *catalog) resolve(def string, p manifest.Path) (map[string]any, string) {
	node, name := c.deref(map[string]any{"$ref": "#/definitions/" + def})
	for _, seg := range p {
		if node == nil {
			return nil, ""
		}
		var next map[string]any
		if props, ok := node["properties"].(map[string]any); ok {
			next, _ = props[seg].(map[string]any)
		} else if items, ok := node["items"].(map[string]any); ok && isIndex(seg) {
			next = items
		} else if ap, ok := node["additionalProperties"].(map[string]any); ok {
			next = ap
		}
		node, name = c.deref(next)
	}
	return node, name
}

// deref follows $ref links to the definition they name.
func (c *catalog) deref(node map[string]any) (map[string]any, string) {
	name := ""
	for i := 0; node != nil && i < 32; i++ {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node, name
		}
		name = strings.TrimPrefix(ref, "#/definitions/")
		node, _ = c.defs[name].(map[string]any)
	}
	return node, name
}
