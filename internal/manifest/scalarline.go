package manifest

import (
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// LinePosition resolves a line inside the string at p: line n (counted from 1) of the value as
// the program reads it, after YAML has removed indentation, folded lines and replaced escapes. It
// is for findings about one line of a multi-line value (a shell script), which belong on the file
// line that holds it, not on the line where the value starts. The position spans that line's text.
// When p is not a string, n is out of range, or the value's text cannot be followed in the source
// (an alias, a tag), it falls back to Position(p).
func (d *Document) LinePosition(p Path, n int) Position {
	node := lookup(d.node, p)
	if node == nil || node.Kind != yaml.ScalarNode || n < 1 || n > strings.Count(node.Value, "\n")+1 {
		return d.Position(p)
	}
	if n == 1 && node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return d.Position(p) // the first line of a flow scalar starts where the scalar does
	}
	var line, col int
	var ok bool
	if node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		line, col, ok = d.src.blockLine(node, n)
	} else {
		line, col, ok = d.src.flowLine(node, n)
	}
	if !ok {
		return d.Position(p)
	}
	text := d.src.lines[line-1]
	end := 1 + utf8.RuneCountInString(strings.TrimRight(text, " \t\r"))
	if end <= col {
		end = col + 1
	}
	return Position{Line: line, Column: col, EndLine: line, EndColumn: end}
}

// blockLine finds value line n of a literal (|) or folded (>) block scalar: the file line (from 1)
// and the column of its first character.
func (s source) blockLine(node *yaml.Node, n int) (line, col int, ok bool) {
	header := node.Line + s.off // the line of the indicator
	if header < 1 || header > len(s.lines) {
		return 0, 0, false
	}
	indent := -1
	folded := node.Style&yaml.FoldedStyle != 0
	value := 1                               // the value line the next content goes on
	started := false                         // a content line has been seen
	pending := 0                             // blank lines since the last content line
	prevMore := false                        // the last content line was more indented (its break is kept when folded)
	for i := header; i < len(s.lines); i++ { // s.lines[i] is file line i+1
		text := strings.TrimRight(s.lines[i], "\r")
		trimmed := strings.TrimLeft(text, " ")
		if strings.TrimSpace(trimmed) == "" {
			pending++
			continue
		}
		in := len(text) - len(trimmed)
		if indent < 0 {
			indent = in
		}
		if in < indent {
			return 0, 0, false // the scalar ended before line n
		}
		more := in > indent || strings.HasPrefix(trimmed, "\t")
		switch {
		case !started:
			value += pending
		case !folded:
			value += 1 + pending
		case more || prevMore:
			value += 1 + pending
		default:
			value += pending // folded into the previous line when no blank line separates them
		}
		started, pending, prevMore = true, 0, more
		if value == n {
			return i + 1, 1 + utf8.RuneCountInString(text[:indent]), true
		}
		if value > n {
			return 0, 0, false // line n is a blank line or was folded away
		}
	}
	return 0, 0, false
}

// flowLine finds value line n (n > 1) of a plain, single-quoted or double-quoted scalar by
// following its source: a line break in the value comes from a blank line (a single break folds
// into a space) or, in double quotes, from the escape \n.
func (s source) flowLine(node *yaml.Node, n int) (line, col int, ok bool) {
	li := node.Line + s.off - 1 // index into s.lines
	if li < 0 || li >= len(s.lines) {
		return 0, 0, false
	}
	var quote byte
	if node.Style&yaml.DoubleQuotedStyle != 0 {
		quote = '"'
	} else if node.Style&yaml.SingleQuotedStyle != 0 {
		quote = '\''
	} else if node.Style&yaml.TaggedStyle != 0 {
		return 0, 0, false
	}
	text := s.lines[li]
	i := s.byteOffset(li, node.Column)
	if i < 0 {
		return 0, 0, false
	}
	if quote != 0 {
		if i >= len(text) || text[i] != quote {
			return 0, 0, false
		}
		i++
	}
	value := 1
	atNext := false // line n starts after an escaped \n that ends its source line: on the next one
	for {
		if i >= len(text) || (i == len(text)-1 && text[i] == '\r') {
			// a line break: fold it, or count the blank lines after it
			continued := quote == '"' && strings.HasSuffix(strings.TrimRight(text, "\r"), `\`) && escapedBreak(text)
			blank := 0
			li++
			for li < len(s.lines) && strings.TrimSpace(s.lines[li]) == "" {
				blank++
				li++
			}
			if li >= len(s.lines) {
				return 0, 0, false
			}
			if !continued {
				value += blank
			}
			text = s.lines[li]
			i = len(text) - len(strings.TrimLeft(text, " \t"))
			if atNext && value == n {
				return li + 1, 1 + utf8.RuneCountInString(text[:i]), true
			}
			if value >= n {
				if value > n {
					return 0, 0, false // a blank line
				}
				return li + 1, 1 + utf8.RuneCountInString(text[:i]), true
			}
			continue
		}
		c := text[i]
		switch {
		case quote == '"' && c == '\\':
			if i+1 < len(text) && text[i+1] == 'n' {
				value++
				i += 2
				if value == n {
					if strings.TrimRight(text[i:], " \t\r\\") != "" {
						return li + 1, 1 + utf8.RuneCountInString(text[:i]), true
					}
					atNext = true
				}
				continue
			}
			if i+1 >= len(text) {
				i++ // an escaped line break: handled at the end of the line
				continue
			}
			i += 2
			continue
		case quote == '\'' && c == '\'':
			if i+1 < len(text) && text[i+1] == '\'' {
				i += 2
				continue
			}
			return 0, 0, false // the scalar closed before line n
		case quote == '"' && c == '"':
			return 0, 0, false
		}
		i++
	}
}

// escapedBreak reports whether a line of a double-quoted scalar ends with a backslash that escapes
// the line break (an odd number of backslashes at its end).
func escapedBreak(text string) bool {
	t := strings.TrimRight(text, "\r")
	k := 0
	for k < len(t) && t[len(t)-1-k] == '\\' {
		k++
	}
	return k%2 == 1
}
