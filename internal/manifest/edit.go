package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// Edit replaces the text from Line:Column up to (not including) EndLine:EndColumn with Text. Lines
// and columns count from 1 over the text as Load reads it (no byte-order mark, LF line breaks),
// columns in characters; an empty span inserts Text. Text writes line breaks as \n, and ApplyFile
// writes them as the file does.
type Edit struct {
	Line, Column, EndLine, EndColumn int
	Text                             string
}

func (e Edit) empty() bool { return e.Line == e.EndLine && e.Column == e.EndColumn }

// before orders edits by where they start.
func (e Edit) before(o Edit) bool {
	if e.Line != o.Line {
		return e.Line < o.Line
	}
	return e.Column < o.Column
}

// Overlap reports whether two edits touch the same text, or insert at the same place (their order
// would be a guess).
func Overlap(a, b Edit) bool {
	if b.before(a) {
		a, b = b, a
	}
	endA := Edit{Line: a.EndLine, Column: a.EndColumn}
	startB := Edit{Line: b.Line, Column: b.Column}
	if startB.before(endA) {
		return true
	}
	// touching spans are fine, unless one of them is an insertion at the other's edge
	return !endA.before(startB) && (a.empty() || b.empty())
}

// ApplyFile applies edits to a file's bytes as they are on disk. The byte-order mark, CRLF or LF
// line breaks and every byte outside the edits stay as they were; a line break in an edit's text
// is written as the break of the line the edit starts on. Edits must not overlap.
func ApplyFile(data []byte, edits []Edit) ([]byte, error) {
	bom := []byte("\xef\xbb\xbf")
	body := bytes.TrimPrefix(data, bom)
	prefix := data[:len(data)-len(body)]
	// starts[i] is the byte offset of line i+1; crlf[i] says whether it ends with CRLF.
	starts := []int{0}
	var crlf []bool
	for i := 0; i < len(body); i++ {
		if body[i] == '\n' {
			crlf = append(crlf, i > 0 && body[i-1] == '\r')
			starts = append(starts, i+1)
		}
	}
	crlf = append(crlf, false)
	lineText := func(l int) string { // line l as Load reads it
		end := len(body)
		if l < len(starts) {
			end = starts[l] - 1
			if crlf[l-1] {
				end--
			}
		}
		return string(body[starts[l-1]:end])
	}
	offset := func(line, col int) (int, error) {
		if line < 1 || line > len(starts) {
			return 0, fmt.Errorf("line %d is outside the file (%d lines)", line, len(starts))
		}
		text := lineText(line)
		off := byteOffset(text, col)
		if off < 0 || col < 1 || col > utf8.RuneCountInString(text)+1 {
			return 0, fmt.Errorf("column %d is outside line %d", col, line)
		}
		return starts[line-1] + off, nil
	}
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].before(sorted[j]) })
	for i := 1; i < len(sorted); i++ {
		if Overlap(sorted[i-1], sorted[i]) {
			return nil, fmt.Errorf("edits at %d:%d and %d:%d overlap", sorted[i-1].Line, sorted[i-1].Column, sorted[i].Line, sorted[i].Column)
		}
	}
	out := append([]byte(nil), body...)
	for i := len(sorted) - 1; i >= 0; i-- {
		e := sorted[i]
		from, err := offset(e.Line, e.Column)
		if err != nil {
			return nil, err
		}
		to, err := offset(e.EndLine, e.EndColumn)
		if err != nil {
			return nil, err
		}
		if to < from {
			return nil, fmt.Errorf("edit at %d:%d ends before it starts", e.Line, e.Column)
		}
		text := e.Text
		if crlf[e.Line-1] {
			text = strings.ReplaceAll(text, "\n", "\r\n")
		}
		out = append(out[:from], append([]byte(text), out[to:]...)...)
	}
	return append(append([]byte(nil), prefix...), out...), nil
}

// applyLines applies edits to lines as Load splits them.
func applyLines(lines []string, edits []Edit) ([]string, error) {
	data, err := ApplyFile([]byte(strings.Join(lines, "\n")), edits)
	if err != nil {
		return nil, err
	}
	return strings.Split(string(data), "\n"), nil
}

