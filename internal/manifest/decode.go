package manifest

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v4"
)

// The decoder turns a yaml.v3 node tree into the value kubectl would see. kubectl (through
// sigs.k8s.io/yaml) resolves plain scalars with YAML 1.1 rules, so `yes`, `on` and `off` are booleans
// and `0777` is an octal number; yaml.v3 would read them as YAML 1.2. Resolving here, from the one node
// tree that also gives positions, parses each document once. decode_test.go checks the result against
// sigs.k8s.io/yaml itself.
type decoder struct {
	src      source
	problems []Problem
	// budget bounds the values an alias may expand to, so that a billion-laughs document is refused
	// after a few thousand steps instead of eating memory.
	budget  int
	aliases int
	failed  bool
	// outer is the alias being expanded at the top of the stack: a refused expansion is reported
	// there, where the reader sees the alias, not deep inside the anchored value.
	outer *yaml.Node
	// root is the document's top mapping: a duplicate apiVersion, kind or metadata there is two
	// objects written without a separator.
	root *yaml.Node
	// expanding holds the anchored nodes being expanded, to refuse an anchor that contains itself.
	expanding map[*yaml.Node]bool
}

// maxExpansion is how many values one document may decode to through aliases beyond its own nodes.
const maxExpansion = 100000

func (d *decoder) problem(rule string, n *yaml.Node, format string, args ...any) {
	d.problems = append(d.problems, Problem{Rule: rule, Pos: d.posOf(n), Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) posOf(n *yaml.Node) Position { return d.src.span(n) }

// decode converts n; ok is false when the document cannot be decoded at all (kubectl would refuse it).
func (d *decoder) decode(n *yaml.Node) (v any, ok bool) {
	if d.budget == 0 {
		d.budget = maxExpansion
	}
	d.root = n
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		d.root = n.Content[0]
	}
	v = d.value(n, false)
	return v, !d.failed
}

func (d *decoder) fail(rule string, n *yaml.Node, format string, args ...any) {
	if n == nil {
		n = &yaml.Node{}
	}
	if !d.failed {
		d.problem(rule, n, format, args...)
	}
	d.failed = true
}

func (d *decoder) value(n *yaml.Node, viaAlias bool) any {
	if d.failed {
		return nil
	}
	if viaAlias {
		d.budget--
		if d.budget < 0 {
			d.fail(RuleParseError, d.outer, "aliases expand to more than %d values: refusing a YAML alias bomb", maxExpansion)
			return nil
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return d.value(n.Content[0], viaAlias)
	case yaml.AliasNode:
		if n.Alias == nil {
			d.fail(RuleParseError, n, "unknown anchor %q", n.Value)
			return nil
		}
		d.aliases++
		if d.aliases > maxExpansion {
			d.fail(RuleParseError, n, "more than %d aliases: refusing a YAML alias bomb", maxExpansion)
			return nil
		}
		if !d.enter(n) {
			return nil
		}
		defer d.leave(n)
		return d.value(n.Alias, true)
	case yaml.ScalarNode:
		return d.scalar(n)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = d.value(c, viaAlias)
		}
		return out
	case yaml.MappingNode:
		return d.mapping(n, viaAlias)
	}
	d.fail(RuleParseError, n, "unsupported YAML node")
	return nil
}

func (d *decoder) mapping(n *yaml.Node, viaAlias bool) map[string]any {
	out := make(map[string]any, len(n.Content)/2)
	var seen map[string]*yaml.Node
	if !viaAlias {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			d.merge(v, out, viaAlias)
			continue
		}
		key, ok := d.key(k)
		if !ok {
			return out
		}
		if seen != nil {
			if first, dup := seen[key]; dup {
				msg := fmt.Sprintf("duplicate key %q (first at line %d): only this last value counts", key, first.Line+d.src.off)
				if n == d.root && (key == "apiVersion" || key == "kind" || key == "metadata") {
					msg += "; two objects seem to run together: a --- separator line is probably missing between them"
				}
				d.problems = append(d.problems, Problem{Rule: RuleDuplicateKey, Pos: d.posOf(k), Message: msg,
					Related: []Related{{Pos: d.posOf(first), Message: fmt.Sprintf("the first %q key, whose value is lost", key)}}})
			} else {
				seen[key] = k
			}
		}
		out[key] = d.value(v, viaAlias)
	}
	return out
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "tag:yaml.org,2002:merge")
}

// enter starts expanding an alias; it refuses an alias inside its own anchor, which would expand
// forever.
func (d *decoder) enter(alias *yaml.Node) bool {
	if d.expanding[alias.Alias] {
		d.fail(RuleParseError, alias, "alias *%s is inside its own anchor: it would expand forever", alias.Value)
		return false
	}
	if d.expanding == nil {
		d.expanding = map[*yaml.Node]bool{}
	}
	d.expanding[alias.Alias] = true
	if d.outer == nil {
		d.outer = alias
	}
	return true
}

func (d *decoder) leave(alias *yaml.Node) {
	delete(d.expanding, alias.Alias)
	if d.outer == alias {
		d.outer = nil
	}
}

