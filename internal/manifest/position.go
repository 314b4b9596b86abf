package manifest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// Path is a location inside a document: map keys and list indexes, as strings.
type Path []string

// Pointer renders the path as a JSON pointer (RFC 6901): /spec/containers/0/image.
func (p Path) Pointer() string {
	if len(p) == 0 {
		return ""
	}
	var b strings.Builder
	for _, s := range p {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}

// ParsePointer turns a JSON pointer back into a path.
func ParsePointer(s string) Path {
	if s == "" || s == "/" {
		return Path{}
	}
	parts := strings.Split(strings.TrimPrefix(s, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return Path(parts)
}

// Append returns a new path with more segments; it never shares the receiver's backing array.
func (p Path) Append(segs ...string) Path {
	out := make(Path, 0, len(p)+len(segs))
	return append(append(out, p...), segs...)
}

// Position is a place in a file; lines and columns count from 1. End is where the value ends, when known
// (EndLine 0 when not).
type Position struct {
	Line      int
	Column    int
	EndLine   int
	EndColumn int
}

// Position resolves a document path to the place it was written. A path that goes past what exists
// resolves to the nearest existing parent; for a map entry it points at the key, so that a finding on a
// mapping lands on the line that names it.
func (d *Document) Position(p Path) Position {
	n, key := locate(d.node, p)
	if key != nil && (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && !isFlow(n) {
		// A block collection starts on the line below its key; the key is where a reader looks.
		return d.src.span(key)
	}
	return d.src.span(n)
}

// KeyPosition resolves the key of the map entry at p (for "unknown field" findings); when p names no
// map entry it falls back to Position.
func (d *Document) KeyPosition(p Path) Position {
	if len(p) == 0 {
		return d.Position(p)
	}
	parent, _ := locate(d.node, p[:len(p)-1])
	if parent.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(parent.Content); i += 2 {
			k := resolveAlias(parent.Content[i])
			if k.Kind == yaml.ScalarNode && k.Value == p[len(p)-1] {
				return d.src.span(k)
			}
		}
	}
	return d.Position(p)
}

func isFlow(n *yaml.Node) bool { return n.Style&yaml.FlowStyle != 0 }

// lookup finds the node at p, or nil.
func lookup(n *yaml.Node, p Path) *yaml.Node {
	got, _, depth := walkPath(n, p)
	if depth != len(p) {
		return nil
	}
	return got
}

// locate finds the deepest node on the path and the key node that led to it (nil for list items).
func locate(n *yaml.Node, p Path) (*yaml.Node, *yaml.Node) {
	got, key, _ := walkPath(n, p)
	return got, key
}

func walkPath(n *yaml.Node, p Path) (cur *yaml.Node, key *yaml.Node, depth int) {
	cur = resolveAlias(n)
	for _, seg := range p {
		next, k := child(cur, seg, 0)
		if next == nil {
			return cur, key, depth
		}
		cur, key = next, k
		depth++
	}
	return cur, key, depth
}

// maxMergeDepth bounds how deep merge keys are followed, so an anchor that merges itself (which the
// decoder refuses) cannot send a position lookup around in circles.
const maxMergeDepth = 32

func child(n *yaml.Node, seg string, depth int) (*yaml.Node, *yaml.Node) {
	if depth > maxMergeDepth {
		return nil, nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		var found, foundKey *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolveAlias(n.Content[i])
			if isMergeKey(k) {
				if found == nil {
					found, foundKey = mergedChild(n.Content[i+1], seg, depth+1)
				}
				continue
			}
			if k.Kind == yaml.ScalarNode && keyString(k) == seg {
				found, foundKey = resolveAlias(n.Content[i+1]), k // the last one wins, as in the value
			}
		}
		return found, foundKey
	case yaml.SequenceNode:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil, nil
		}
		return resolveAlias(n.Content[i]), nil
	}
	return nil, nil
}

func mergedChild(v *yaml.Node, seg string, depth int) (*yaml.Node, *yaml.Node) {
	v = resolveAlias(v)
	if v.Kind == yaml.SequenceNode {
		for _, m := range v.Content {
			if c, k := child(resolveAlias(m), seg, depth); c != nil {
				return c, k
			}
		}
		return nil, nil
	}
	return child(v, seg, depth)
}

// keyString is the key as the decoded value spells it (so `yes:` is found as "true").
func keyString(k *yaml.Node) string {
	if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return k.Value
	}
	d := decoder{}
	if s, ok := d.key(k); ok {
		return s
	}
	return k.Value
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// source maps a document's nodes back to the file. Nodes carry lines counted from the start of their
// document's text; off converts them to file lines without rewriting every node.
type source struct {
	lines []string
	off   int
	cols  *columns // shared by the file's documents; nil means walk lines from their start
}

// columns finds the byte offset of a column in a long line without walking the line from its start
// each time: minified JSON puts a whole file on one line, and every finding on it needs a column.
type columns struct {
	mu    sync.Mutex
	marks map[int][]int // line index: byte offsets of columns 1, 1+columnStep, 1+2*columnStep, ...
}

const columnStep = 512

// byteOffset is where column col (from 1, in characters) of line index li starts, or -1 past the
// line's end (see byteOffset).
func (s source) byteOffset(li, col int) int {
	text := s.lines[li]
	if s.cols == nil || len(text) < 8*columnStep || col <= columnStep {
		return byteOffset(text, col)
	}
	s.cols.mu.Lock()
	marks, ok := s.cols.marks[li]
	if !ok {
		c := 1
		for off := 0; ; c++ {
			if (c-1)%columnStep == 0 {
				marks = append(marks, off)
			}
			if off >= len(text) {
				break
			}
			_, size := utf8.DecodeRuneInString(text[off:])
			off += size
		}
		if s.cols.marks == nil {
			s.cols.marks = map[int][]int{}
		}
		s.cols.marks[li] = marks
	}
	s.cols.mu.Unlock()
	k := (col - 1) / columnStep
	if k >= len(marks) {
		return -1
	}
	rest := byteOffset(text[marks[k]:], col-k*columnStep)
	if rest < 0 {
		return -1
	}
	return marks[k] + rest
}

// start is where a node begins in the file.
func (s source) start(n *yaml.Node) Position {
	if n == nil {
		return Position{Line: 1, Column: 1}
	}
	line, col := n.Line+s.off, n.Column
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return Position{Line: line, Column: col}
}

// scalarEnd finds where a scalar written on one line ends (the column after its last character).
// yaml.v3 gives only start positions; for quoted scalars the end is found by scanning the source line.
// span is start plus, for a scalar on one line, where it ends.
func (s source) span(n *yaml.Node) Position {
	p := s.start(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		p.EndLine, p.EndColumn = s.scalarEnd(n)
	}
	return p
}

func (s source) scalarEnd(n *yaml.Node) (line, col int) {
	lineNo := n.Line + s.off
	if lineNo < 1 || lineNo > len(s.lines) {
		return 0, 0
	}
	src := s.lines[lineNo-1]
	start := s.byteOffset(lineNo-1, n.Column)
	if start < 0 || start > len(src) {
		return 0, 0
	}
	rest := src[start:]
	var length int
	switch {
	case n.Style&yaml.LiteralStyle != 0 || n.Style&yaml.FoldedStyle != 0:
		return 0, 0
	case n.Style&yaml.DoubleQuotedStyle != 0:
		length = quotedLen(rest, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		length = quotedLen(rest, '\'')
	default:
		if n.Kind == yaml.AliasNode {
			length = len(n.Value) + 1
		} else if strings.HasPrefix(rest, n.Value) && !strings.Contains(n.Value, "\n") {
			length = len(n.Value)
		} else {
			return 0, 0 // a multi-line plain scalar, or text the parser rewrote
		}
		if n.Style&yaml.TaggedStyle != 0 {
			return 0, 0
		}
	}
	if length <= 0 {
		return 0, 0
	}
	return lineNo, n.Column + utf8.RuneCountInString(rest[:length])
}

// quotedLen is the length of a quoted scalar that starts at s[0], or 0 when it does not close on this line.
func quotedLen(s string, q byte) int {
	if len(s) == 0 || s[0] != q {
		return 0
	}
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q:
			if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return 0
}

// byteOffset converts a 1-based rune column into a byte offset in s.
func byteOffset(s string, col int) int {
	off := 0
	for c := 1; c < col; c++ {
		if off >= len(s) {
			return -1
		}
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// parseProblem turns a YAML syntax error into a finding at the line and column the parser reports.
func parseProblem(err error, c chunk, lines []string) Problem {
	msg := err.Error()
	line, col := 0, 0
	var le *yaml.LoadError
	if errors.As(err, &le) {
		msg = le.Message
		if le.ContextMsg != "" {
			msg += " (" + le.ContextMsg
			if le.ContextMark.Line > 0 {
				msg += fmt.Sprintf(" started at line %d", le.ContextMark.Line+c.firstLine-1)
			}
			msg += ")"
		}
		line, col = le.Mark.Line, le.Mark.Column
	}
	if line > 0 {
		line += c.firstLine - 1
	} else {
		// no position: point at the chunk's first line with text
		line = c.firstLine
		for line < len(lines) && strings.TrimSpace(lines[line-1]) == "" {
			line++
		}
	}
	line = min(max(line, 1), max(len(lines), 1))
	if col < 1 {
		col = 1
		if line <= len(lines) {
			l := lines[line-1]
			col = 1 + utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " \t"))])
		}
	}
	return Problem{Rule: RuleParseError, Pos: Position{Line: line, Column: col}, Message: "YAML does not parse: " + msg}
}