// strictLookup finds the node at p and the key that leads to it, without following aliases or
// merge keys: an edit there would change every place that shares the text.
func strictLookup(n *yaml.Node, p Path) (node, key *yaml.Node, ok bool) {
	cur := n
	for _, seg := range p {
		switch cur.Kind {
		case yaml.MappingNode:
			var found, foundKey *yaml.Node
			for i := 0; i+1 < len(cur.Content); i += 2 {
				k := cur.Content[i]
				if k.Kind == yaml.AliasNode || isMergeKey(k) {
					continue
				}
				if k.Kind == yaml.ScalarNode && keyString(k) == seg {
					found, foundKey = cur.Content[i+1], k
				}
			}
			if found == nil {
				return nil, nil, false
			}
			cur, key = found, foundKey
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(cur.Content) {
				return nil, nil, false
			}
			cur, key = cur.Content[i], nil
		default:
			return nil, nil, false
		}
		if cur.Kind == yaml.AliasNode || cur.Anchor != "" {
			return nil, nil, false // shared text: an edit would change more than this value
		}
	}
	return cur, key, true
}

// scalarSpan is where a scalar written on one line sits, and whether it can be edited in place: not
// tagged, not a block scalar, not an alias.
func (d *Document) scalarSpan(n *yaml.Node) (Position, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Style&(yaml.TaggedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.Anchor != "" {
		return Position{}, false
	}
	p := d.src.span(n)
	if p.EndLine != p.Line || p.EndColumn <= p.Column {
		return Position{}, false
	}
	return p, true
}

func spanEdit(p Position, text string) Edit {
	return Edit{Line: p.Line, Column: p.Column, EndLine: p.EndLine, EndColumn: p.EndColumn, Text: text}
}

// PlainText is the source text of the plain (unquoted, untagged) scalar at p: "yes" where the value
// is the boolean true. ok is false for any other node.
func (d *Document) PlainText(p Path) (string, bool) {
	n, _, ok := strictLookup(d.node, p)
	if !ok || n.Kind != yaml.ScalarNode || n.Style != 0 {
		return "", false
	}
	return n.Value, true
}

// ReplaceValue is the edit that makes the scalar at p hold v, a string or an int64, keeping its
// quotes where it has them: `tcp` becomes `TCP`, `yes` (a boolean) becomes `"yes"`, `"8080"`
// becomes `8080`. ok is false when the value cannot be edited in place (an alias, a tag, a block or
// multi-line scalar).
func (d *Document) ReplaceValue(p Path, v any) (Edit, bool) {
	n, _, ok := strictLookup(d.node, p)
	if !ok {
		return Edit{}, false
	}
	pos, ok := d.scalarSpan(n)
	if !ok {
		return Edit{}, false
	}
	text, ok := scalarText(v, n.Style)
	if !ok {
		return Edit{}, false
	}
	return spanEdit(pos, text), true
}

// RenameKey is the edit that renames the key of the map entry at p.
func (d *Document) RenameKey(p Path, name string) (Edit, bool) {
	if len(p) == 0 {
		return Edit{}, false
	}
	_, k, ok := strictLookup(d.node, p)
	if !ok || k == nil {
		return Edit{}, false
	}
	pos, ok := d.scalarSpan(k)
	if !ok {
		return Edit{}, false
	}
	text, ok := scalarText(name, k.Style)
	if !ok {
		return Edit{}, false
	}
	return spanEdit(pos, text), true
}

// InsertFirst is the edit that adds the string entry `key: value` as the first entry of the mapping
// at p, laid out as its other entries are: on a line of its own at their indentation in a block
// mapping, before the first entry in a flow mapping. Key and value are quoted where YAML would
// read them as something else than the strings given.
func (d *Document) InsertFirst(p Path, key, value string) (Edit, bool) {
	n, _, ok := strictLookup(d.node, p)
	if !ok || n.Kind != yaml.MappingNode || len(n.Content) < 2 {
		return Edit{}, false
	}
	style := yaml.Style(0)
	if n.Content[0].Style&yaml.DoubleQuotedStyle != 0 && isFlow(n) {
		style = yaml.DoubleQuotedStyle // JSON, or written like it: the new entry too
	}
	k, okKey := scalarText(key, style)
	v, okValue := scalarText(value, style)
	if !okKey || !okValue {
		return Edit{}, false
	}
	key, value = k, v
	first := n.Content[0]
	if first.Kind != yaml.ScalarNode || first.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return Edit{}, false
	}
	at := d.src.start(first)
	if at.Line < 1 || at.Line > len(d.src.lines) {
		return Edit{}, false
	}
	if isFlow(n) {
		return Edit{Line: at.Line, Column: at.Column, EndLine: at.Line, EndColumn: at.Column, Text: key + ": " + value + ", "}, true
	}
	line := d.src.lines[at.Line-1]
	off := byteOffset(line, at.Column)
	if off < 0 || off > len(line) {
		return Edit{}, false
	}
	// What comes before the first key on its line must be indentation and list dashes ("  - "),
	// which the new line repeats as spaces.
	lead := line[:off]
	if strings.Trim(lead, " -") != "" {
		return Edit{}, false
	}
	indent := strings.Repeat(" ", len(lead))
	return Edit{Line: at.Line, Column: at.Column, EndLine: at.Line, EndColumn: at.Column, Text: key + ": " + value + "\n" + indent}, true
}

