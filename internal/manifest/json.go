package manifest

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// A manifest written as JSON is read by a JSON scanner that builds the same nodes, with the same
// positions, as the YAML parser would. The YAML parser handles JSON too, but its token queue grows
// quadratically on one long flow line, and minified JSON is one line: 8 MB of it took minutes.

// maxJSONDepth bounds nesting; deeper text goes to the YAML parser, which reports its own limit.
const maxJSONDepth = 1000

// parseJSON reads text that is exactly one JSON value (surrounded by white space). ok is false for
// anything else, which the YAML parser then reads and, if it is wrong, explains.
func parseJSON(text string) (node *yaml.Node, ok bool) {
	p := &jsonScanner{s: text, line: 1, col: 1}
	p.space()
	node, ok = p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	return node, p.i == len(p.s)
}

// looksLikeJSON says whether a chunk starts as a JSON object or array does.
func looksLikeJSON(text string) bool {
	t := strings.TrimLeft(text, " \t\n")
	return t != "" && (t[0] == '{' || t[0] == '[')
}

type jsonScanner struct {
	s         string
	i         int
	line, col int // of s[i], counted as the YAML parser does: lines and characters from 1
}

func (p *jsonScanner) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r':
			p.col++
		case '\n':
			p.line++
			p.col = 1
		default:
			return
		}
		p.i++
	}
}

// skip moves past n bytes that hold no line break.
func (p *jsonScanner) skip(n int) {
	p.col += utf8.RuneCountInString(p.s[p.i : p.i+n])
	p.i += n
}

func (p *jsonScanner) at(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

func (p *jsonScanner) node(kind yaml.Kind, tag string) *yaml.Node {
	return &yaml.Node{Kind: kind, Tag: tag, Line: p.line, Column: p.col}
}

func (p *jsonScanner) value(depth int) (*yaml.Node, bool) {
	if p.i >= len(p.s) || depth > maxJSONDepth {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	for _, lit := range [...]struct{ text, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
		if strings.HasPrefix(p.s[p.i:], lit.text) {
			n := p.node(yaml.ScalarNode, lit.tag)
			n.Value = lit.text
			p.skip(len(lit.text))
			return n, true
		}
	}
	return nil, false
}

func (p *jsonScanner) object(depth int) (*yaml.Node, bool) {
	n := p.node(yaml.MappingNode, "!!map")
	n.Style = yaml.FlowStyle
	p.skip(1)
	p.space()
	if p.at('}') {
		p.skip(1)
		return n, true
	}
	for {
		if !p.at('"') {
			return nil, false
		}
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if !p.at(':') {
			return nil, false
		}
		p.skip(1)
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		n.Content = append(n.Content, k, v)
		p.space()
		switch {
		case p.at(','):
			p.skip(1)
			p.space()
		case p.at('}'):
			p.skip(1)
			return n, true
		default:
			return nil, false
		}
	}
}

func (p *jsonScanner) array(depth int) (*yaml.Node, bool) {
	n := p.node(yaml.SequenceNode, "!!seq")
	n.Style = yaml.FlowStyle
	p.skip(1)
	p.space()
	if p.at(']') {
		p.skip(1)
		return n, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		n.Content = append(n.Content, v)
		p.space()
		switch {
		case p.at(','):
			p.skip(1)
			p.space()
		case p.at(']'):
			p.skip(1)
			return n, true
		default:
			return nil, false
		}
	}
}

func (p *jsonScanner) str() (*yaml.Node, bool) {
	n := p.node(yaml.ScalarNode, "!!str")
	n.Style = yaml.DoubleQuotedStyle
	escaped := false
	end := -1
	for j := p.i + 1; j < len(p.s); j++ {
		c := p.s[j]
		if c == '\\' {
			escaped = true
			j++
			continue
		}
		if c == '"' {
			end = j
			break
		}
		if c < 0x20 { // a raw control character, a line break included, is not JSON
			return nil, false
		}
	}
	if end < 0 {
		return nil, false
	}
	raw := p.s[p.i : end+1]
	if escaped {
		var v string
		if json.Unmarshal([]byte(raw), &v) != nil {
			return nil, false
		}
		n.Value = v
	} else {
		n.Value = raw[1 : len(raw)-1]
	}
	p.skip(len(raw))
	return n, true
}

// number reads a JSON number (-?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?) and keeps its text, as
// the YAML parser does for a plain scalar.
func (p *jsonScanner) number() (*yaml.Node, bool) {
	n := p.node(yaml.ScalarNode, "!!int")
	j := p.i
	digits := func() bool {
		start := j
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		return j > start
	}
	if p.s[j] == '-' {
		j++
	}
	if j < len(p.s) && p.s[j] == '0' {
		j++
	} else if !digits() {
		return nil, false
	}
	if j < len(p.s) && p.s[j] == '.' {
		j++
		if !digits() {
			return nil, false
		}
		n.Tag = "!!float"
	}
	if j < len(p.s) && (p.s[j] == 'e' || p.s[j] == 'E') {
		j++
		if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
			j++
		}
		if !digits() {
			return nil, false
		}
		n.Tag = "!!float"
	}
	n.Value = p.s[p.i:j]
	p.skip(j - p.i)
	return n, true
}