// merge applies a `<<` merge key the way YAML 1.1 decoders do: keys come from the merged mappings,
// earlier mappings of a list win over later ones, and keys written after the merge win over both.
func (d *decoder) merge(v *yaml.Node, out map[string]any, viaAlias bool) {
	sources := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		sources = sources[:0]
		for i := len(v.Content) - 1; i >= 0; i-- {
			sources = append(sources, v.Content[i])
		}
	}
	for _, src := range sources {
		d.mergeOne(src, out, viaAlias)
		if d.failed {
			return
		}
	}
}

func (d *decoder) mergeOne(n *yaml.Node, out map[string]any, viaAlias bool) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		if !d.enter(n) {
			return
		}
		defer d.leave(n)
		n, viaAlias = n.Alias, true
	}
	if n.Kind != yaml.MappingNode {
		d.fail(RuleParseError, n, "a merge key (<<) needs a mapping or a list of mappings")
		return
	}
	for k, val := range d.mapping(n, viaAlias) {
		out[k] = val
	}
}

// key converts a mapping key the way sigs.k8s.io/yaml does: JSON needs string keys.
func (d *decoder) key(k *yaml.Node) (string, bool) {
	if k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		d.fail(RuleParseError, k, "a mapping key must be a string, not a %s", kindName(k))
		return "", false
	}
	switch v := d.resolveScalar(k).(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		// formatted at 32-bit precision, as sigs.k8s.io/yaml does, so 1e70 overflows to .inf
		s := strconv.FormatFloat(v, 'g', -1, 32)
		switch s {
		case "+Inf":
			s = ".inf"
		case "-Inf":
			s = "-.inf"
		case "NaN":
			s = ".nan"
		}
		return s, true
	case nil:
		d.fail(RuleParseError, k, "a mapping key must be a string, not null")
	default:
		d.fail(RuleParseError, k, "unsupported mapping key %q", k.Value)
	}
	return "", false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "scalar"
}

const (
	tagStr       = "!!str"
	tagBinary    = "!!binary"
	tagNull      = "!!null"
	tagBool      = "!!bool"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagTimestamp = "!!timestamp"
)

// scalar decodes a scalar value; JSON has no NaN or infinity, so kubectl refuses those.
func (d *decoder) scalar(n *yaml.Node) any {
	v := d.resolveScalar(n)
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		d.fail(RuleParseError, n, "%s is not a number JSON can hold, and kubectl refuses it; quote it if it is a string", n.Value)
		return nil
	}
	return v
}

// resolveScalar applies tags and YAML 1.1 resolution to a scalar.
func (d *decoder) resolveScalar(n *yaml.Node) any {
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	explicit := n.Style&yaml.TaggedStyle != 0
	tag := ""
	if explicit {
		tag = shortTag(n.Tag)
	}
	if quoted && !explicit {
		return n.Value
	}
	switch tag {
	case "", tagStr, tagNull, tagBool, tagInt, tagFloat, tagTimestamp:
	case tagBinary:
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Value), ""))
		if err != nil {
			d.fail(RuleParseError, n, "!!binary value is not valid base64")
			return nil
		}
		return string(b)
	default:
		return n.Value // a custom tag: kubectl keeps the text
	}
	if tag == tagStr {
		return n.Value
	}
	rtag, v := resolve11(n.Value)
	if tag != "" && rtag != tag && !(tag == tagFloat && rtag == tagInt) {
		d.fail(RuleParseError, n, "cannot decode %s %q as a %s", rtag, n.Value, tag)
		return nil
	}
	if tag == tagFloat {
		if i, ok := v.(int64); ok {
			v = float64(i)
		}
	}
	if u, ok := v.(uint64); ok {
		return float64(u)
	}
	return v
}

func shortTag(t string) string {
	if strings.HasPrefix(t, "tag:yaml.org,2002:") {
		return "!!" + t[len("tag:yaml.org,2002:"):]
	}
	return t
}

var yaml11Words = map[string]any{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
	"": nil, "~": nil, "null": nil, "Null": nil, "NULL": nil,
	".nan": math.NaN(), ".NaN": math.NaN(), ".NAN": math.NaN(),
	".inf": math.Inf(1), ".Inf": math.Inf(1), ".INF": math.Inf(1),
	"+.inf": math.Inf(1), "+.Inf": math.Inf(1), "+.INF": math.Inf(1),
	"-.inf": math.Inf(-1), "-.Inf": math.Inf(-1), "-.INF": math.Inf(-1),
}

var yaml11Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolve11 resolves a plain scalar with the YAML 1.1 rules of the decoder behind sigs.k8s.io/yaml.
// Timestamps stay strings, as they do there when decoding into an untyped value.
func resolve11(s string) (tag string, v any) {
	if w, ok := yaml11Words[s]; ok {
		switch w.(type) {
		case bool:
			return tagBool, w
		case nil:
			return tagNull, nil
		default:
			return tagFloat, w
		}
	}
	if s == "" {
		return tagStr, s
	}
	switch c := s[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return tagFloat, f
		}
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		if looksLikeTimestamp(s) {
			return tagTimestamp, s
		}
		plain := strings.ReplaceAll(s, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return tagInt, i
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return tagInt, u
		}
		if yaml11Float.MatchString(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return tagFloat, f
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return tagInt, i
			}
			if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return tagInt, u
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return tagInt, i
			}
		}
	}
	return tagStr, s
}

var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// looksLikeTimestamp mirrors the YAML 1.1 timestamp check: four digits, a dash, then a date.
func looksLikeTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, f := range timestampFormats {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}