// InsertInString is the edit that inserts text into the string at p before byte col (from 1) of
// its line (from 1), as the program reads the string (a shell script). ok is false where the
// string's text cannot be followed in the source.
func (d *Document) InsertInString(p Path, line, col int, text string) (Edit, bool) {
	n, _, ok := strictLookup(d.node, p)
	if !ok || n.Kind != yaml.ScalarNode || n.Style&yaml.TaggedStyle != 0 || n.Anchor != "" {
		return Edit{}, false
	}
	lines := strings.Split(n.Value, "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(lines[line-1])+1 {
		return Edit{}, false
	}
	var at Position
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		l, c, found := d.src.blockLine(n, line)
		if !found {
			return Edit{}, false
		}
		at = Position{Line: l, Column: c}
	case line == 1 && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		// escapes ("\"", '') make the source longer than the value: find the source offset whose
		// prefix reads as the value's first col-1 bytes
		at = d.src.start(n)
		if at.Line > len(d.src.lines) {
			return Edit{}, false
		}
		src := d.src.lines[at.Line-1]
		start := byteOffset(src, at.Column)
		if start < 0 || start >= len(src) {
			return Edit{}, false
		}
		raw := src[start:]
		i, found := quotedOffset(raw, col-1)
		if !found {
			return Edit{}, false
		}
		at.Column += utf8.RuneCountInString(raw[:i])
		return Edit{Line: at.Line, Column: at.Column, EndLine: at.Line, EndColumn: at.Column, Text: text}, true
	case line == 1:
		at = d.src.start(n)
	default:
		l, c, found := d.src.flowLine(n, line)
		if !found {
			return Edit{}, false
		}
		at = Position{Line: l, Column: c}
	}
	at.Column += utf8.RuneCountInString(lines[line-1][:col-1])
	return Edit{Line: at.Line, Column: at.Column, EndLine: at.Line, EndColumn: at.Column, Text: text}, true
}

// Verify reports whether edits, applied to this document's text, leave a document that parses, has
// no more problems than before, and decodes to want: nothing changes but what the edits are for.
func (d *Document) Verify(edits []Edit, want map[string]any) bool {
	first, last := d.Lines.First, d.Lines.Last
	if first < 1 || last > len(d.src.lines) || first > last {
		return false
	}
	shifted := make([]Edit, len(edits))
	for i, e := range edits {
		if e.Line < first || e.EndLine > last {
			return false
		}
		e.Line -= first - 1
		e.EndLine -= first - 1
		shifted[i] = e
	}
	lines, err := applyLines(d.src.lines[first-1:last], shifted)
	if err != nil {
		return false
	}
	for _, l := range lines {
		if isSeparator(l) {
			return false
		}
	}
	f := loadFile(d.File, []byte(strings.Join(lines, "\n")+"\n"), builtinPodKinds)
	for _, p := range f.Problems {
		if p.Rule == RuleParseError || p.Rule == RuleUnreadableFile {
			return false
		}
	}
	for _, nd := range f.Documents {
		if nd.ordinal == d.ordinal && nd.Item == d.Item {
			return len(nd.Problems) <= len(d.Problems) && reflect.DeepEqual(nd.Value, want)
		}
	}
	return false
}

// plainSafe reports whether a string can be written as a plain scalar anywhere, block or flow
// (letters, digits and . _ / - after a letter or digit), when YAML 1.1 also reads it as a string.
func plainSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '/' || c == '-'):
		default:
			return false
		}
	}
	return s != ""
}

// scalarText writes v as a scalar in the given style where it can: a plain scalar stays plain when
// the value reads back as the same string, and is quoted otherwise; quoted scalars keep their
// quotes.
func scalarText(v any, style yaml.Style) (string, bool) {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10), true
	case string:
		if strings.ContainsAny(x, "\n\r\t") {
			return "", false
		}
		switch {
		case style&yaml.SingleQuotedStyle != 0:
			return "'" + strings.ReplaceAll(x, "'", "''") + "'", true
		case style&yaml.DoubleQuotedStyle == 0 && plainSafe(x):
			if tag, _ := resolve11(x); tag == tagStr {
				return x, true
			}
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			return "", false
		}
		return strings.TrimSuffix(b.String(), "\n"), true // a JSON string is a YAML double-quoted scalar
	}
	return "", false
}

// With returns a copy of v with the value at p set to x, copying only the maps and lists on the
// way; ok is false when p does not lead through v.
func With(v any, p Path, x any) (any, bool) {
	if len(p) == 0 {
		return x, true
	}
	switch c := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(c)+1)
		for k, e := range c {
			out[k] = e
		}
		if len(p) == 1 {
			out[p[0]] = x
			return out, true
		}
		next, ok := c[p[0]]
		if !ok {
			return nil, false
		}
		nv, ok := With(next, p[1:], x)
		out[p[0]] = nv
		return out, ok
	case []any:
		i, err := strconv.Atoi(p[0])
		if err != nil || i < 0 || i >= len(c) {
			return nil, false
		}
		out := append([]any(nil), c...)
		nv, ok := With(c[i], p[1:], x)
		out[i] = nv
		return out, ok
	}
	return nil, false
}

// Renamed returns a copy of v with the map entry at p moved to the key name; ok is false when there
// is no such entry or name is taken.
func Renamed(v any, p Path, name string) (any, bool) {
	if len(p) == 0 {
		return nil, false
	}
	parent, ok := Get(v, p[:len(p)-1])
	m, isMap := parent.(map[string]any)
	if !ok || !isMap {
		return nil, false
	}
	old, has := m[p[len(p)-1]]
	if _, taken := m[name]; !has || taken {
		return nil, false
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		if k != p[len(p)-1] {
			out[k] = e
		}
	}
	out[name] = old
	return With(v, p[:len(p)-1], out)
}

// quotedOffset finds the byte offset in raw, a quoted scalar starting with its quote, at which the
// scalar's value has its first n bytes behind it. It reads each prefix as YAML, so escapes of every
// kind count as the value has them; scalars of more than 4 KiB are not followed.
func quotedOffset(raw string, n int) (int, bool) {
	q := raw[0]
	if len(raw) > 4<<10 {
		return 0, false
	}
	for i := 1; i < len(raw); i++ {
		if raw[i] == q && q == '"' && !escapedQuote(raw[:i]) {
			return 0, false // the scalar ended
		}
		var v string
		if err := yaml.Unmarshal([]byte(raw[:i]+string(q)), &v); err != nil {
			continue
		}
		if len(v) == n {
			return i, true
		}
		if len(v) > n {
			return 0, false
		}
	}
	return 0, false
}

// escapedQuote reports whether a quote right after s is escaped by an odd number of backslashes.
func escapedQuote(s string) bool {
	k := 0
	for k < len(s) && s[len(s)-1-k] == '\\' {
		k++
	}
	return k%2 == 1
}
