// Package srcmap maps rendered text back to the source it was rendered from, so that a finding on a
// rendered Helm template points at the line of the template a person edits, not at a line of output
// nobody can see.
//
// The mapping needs no template engine: it reads the template's text, splits it into literal text
// and actions ({{ ... }}) with Go's trim markers applied, groups them into rows (the lines the
// template writes: {{- and -}} join template lines), and aligns the rendered lines with the rows by
// dynamic programming, the way a diff does: actions match any text, an action's output may go on
// over several lines, the bodies of if, with and range may be skipped whole, and a range body may
// repeat. The costs of the alignment are set out below (see costMixed and the others). Inputs too
// large for the table (rendered lines × template rows past maxCells) get a beam search over the same
// transitions, linear in the rendered lines.
package srcmap

import (
	"container/heap"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TemplateMap maps the lines of a template's rendered output to lines of the template.
//
// Every line it returns is a line of the template (1-based); it returns 0 only when the template is
// empty. A rendered line is placed, in this order of confidence, on the template line whose literal
// text it is; on the line holding the action that wrote it (all the lines that one action writes,
// such as include or toYaml piped to nindent, go to the action's line); or, when nothing explains it,
// on the line of the nearest key above it with a smaller indentation.
type TemplateMap struct {
	tlines []string  // the template's lines, without line ends
	lines  []lineMap // one per rendered line
}

// lineMap is where one rendered line came from.
type lineMap struct {
	line    int       // the template line that stands for the rendered line
	literal bool      // the rendered line is the template line's text
	orphan  bool      // nothing explains the line; line is found afterwards
	width   int       // the rendered line's length in characters
	segs    []segment // the line's pieces, in order, never empty
}

// segment is a run of a rendered line that came from one place of the template: literal text (each
// character from the template character at the same offset) or the output of one action.
type segment struct {
	from, to  int // characters of the rendered line, from 0, to exclusive
	line, col int // template line and column (1-based) of the first character, or of the action's "{{"
	literal   bool
}

// MapTemplate maps a template's rendered text to the template. template is the template file's
// text; rendered is what the template engine wrote when it executed that file (all its documents).
// Line ends may be "\n" or "\r\n". It never fails: what it cannot place goes to the best line it can
// guess.
func MapTemplate(template, rendered string) *TemplateMap {
	template = strings.ReplaceAll(template, "\r\n", "\n")
	rendered = strings.ReplaceAll(rendered, "\r\n", "\n")
	m := &TemplateMap{tlines: splitLines(template)}
	out := splitLines(rendered)
	m.lines = make([]lineMap, len(out))
	if len(m.tlines) == 0 {
		for j := range m.lines {
			w := utf8.RuneCountInString(out[j])
			m.lines[j] = lineMap{width: w, segs: []segment{{to: w}}}
		}
		return m
	}
	p := newPlan(template)
	var as []assign
	switch {
	case len(out) == 0:
	case p.n < 1<<16 && (len(out)+1)*p.n <= maxCells:
		as = p.align(out)
	default:
		as = p.greedy(out)
	}
	for j, s := range out {
		m.lines[j] = p.lineMap(s, as[j], m.tlines)
		m.lines[j].width = utf8.RuneCountInString(s)
	}
	m.placeOrphans(out)
	return m
}

// Lines is the number of rendered lines the map knows.
func (m *TemplateMap) Lines() int { return len(m.lines) }

// Line returns the template line (1-based) that produced rendered line n (1-based), and whether the
// rendered line is literal text of that template line: the same text (trailing blanks aside), so
// that its columns carry over unchanged. A line n out of range is taken as the nearest rendered line
// (line 1 of the template when nothing was rendered).
func (m *TemplateMap) Line(n int) (line int, literal bool) {
	lm := m.at(n)
	if lm == nil {
		if len(m.tlines) == 0 {
			return 0, false
		}
		return 1, false
	}
	return lm.line, lm.literal
}

// Position maps a span of the rendered text to the template. line and col are where the span starts,
// endLine and endCol where it ends (exclusive); lines and columns count from 1, columns in characters,
// and endLine is 0 when the end is not known.
//
// A column inside literal text maps to the template character the text was copied from (the same
// column when the text up to it is literal on the template line); a column inside the output of an
// action maps to the column where that action ("{{") starts, on the action's line. The end is given
// (tendLine > 0) only when the whole span is literal template text copied in one piece; otherwise
// tendLine and tendCol are 0.
func (m *TemplateMap) Position(line, col, endLine, endCol int) (tline, tcol, tendLine, tendCol int) {
	if len(m.tlines) == 0 {
		return 0, 0, 0, 0
	}
	lm := m.at(line)
	if lm == nil {
		return 1, 1, 0, 0
	}
	if line < 1 {
		line = 1
	} else if line > len(m.lines) {
		line = len(m.lines)
		endLine = 0
	}
	tline, tcol, _ = lm.place(col - 1)
	if endLine == 0 || endLine < line || endLine > len(m.lines) {
		return tline, tcol, 0, 0
	}
	if endLine > line && endCol <= 1 {
		// The span ends with a line end: it ends after the last character of the line before.
		endLine--
		endCol = m.lines[endLine-1].width + 1
	}
	if endLine == line && endCol <= col {
		return tline, tcol, 0, 0
	}
	if endLine == line {
		el, ec, ok := lm.literalRun(col-1, endCol-1)
		if !ok {
			return tline, tcol, 0, 0
		}
		return tline, tcol, el, ec + 1
	}
	// A span over several lines: each line must be a literal line, on consecutive template lines,
	// and the columns carry over.
	for n := line; n <= endLine; n++ {
		l := &m.lines[n-1]
		if !l.literal || (n > line && l.line != m.lines[n-2].line+1) {
			return tline, tcol, 0, 0
		}
	}
	if !lm.literal {
		return tline, tcol, 0, 0
	}
	return tline, tcol, m.lines[endLine-1].line, endCol
}

// at is rendered line n, clamped to the lines there are; nil when there are none.
func (m *TemplateMap) at(n int) *lineMap {
	if len(m.lines) == 0 {
		return nil
	}
	if n < 1 {
		n = 1
	} else if n > len(m.lines) {
		n = len(m.lines)
	}
	return &m.lines[n-1]
}

// seg is the segment that character c (from 0) belongs to: the last one starting at or before it.
func (lm *lineMap) seg(c int) *segment {
	i := sort.Search(len(lm.segs), func(i int) bool { return lm.segs[i].from > c }) - 1
	if i < 0 {
		i = 0
	}
	return &lm.segs[i]
}

// place maps character c (from 0) of the rendered line to a template line and column, and tells
// whether the character is literal text.
func (lm *lineMap) place(c int) (line, col int, literal bool) {
	if c < 0 {
		c = 0
	}
	s := lm.seg(c)
	if !s.literal {
		return s.line, s.col, false
	}
	return s.line, s.col + c - s.from, true
}

// literalRun tells whether characters [from, to) of the rendered line are literal text copied in one
// piece from one template line, and where the last of them sits in the template.
func (lm *lineMap) literalRun(from, to int) (line, col int, ok bool) {
	if from < 0 {
		from = 0
	}
	if to > lm.width || to <= from {
		return 0, 0, false
	}
	l0, c0, lit := lm.place(from)
	if !lit {
		return 0, 0, false
	}
	for c := from + 1; c < to; c++ {
		l, cc, lit := lm.place(c)
		if !lit || l != l0 || cc != c0+c-from {
			return 0, 0, false
		}
	}
	return l0, c0 + to - 1 - from, true
}

// placeOrphans gives each rendered line that nothing explained the line of the nearest key above it
// with a smaller indentation (among the lines placed with confidence), else the nearest placed line
// above, else below, else the template's first line.
func (m *TemplateMap) placeOrphans(out []string) {
	placed := make([]bool, len(m.lines))
	next := make([]int, len(m.lines)+1) // next[j]: the first placed line at j or after, -1 for none
	next[len(m.lines)] = -1
	for j := len(m.lines) - 1; j >= 0; j-- {
		placed[j] = !m.lines[j].orphan
		next[j] = next[j+1]
		if placed[j] {
			next[j] = j
		}
	}
	// keys holds the placed key lines above, each less indented than the ones after it: the nearest
	// line above with an indentation below n is the last one in keys below n.
	type key struct{ indent, line int }
	var keys []key
	last := 0
	for j := range m.lines {
		s := out[j]
		if placed[j] {
			last = m.lines[j].line
			if t := strings.TrimSpace(s); t != "" && !strings.HasPrefix(t, "#") && t != "---" {
				ind := indentOf(s)
				for len(keys) > 0 && keys[len(keys)-1].indent >= ind {
					keys = keys[:len(keys)-1]
				}
				keys = append(keys, key{ind, m.lines[j].line})
			}
			continue
		}
		line := 0
		if !isBlank(s) {
			ind := indentOf(s)
			if i := sort.Search(len(keys), func(i int) bool { return keys[i].indent >= ind }); i > 0 {
				line = keys[i-1].line
			}
		}
		if line == 0 {
			line = last
		}
		if line == 0 && next[j] >= 0 {
			line = m.lines[next[j]].line
		}
		if line == 0 {
			line = 1
		}
		t := m.tlines[line-1]
		w := utf8.RuneCountInString(s)
		if trimRight(t) == trimRight(s) {
			m.lines[j] = lineMap{line: line, literal: true, width: w, segs: []segment{{to: w, line: line, col: 1, literal: true}}}
			continue
		}
		col := utf8.RuneCountInString(t[:len(t)-len(strings.TrimLeft(t, " \t"))]) + 1
		m.lines[j] = lineMap{line: line, width: w, segs: []segment{{to: w, line: line, col: col}}}
	}
}

// ---- Costs of the alignment ----
//
// The alignment is a shortest path: each rendered line is explained by one transition, and the
// cheapest explanation of all the lines wins. The costs are small integers; what matters is their
// order, chosen so that the common Helm idioms come out right:
//
//   - a line that is the literal text of a template line costs nothing;
//   - a line matched by a line holding actions costs costMixed, plus up to costMixedWild in
//     proportion to the share of its text the actions wrote (literal text anchors a match);
//   - a further line written by the action that a matched line ended in (include, toYaml, ... piped
//     to nindent) costs costCont, more when the line is less indented than the action's indent or
//     nindent says, and much more when the action is a plain value that hardly ever spans lines;
//   - skipping a template line is cheap when it sits in an if, with or range body (the condition
//     may be false) or writes nothing, and dear when it writes text unconditionally;
//   - skipping a whole if, with or range body costs costSkipCond however long it is (costSkipPartial
//     when the row it ends on stays);
//   - going back to the start of a range body costs costJump;
//   - a line that looks like the template's own literal text (the text of a literal line, or a key
//     the template writes literally) costs costEvidence more when an action is said to write it;
//   - a line that nothing explains costs costOrphan, and a line put in the place of a template line
//     it does not match costs costSubst: both only when no better story is left.
const (
	costMixed         = 1
	costMixedWild     = 4
	costOptional      = 2
	costCont          = 3
	costContShallow   = 10
	costContPlain     = 12
	costOrphan        = 16
	costSubst         = 20
	costSkipBlank     = 2
	costSkipCond      = 3
	costSkipMandatory = 20
	costSkipPartial   = 5
	costJump          = 1
	costEvidence      = 8
)

// Limits that keep the mapping cheap on any input.
var (
	// maxCells bounds the dynamic programming table (rendered lines × template states); past it, a
	// linear greedy alignment is used.
	maxCells = 4 << 20
	// greedyWindow is how many states the linear alignment looks ahead for each rendered line, and
	// beamWidth how many candidate states it keeps.
	greedyWindow = 64
	beamWidth    = 8
)

const (
	maxMatchSteps = 4096    // backtracking budget of one line match
	maxSweeps     = 32      // passes over a column to settle range jumps
	maxNesting    = 64      // blocks looked through around a piece
	maxMatchWork  = 1 << 26 // matching work for one template, past which only exact lines match
	inf           = int32(1 << 30)
)

// ---- Lexing the template ----

// actKind is what an action does, as far as the mapping cares.
type actKind uint8

const (
	actOutput actKind = iota // writes text: {{ .Values.x }}, {{ include ... }}, {{ template ... }}
	actSilent                // writes nothing: comments, assignments, break, continue
	actIf
	actWith
	actRange
	actElse
	actEnd
	actDefine
	actBlock
)

// item is a run of literal text (the part that survives the trim markers) or one action.
type item struct {
	action     bool
	start, end int // byte offsets in the template; an action runs from its "{{" to after its "}}"
	kind       actKind
	ltrim      bool // {{- trims the blanks before the action
	rtrim      bool // -}} trims the blanks after it
	indent     int  // output actions: n of the last "indent n" or "nindent n" in the pipeline
	multiline  bool // output actions: may well write several lines (include, toYaml, tpl, ...)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// lex splits a template into text and actions the way Go's text/template does, and applies the trim
// markers to the text.
func lex(src string) []item {
	var items []item
	for i := 0; i < len(src); {
		k := strings.Index(src[i:], "{{")
		if k < 0 {
			items = append(items, item{start: i, end: len(src)})
			break
		}
		if k > 0 {
			items = append(items, item{start: i, end: i + k})
		}
		a := lexAction(src, i+k)
		items = append(items, a)
		i = a.end
	}
	for n := range items {
		it := &items[n]
		if it.action {
			continue
		}
		if n > 0 && items[n-1].rtrim {
			for it.start < it.end && isSpaceByte(src[it.start]) {
				it.start++
			}
		}
		if n+1 < len(items) && items[n+1].ltrim {
			for it.end > it.start && isSpaceByte(src[it.end-1]) {
				it.end--
			}
		}
	}
	return items
}

// rightDelim tells whether a closing delimiter, with or without a trim marker, starts at q.
func rightDelim(src string, q int) (end int, trim, ok bool) {
	if q+4 <= len(src) && isSpaceByte(src[q]) && src[q+1] == '-' && src[q+2] == '}' && src[q+3] == '}' {
		return q + 4, true, true
	}
	if q+2 <= len(src) && src[q] == '}' && src[q+1] == '}' {
		return q + 2, false, true
	}
	return 0, false, false
}

// lexAction reads the action whose "{{" is at pos. An action that never closes runs to the end.
func lexAction(src string, pos int) item {
	it := item{action: true, start: pos, end: len(src)}
	p := pos + 2
	if p+1 < len(src) && src[p] == '-' && isSpaceByte(src[p+1]) {
		it.ltrim = true
		p += 2
	}
	if strings.HasPrefix(src[p:], "/*") {
		it.kind = actSilent
		e := strings.Index(src[p+2:], "*/")
		if e < 0 {
			return it
		}
		q := p + 2 + e + 2
		if end, trim, ok := rightDelim(src, q); ok {
			it.end, it.rtrim = end, trim
			return it
		}
		if c := strings.Index(src[q:], "}}"); c >= 0 {
			it.end = q + c + 2
			it.rtrim = c >= 2 && src[q+c-1] == '-' && isSpaceByte(src[q+c-2])
		}
		return it
	}
	q := p
	for q < len(src) {
		if end, trim, ok := rightDelim(src, q); ok {
			it.end, it.rtrim = end, trim
			it.kind, it.indent, it.multiline = classify(src[p:q])
			return it
		}
		switch src[q] {
		case '"', '\'':
			q = skipQuoted(src, q)
		case '`':
			if e := strings.IndexByte(src[q+1:], '`'); e >= 0 {
				q += e + 2
			} else {
				q = len(src)
			}
		default:
			q++
		}
	}
	it.kind, it.indent, it.multiline = classify(src[p:])
	return it
}

// skipQuoted skips a quoted string or character constant starting at q; it stops at a line end when
// the quote never closes.
func skipQuoted(src string, q int) int {
	quote := src[q]
	for q++; q < len(src); q++ {
		switch src[q] {
		case '\\':
			q++
		case quote:
			return q + 1
		case '\n':
			return q
		}
	}
	return len(src)
}

// multilineWords are the functions whose output, in Helm charts, usually spans lines.
var multilineWords = []string{"include", "template", "tpl", "toYaml", "toToml", "toPrettyJson", "indent", ".Files", "Files."}

// classify tells what an action's body does.
func classify(body string) (kind actKind, indent int, multiline bool) {
	s := strings.TrimSpace(body)
	w := 0
	for w < len(s) && s[w] >= 'a' && s[w] <= 'z' {
		w++
	}
	if w == len(s) || !isIdentByte(s[w]) {
		switch s[:w] {
		case "if":
			return actIf, 0, false
		case "with":
			return actWith, 0, false
		case "range":
			return actRange, 0, false
		case "else":
			return actElse, 0, false
		case "end":
			return actEnd, 0, false
		case "define":
			return actDefine, 0, false
		case "block":
			return actBlock, 0, false
		case "break", "continue":
			return actSilent, 0, false
		}
	}
	if isAssignment(s) {
		return actSilent, 0, false
	}
	f := strings.Fields(s)
	for i := 0; i+1 < len(f); i++ {
		if w := strings.TrimLeft(f[i], "("); w == "indent" || w == "nindent" {
			if n, err := strconv.Atoi(strings.TrimRight(f[i+1], ")")); err == nil && n >= 0 {
				indent = n
			}
		}
	}
	for _, w := range multilineWords {
		if strings.Contains(s, w) {
			multiline = true
			break
		}
	}
	return actOutput, indent, multiline
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isAssignment tells whether an action body declares or assigns variables ($x := ..., $x = ...,
// $k, $v := ...), which writes nothing.
func isAssignment(s string) bool {
	for {
		if !strings.HasPrefix(s, "$") {
			return false
		}
		i := 1
		for i < len(s) && isIdentByte(s[i]) {
			i++
		}
		s = strings.TrimLeft(s[i:], " \t\r\n")
		if strings.HasPrefix(s, ",") {
			s = strings.TrimLeft(s[1:], " \t\r\n")
			continue
		}
		return strings.HasPrefix(s, ":=") || strings.HasPrefix(s, "=") && !strings.HasPrefix(s, "==")
	}
}

// ---- Rows: the template's output lines ----

// piece is a run of literal text on one template line, or an action.
type piece struct {
	text      string // literal text, without line end; empty for an action
	act       bool
	kind      actKind
	line, col int // where the text or the action's "{{" starts
	indent    int
	multiline bool
	region    int  // innermost block region around the piece, -1 for none
	optional  bool // literal text that a conditional body starting or ending on the row may leave out
}

// content tells whether the piece writes something that shows: visible literal text or an action's
// output.
func (p *piece) content() bool {
	if p.act {
		return p.kind == actOutput
	}
	return strings.TrimSpace(p.text) != ""
}

// row is one line of the template's output as the template writes it: the literal text and the
// actions between two line ends that survive the trim markers. A row usually is one template line;
// {{- and -}} join lines into one row, and an action spanning lines stays in one row.
type row struct {
	all         []piece // every piece, control actions included
	pat         []piece // the pieces that write: literal text and output actions
	wild        []int   // indexes in pat of the output actions
	lits        []int   // lits[i]: visible literal pieces in pat[:i]
	line        int     // the template line that stands for the row
	nlLine      int     // the template line of the row's line end (of its last piece when it has none)
	nl          bool    // the row ends with a line end
	nlRegion    int     // the region the line end sits in
	lastVisible int     // index in all of the last piece that writes something visible, -1 for none
	skip        int     // cost of skipping the row
	dead        bool    // all in a define body: never written here
	content     bool
	prefix      string // what a line must start with to match the row ("" when anything)
	suffix      string // what a line must end with, trailing blanks aside, to match the whole row
}

// litsBetween counts the visible literal pieces of pat[a:b].
func (r *row) litsBetween(a, b int) int { return r.lits[b] - r.lits[a] }

// region is the body of a block: an if or else branch, a with, a range body, a define.
type region struct {
	parent      int
	cond        bool // may be written zero times (if, else, with, range)
	define      bool
	anyCond     bool // this region or one around it is conditional
	anyDefine   bool // this region or one around it is a define body
	open, close int  // rows where the body starts and ends
	closeAt     int  // index in the closing row's pieces of the action that ends the body
}

type block struct {
	kind   actKind
	region int
	rng    int // index in ranges, -1 for other blocks
}

// rangeBody is where a range body starts and ends, in rows.
type rangeBody struct {
	open, close int
	openAt      int // index of the range action in its row's pieces
	region      int
}

type builder struct {
	src     string
	starts  []int
	rows    []row
	cur     row
	regions []region
	stack   []block
	ranges  []rangeBody
}

func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos is the line and column (1-based, columns in characters) of byte offset off.
func (b *builder) pos(off int) (line, col int) {
	i := sort.Search(len(b.starts), func(i int) bool { return b.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, utf8.RuneCountInString(b.src[b.starts[i]:off]) + 1
}

func (b *builder) region() int {
	if len(b.stack) == 0 {
		return -1
	}
	return b.stack[len(b.stack)-1].region
}

func (b *builder) add(p piece) {
	p.region = b.region()
	b.cur.all = append(b.cur.all, p)
}

func (b *builder) text(s, e int) {
	for s < e {
		end := e
		nl := strings.IndexByte(b.src[s:e], '\n')
		if nl >= 0 {
			end = s + nl
		}
		if end > s {
			line, col := b.pos(s)
			b.add(piece{text: b.src[s:end], line: line, col: col})
		}
		if nl < 0 {
			return
		}
		b.endRow(end)
		s = end + 1
	}
}

func (b *builder) endRow(nlOff int) {
	r := b.cur
	r.nl = true
	r.nlRegion = b.region()
	r.line, _ = b.pos(nlOff)
	r.nlLine = r.line
	b.rows = append(b.rows, r)
	b.cur = row{}
}

// newRegion starts a block body inside region parent.
func (b *builder) newRegion(parent int, cond, define bool) {
	rg := region{parent: parent, cond: cond, define: define, open: len(b.rows), close: -1, closeAt: -1}
	rg.anyCond, rg.anyDefine = b.inRegions(parent)
	rg.anyCond, rg.anyDefine = rg.anyCond || cond, rg.anyDefine || define
	b.regions = append(b.regions, rg)
}

func (b *builder) open(kind actKind, cond, define bool) {
	b.newRegion(b.region(), cond, define)
	bl := block{kind: kind, region: len(b.regions) - 1, rng: -1}
	if kind == actRange {
		b.ranges = append(b.ranges, rangeBody{open: len(b.rows), openAt: len(b.cur.all) - 1, close: -1, region: bl.region})
		bl.rng = len(b.ranges) - 1
	}
	b.stack = append(b.stack, bl)
}

// closeRegion ends the body of the innermost block (at an else or an end).
func (b *builder) closeRegion() {
	bl := b.stack[len(b.stack)-1]
	b.regions[bl.region].close = len(b.rows)
	b.regions[bl.region].closeAt = len(b.cur.all)
	if bl.rng >= 0 && b.ranges[bl.rng].close < 0 {
		b.ranges[bl.rng].close = len(b.rows)
	}
}

func (b *builder) action(it item) {
	line, col := b.pos(it.start)
	p := piece{act: true, kind: it.kind, line: line, col: col, indent: it.indent, multiline: it.multiline}
	switch it.kind {
	case actIf, actWith, actRange:
		b.add(p)
		b.open(it.kind, true, false)
	case actDefine:
		b.add(p)
		b.open(it.kind, false, true)
	case actBlock:
		b.add(p)
		b.open(it.kind, false, false)
	case actElse:
		if len(b.stack) > 0 {
			b.closeRegion()
			top := &b.stack[len(b.stack)-1]
			parent := b.regions[top.region].parent
			b.newRegion(parent, true, false)
			top.region = len(b.regions) - 1
		}
		b.add(p)
	case actEnd:
		if len(b.stack) > 0 {
			b.closeRegion()
			b.stack = b.stack[:len(b.stack)-1]
		}
		b.add(p)
	default:
		b.add(p)
	}
}

// inRegions tells whether region x or one around it is conditional, and whether one is a define.
func (b *builder) inRegions(x int) (cond, define bool) {
	if x < 0 {
		return false, false
	}
	return b.regions[x].anyCond, b.regions[x].anyDefine
}

func (b *builder) finish() {
	if len(b.cur.all) > 0 {
		r := b.cur
		r.nlRegion = b.region()
		r.line = r.all[0].line
		r.nlLine = r.all[len(r.all)-1].line
		b.rows = append(b.rows, r)
	}
	last := len(b.rows) - 1
	for len(b.stack) > 0 {
		bl := b.stack[len(b.stack)-1]
		if b.regions[bl.region].close < 0 {
			b.regions[bl.region].close = last
		}
		if bl.rng >= 0 && b.ranges[bl.rng].close < 0 {
			b.ranges[bl.rng].close = last
		}
		b.stack = b.stack[:len(b.stack)-1]
	}
	for i := range b.rows {
		b.finishRow(i)
	}
}

// optional tells whether literal text in region x of row i may be missing from the row's line: it
// sits in a conditional body that starts in the row while the row's line end is outside that body
// (an inline if: "tier: {{ if .fe }}frontend{{ end }}"), or in one that started on an earlier row and
// ends in this one, whose line end then may close a line the text is not on.
func (b *builder) optional(x, i int, nl bool, nlRegion int) bool {
	for n := 0; x >= 0 && n < maxNesting; x, n = b.regions[x].parent, n+1 {
		rg := &b.regions[x]
		if rg.open < i && rg.close > i {
			return false // this body, and all around it, hold the whole row
		}
		if !rg.cond {
			continue
		}
		if rg.open < i && rg.close == i {
			return true
		}
		if rg.open == i && (!nl || !b.within(nlRegion, x)) {
			return true
		}
	}
	return false
}

// within tells whether region x is region y or inside it.
func (b *builder) within(x, y int) bool {
	for n := 0; x >= 0 && n < maxNesting; x, n = b.regions[x].parent, n+1 {
		if x == y {
			return true
		}
	}
	return false
}

func (b *builder) finishRow(i int) {
	r := &b.rows[i]
	first := true
	allCond := true
	r.lastVisible = -1
	for n := range r.all {
		p := &r.all[n]
		if p.act && p.kind != actOutput {
			continue
		}
		cond, define := b.inRegions(p.region)
		if define {
			continue // a define body writes nothing where it is defined
		}
		if p.content() {
			r.lastVisible = n
		}
		if !p.act {
			p.optional = b.optional(p.region, i, r.nl, r.nlRegion)
		}
		if p.act {
			r.wild = append(r.wild, len(r.pat))
		}
		r.pat = append(r.pat, *p)
		if !p.content() {
			continue
		}
		r.content = true
		if first {
			r.line = p.line
			first = false
		}
		allCond = allCond && cond
	}
	if first && len(r.all) > 0 {
		r.line = r.all[0].line
	}
	r.lits = make([]int, len(r.pat)+1)
	for n := range r.pat {
		r.lits[n+1] = r.lits[n]
		if !r.pat[n].act && r.pat[n].content() {
			r.lits[n+1]++
		}
	}
	_, nlDefine := b.inRegions(r.nlRegion)
	switch {
	case !r.content && (!r.nl || nlDefine):
		r.skip, r.dead = 0, r.nl
	case !r.content:
		r.skip = costSkipBlank
	case allCond:
		r.skip = costSkipCond
	default:
		r.skip = costSkipMandatory
	}
	if len(r.pat) > 0 && !r.pat[0].act && !r.pat[0].optional {
		r.prefix = trimRight(r.pat[0].text)
	}
	if n := len(r.pat); n > 0 && !r.pat[n-1].act && !r.pat[n-1].optional {
		r.suffix = trimRight(r.pat[n-1].text)
	}
}

// ---- The alignment ----

// States of the alignment, per row r: closed(r) is "before row r" (rows before it done), and
// open(r, k) is "inside row r, in the output of its k-th output action, which has written a line end".
// closed(len(rows)) is the end.
type plan struct {
	rows   []row
	base   []int    // base[r]: the state closed(r); open(r, k) is base[r]+1+k
	rowOf  []int32  // the row of each state
	kOf    []int32  // the output action of each open state, -1 for closed states
	edges  [][]edge // edges[s]: range jumps and body skips from state s
	edgeAt map[[3]int]int
	n      int // number of states
	m      matcher
	lits   map[string]bool // the text of the rows that are all literal text
	keys   map[string]bool // the keys ("  name:") the rows start with in literal text
	ev     bool            // the line being aligned looks like literal text of the template
}

// Transition kinds, as recorded in the table.
const (
	kNone uint8 = iota
	kStart
	kSkip        // closed(r) → closed(r+1), no line
	kAdvance0    // open(r, k) → open(r, k2), no line: the actions between wrote nothing
	kClose0      // open(r, k) → closed(r+1), no line: nothing but actions follow in the row
	kJump        // closed(end of range body) → closed(start of range body), no line
	kSkipRegion  // closed(first row inside a body) → closed(row where it ends), no line
	kOrphan      // a line nothing explains
	kMatch       // closed(r) → closed(r+1): the line is row r
	kSubst       // closed(r) → closed(r+1): the line stands in the place of row r, not matching it
	kOpen        // closed(r) → open(r, k): the line is row r up to action k, which goes on writing
	kCont        // open(r, k) → open(r, k): the line is written by action k
	kAdvanceLine // open(r, k) → open(r, k2): the line is action k's end, the row's text, action k2's start
	kCloseLine   // open(r, k) → closed(r+1): the line is action k's end and the rest of the row
)

// assign is what explains one rendered line.
type assign struct {
	kind       uint8
	row, k, k2 int
}

func newPlan(src string) *plan {
	b := builder{src: src, starts: lineStarts(src)}
	for _, it := range lex(src) {
		if it.action {
			b.action(it)
		} else {
			b.text(it.start, it.end)
		}
	}
	b.finish()
	p := &plan{rows: b.rows}
	p.base = make([]int, len(p.rows)+1)
	for r := range p.rows {
		p.base[r] = p.n
		p.rowOf = append(p.rowOf, int32(r))
		p.kOf = append(p.kOf, -1)
		for k := range p.rows[r].wild {
			p.rowOf = append(p.rowOf, int32(r))
			p.kOf = append(p.kOf, int32(k))
		}
		p.n += 1 + len(p.rows[r].wild)
	}
	p.base[len(p.rows)] = p.n
	p.rowOf = append(p.rowOf, int32(len(p.rows)))
	p.kOf = append(p.kOf, -1)
	p.n++
	p.lits, p.keys = map[string]bool{}, map[string]bool{}
	for i := range p.rows {
		r := &p.rows[i]
		if r.dead || !r.content || len(r.pat) == 0 || r.pat[0].act {
			continue
		}
		if k := keyPart(r.pat[0].text); k != "" {
			p.keys[k] = true
		}
		if len(r.pat) == 1 {
			p.lits[trimRight(r.pat[0].text)] = true
		}
	}
	p.edges = make([][]edge, p.n)
	p.edgeAt = map[[3]int]int{}
	for _, rb := range b.ranges {
		if _, define := b.inRegions(rb.region); define || rb.open >= rb.close || rb.close >= len(p.rows) {
			continue
		}
		// The body starts after the range action and ends before its end (or else): the row of the
		// end closes an iteration and the next starts with the row after the range action's; or,
		// when the body starts with visible text on the range action's row, that row starts each
		// iteration.
		p.addEdge(rb.close+1, rb.open+1, costJump, kJump)
		if b.visibleAfter(rb.open, rb.openAt) {
			p.addEdge(rb.close, rb.open, costJump, kJump)
		}
	}
	for x, rg := range b.regions {
		// A condition that is false skips its whole body at once, however long. The body ends in the
		// middle of its last row: when nothing visible follows its end there, that row's line end
		// closes the line of the row where the body starts, and the last row goes with the body;
		// else (or to give that line end a line of its own) the last row stays.
		if _, define := b.inRegions(x); !rg.cond || define || rg.open >= rg.close || rg.close >= len(p.rows) {
			continue
		}
		if !b.visibleAfter(rg.close, rg.closeAt) {
			p.addEdge(rg.open+1, rg.close+1, costSkipCond, kSkipRegion)
		}
		if rg.open+1 < rg.close {
			p.addEdge(rg.open+1, rg.close, costSkipPartial, kSkipRegion)
		}
	}
	return p
}

// visibleAfter tells whether row r has visible text or output after its piece at index at.
func (b *builder) visibleAfter(r, at int) bool {
	return at >= 0 && b.rows[r].lastVisible > at
}

// edge is a transition that explains no line beyond the step to the next row: a range jump, or the
// skip of a whole conditional body.
type edge struct {
	to   int
	cost int
	kind uint8
}

func (p *plan) addEdge(from, to, cost int, kind uint8) {
	s, t := p.base[from], p.base[to]
	key := [3]int{s, t, int(kind)}
	if i, ok := p.edgeAt[key]; ok {
		p.edges[s][i].cost = min(p.edges[s][i].cost, cost)
		return
	}
	p.edgeAt[key] = len(p.edges[s])
	p.edges[s] = append(p.edges[s], edge{to: t, cost: cost, kind: kind})
}

// evidence tells whether line s looks like literal text of the template: the text of a row that is
// all literal, or a line starting with a key that a row starts with in literal text. Actions rarely
// write such lines.
func (p *plan) evidence(s string) bool {
	if p.lits[trimRight(s)] {
		return true
	}
	k := keyPart(s)
	return k != "" && p.keys[k]
}

// keyPart is the start of a YAML-looking line up to the colon that ends its key ("  - name:"), or
// "" when the line has no such colon.
func keyPart(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ') {
			if strings.Trim(s[:i], " -") == "" {
				return ""
			}
			return s[:i+1]
		}
	}
	return ""
}

// emitFunc receives a transition: the state it leads to, its cost, its kind and an auxiliary value
// (the source action for advances and closes, the source state for jumps).
type emitFunc func(dest, cost int, kind uint8, aux int)

// consume emits the transitions from state st that explain line s.
func (p *plan) consume(st int, s string, emit emitFunc) {
	r, k := int(p.rowOf[st]), int(p.kOf[st])
	if r == len(p.rows) {
		emit(st, costOrphan, kOrphan, 0)
		return
	}
	row := &p.rows[r]
	next := p.base[r+1]
	if k < 0 {
		emit(st, costOrphan, kOrphan, 0)
		if row.dead {
			return
		}
		quick := strings.HasPrefix(s, row.prefix)
		if quick && strings.HasSuffix(trimRight(s), row.suffix) && p.m.match(nil, row.pat, s) {
			emit(next, p.m.cost(s, p.ev), kMatch, 0)
		} else if row.content && !isBlank(s) {
			emit(next, costSubst, kSubst, 0)
		}
		if !quick {
			return
		}
		for k2, w := range row.wild {
			// An action goes on writing lines only when its row's text is all there: optional text
			// left out means its conditional body, and the action in it, were skipped.
			if p.m.match(nil, row.pat[:w+1], s) && !p.m.dropped {
				emit(st+1+k2, p.m.cost(s, p.ev), kOpen, 0)
			}
		}
		return
	}
	w := row.wild[k]
	act := &row.pat[w]
	cost := costCont
	switch {
	case !act.multiline:
		cost = costContPlain
	case act.indent > 0 && !isBlank(s) && indentOf(s) < act.indent:
		cost = costContShallow
	}
	if p.ev {
		cost += costEvidence
	}
	emit(st, cost, kCont, 0)
	if row.litsBetween(w+1, len(row.pat)) > 0 && strings.HasSuffix(trimRight(s), row.suffix) && p.m.match(act, row.pat[w+1:], s) {
		emit(next, p.m.cost(s, p.ev), kCloseLine, k)
	}
	for k2 := k + 1; k2 < len(row.wild); k2++ {
		w2 := row.wild[k2]
		if row.litsBetween(w+1, w2) > 0 && p.m.match(act, row.pat[w+1:w2+1], s) {
			emit(st+k2-k, p.m.cost(s, p.ev), kAdvanceLine, k)
		}
	}
}

// zero emits the transitions from state st that explain no line.
func (p *plan) zero(st int, emit emitFunc) {
	for _, e := range p.edges[st] {
		emit(e.to, e.cost, e.kind, st)
	}
	r, k := int(p.rowOf[st]), int(p.kOf[st])
	if r == len(p.rows) {
		return
	}
	row := &p.rows[r]
	if k < 0 {
		emit(p.base[r+1], row.skip, kSkip, 0)
		return
	}
	w := row.wild[k]
	for k2 := k + 1; k2 < len(row.wild); k2++ {
		if row.litsBetween(w+1, row.wild[k2]) == 0 {
			emit(st+k2-k, 0, kAdvance0, k)
		}
	}
	if row.litsBetween(w+1, len(row.pat)) == 0 {
		emit(p.base[r+1], 0, kClose0, k)
	}
}

// align is the exact alignment: a shortest path over rendered lines × states.
func (p *plan) align(lines []string) []assign {
	n, nl := p.n, len(lines)
	kinds := make([]uint8, (nl+1)*n)
	aux := make([]uint16, (nl+1)*n)
	prev, cur := make([]int32, n), make([]int32, n)
	for i := range prev {
		prev[i] = inf
	}
	prev[p.base[0]] = 0
	kinds[p.base[0]] = kStart
	p.sweep(prev, kinds[:n], aux[:n])
	for j := 1; j <= nl; j++ {
		for i := range cur {
			cur[i] = inf
		}
		kj, aj := kinds[j*n:(j+1)*n], aux[j*n:(j+1)*n]
		s := lines[j-1]
		p.ev = p.evidence(s)
		for st := 0; st < n; st++ {
			c := prev[st]
			if c >= inf {
				continue
			}
			p.consume(st, s, func(dest, cost int, kind uint8, a int) {
				if v := c + int32(cost); v < cur[dest] {
					cur[dest], kj[dest], aj[dest] = v, kind, uint16(a)
				}
			})
		}
		p.sweep(cur, kj, aj)
		prev, cur = cur, prev
	}

	as := make([]assign, nl)
	st, j := p.base[len(p.rows)], nl
	for guard := 0; guard < (nl+1)*(n+1)*2; guard++ {
		kd, a := kinds[j*n+st], int(aux[j*n+st])
		r := int(p.rowOf[st])
		src := st
		switch kd {
		case kSkip:
			st = p.base[r-1]
			continue
		case kAdvance0:
			st = p.base[r] + 1 + a
			continue
		case kClose0:
			st = p.base[r-1] + 1 + a
			continue
		case kJump, kSkipRegion:
			st = a
			continue
		case kMatch, kSubst:
			src = p.base[r-1]
		case kOpen:
			src = p.base[r]
		case kAdvanceLine:
			src = p.base[r] + 1 + a
		case kCloseLine:
			src = p.base[r-1] + 1 + a
		case kOrphan, kCont:
		default:
			return as
		}
		if j == 0 {
			return as
		}
		as[j-1] = p.assignOf(src, st, kd)
		st, j = src, j-1
	}
	return as
}

// sweep applies the transitions that explain no line within one column of the table until nothing
// improves (range jumps lead back, so a few passes may be needed).
func (p *plan) sweep(col []int32, kj []uint8, aj []uint16) {
	lo := 0
	for pass := 0; pass < maxSweeps && lo < p.n; pass++ {
		again := p.n
		for st := lo; st < p.n; st++ {
			c := col[st]
			if c >= inf {
				continue
			}
			p.zero(st, func(dest, cost int, kind uint8, a int) {
				if v := c + int32(cost); v < col[dest] {
					col[dest], kj[dest], aj[dest] = v, kind, uint16(a)
					if dest <= st && dest < again {
						again = dest
					}
				}
			})
		}
		lo = again
	}
}

// assignOf describes a transition that explains a line.
func (p *plan) assignOf(src, dest int, kind uint8) assign {
	switch kind {
	case kMatch, kSubst:
		return assign{kind: kind, row: int(p.rowOf[src])}
	case kOpen:
		return assign{kind: kind, row: int(p.rowOf[dest]), k: int(p.kOf[dest])}
	case kCont, kCloseLine:
		return assign{kind: kind, row: int(p.rowOf[src]), k: int(p.kOf[src])}
	case kAdvanceLine:
		return assign{kind: kind, row: int(p.rowOf[src]), k: int(p.kOf[src]), k2: int(p.kOf[dest])}
	}
	return assign{kind: kOrphan}
}

// greedy is the linear alignment for inputs too large for the table: a beam search that keeps, for
// each rendered line, the beamWidth cheapest states, and looks only a window of states ahead of
// them for the next line's explanation.
func (p *plan) greedy(lines []string) []assign {
	type entry struct {
		state, cost, parent int
		a                   assign
	}
	cols := make([][]entry, len(lines)+1)
	cols[0] = []entry{{state: p.base[0], parent: -1}}
	var q reachQueue
	cand := map[int]int{}
	for j, s := range lines {
		p.ev = p.evidence(s)
		starts := make([]reached, len(cols[j]))
		for i, e := range cols[j] {
			starts[i] = reached{state: e.state, cost: e.cost, origin: i}
		}
		var next []entry
		clear(cand)
		for _, v := range q.explore(p, starts, greedyWindow+len(starts)) {
			p.consume(v.state, s, func(dest, cost int, kind uint8, _ int) {
				c := v.cost + cost
				i, ok := cand[dest]
				if !ok {
					cand[dest] = len(next)
					next = append(next, entry{dest, c, v.origin, p.assignOf(v.state, dest, kind)})
				} else if c < next[i].cost {
					next[i] = entry{dest, c, v.origin, p.assignOf(v.state, dest, kind)}
				}
			})
		}
		sort.SliceStable(next, func(a, b int) bool { return next[a].cost < next[b].cost })
		if len(next) > beamWidth {
			next = next[:beamWidth]
		}
		cols[j+1] = next
	}
	as := make([]assign, len(lines))
	for j, i := len(lines), 0; j > 0 && i >= 0 && i < len(cols[j]); j-- {
		as[j-1] = cols[j][i].a
		i = cols[j][i].parent
	}
	return as
}

// reached is a state found without explaining a line, at a cost, from one of the starting states.
type reached struct{ state, cost, origin int }

// reachQueue finds the states reachable from some states without explaining a line, cheapest
// first.
type reachQueue struct {
	heap []reached
	best map[int]int
	done map[int]bool
	out  []reached
}

func (q *reachQueue) Len() int           { return len(q.heap) }
func (q *reachQueue) Less(i, j int) bool { return q.heap[i].cost < q.heap[j].cost }
func (q *reachQueue) Swap(i, j int)      { q.heap[i], q.heap[j] = q.heap[j], q.heap[i] }
func (q *reachQueue) Push(x any)         { q.heap = append(q.heap, x.(reached)) }
func (q *reachQueue) Pop() any {
	x := q.heap[len(q.heap)-1]
	q.heap = q.heap[:len(q.heap)-1]
	return x
}

// explore returns up to limit states, cheapest first, with the cost and the start they are reached
// from.
func (q *reachQueue) explore(p *plan, starts []reached, limit int) []reached {
	q.heap, q.out = q.heap[:0], q.out[:0]
	if q.best == nil {
		q.best, q.done = map[int]int{}, map[int]bool{}
	}
	clear(q.best)
	clear(q.done)
	for _, st := range starts {
		if old, ok := q.best[st.state]; !ok || st.cost < old {
			q.best[st.state] = st.cost
			heap.Push(q, st)
		}
	}
	for q.Len() > 0 && len(q.out) < limit {
		v := heap.Pop(q).(reached)
		if q.done[v.state] {
			continue
		}
		q.done[v.state] = true
		q.out = append(q.out, v)
		p.zero(v.state, func(dest, cost int, _ uint8, _ int) {
			c := v.cost + cost
			if old, ok := q.best[dest]; !ok || c < old {
				q.best[dest] = c
				heap.Push(q, reached{dest, c, v.origin})
			}
		})
	}
	return q.out
}

// ---- Matching one line against a row ----

type span struct{ from, to int } // bytes of the line; from -1 for a piece left out

// matcher matches a rendered line against a sequence of pieces: literal text must appear as it is,
// output actions match any text (none included), optional text may be left out. A leading action
// stands for the end of an action's output that began on an earlier line. Actions take as much text
// as they can, the earlier first: in "{{ .repo }}:{{ .tag }}" the repository keeps a registry's port.
type matcher struct {
	s       string
	toks    []*piece
	spans   []span
	steps   int
	strict  bool // optional text must be there too
	dropped bool // the last match left optional text out
	end     int  // length of the line without its trailing blanks
	work    int  // steps spent on all matches so far
}

func (m *matcher) match(lead *piece, pat []piece, s string) bool {
	if m.work > maxMatchWork {
		// Out of budget: only lines that are exactly a literal row still match.
		m.dropped = false
		if lead != nil || len(pat) != 1 || pat[0].act || trimRight(s) != trimRight(pat[0].text) {
			return false
		}
		m.s, m.toks, m.spans = s, append(m.toks[:0], &pat[0]), append(m.spans[:0], span{0, len(trimRight(s))})
		return true
	}
	defer func() { m.work += m.steps }()
	m.s, m.toks, m.steps, m.end = s, m.toks[:0], 0, len(trimRight(s))
	if lead != nil {
		m.toks = append(m.toks, lead)
	}
	for i := range pat {
		m.toks = append(m.toks, &pat[i])
	}
	if cap(m.spans) < len(m.toks) {
		m.spans = make([]span, len(m.toks))
	}
	m.spans = m.spans[:len(m.toks)]
	// First with all the text, then leaving optional text out.
	m.dropped = false
	if m.strict = true; m.rec(0, 0) {
		return true
	}
	m.dropped = true
	if m.strict, m.steps = false, 0; !m.rec(0, 0) {
		return false
	}
	// Leaving optional text out must leave some literal text to anchor the line, or a blank line:
	// else the row would match anything.
	dropped, anchored := false, false
	for i, t := range m.toks {
		if !t.act && t.content() {
			if m.spans[i].from < 0 {
				dropped = true
			} else {
				anchored = true
			}
		}
	}
	return !dropped || anchored || isBlank(s)
}

func (m *matcher) rec(i, p int) bool {
	m.steps++
	if m.steps > maxMatchSteps {
		return false
	}
	if i == len(m.toks) {
		return p >= m.end
	}
	t := m.toks[i]
	if t.act {
		if i+1 == len(m.toks) {
			m.spans[i] = span{p, len(m.s)}
			return true
		}
		if nx := m.toks[i+1]; !nx.act && (!nx.optional || m.strict) {
			lit := nx.text
			if i+2 == len(m.toks) {
				// The last literal ends the line, trailing blanks aside.
				lit = trimRight(lit)
				q := m.end - len(lit)
				if q >= p && m.rec(i+1, q) {
					m.spans[i] = span{p, q}
					return true
				}
				return false
			}
			for e := len(m.s); e >= p; {
				q := strings.LastIndex(m.s[p:e], lit)
				m.steps += (e - p) >> 5
				if q < 0 {
					return false
				}
				q += p
				if m.rec(i+1, q) {
					m.spans[i] = span{p, q}
					return true
				}
				e = q + len(lit) - 1
			}
			return false
		}
		for q := len(m.s); q >= p; q-- {
			if m.rec(i+1, q) {
				m.spans[i] = span{p, q}
				return true
			}
		}
		return false
	}
	if i+1 == len(m.toks) {
		lit, rest := trimRight(t.text), m.s[p:max(p, m.end)]
		if rest == lit {
			m.spans[i] = span{p, p + len(lit)}
			return true
		}
	} else if strings.HasPrefix(m.s[p:], t.text) && m.rec(i+1, p+len(t.text)) {
		m.spans[i] = span{p, p + len(t.text)}
		return true
	}
	if t.optional && !m.strict && m.rec(i+1, p) {
		m.spans[i] = span{-1, -1}
		return true
	}
	return false
}

// cost is the cost of the last successful match of line s.
// ev tells that the line looks like literal text of the template (see plan.evidence): a match in
// which an action writes the line's first visible character then costs costEvidence more.
func (m *matcher) cost(s string, ev bool) int {
	wild, anyWild, skipped, seen, penalty := 0, false, false, false, 0
	for i, t := range m.toks {
		sp := m.spans[i]
		n := 0
		if sp.from >= 0 {
			n = nonSpace(s[sp.from:sp.to])
		}
		switch {
		case t.act:
			anyWild = true
			wild += n
			if ev && !seen && n > 0 {
				penalty = costEvidence
			}
		case sp.from < 0 && t.content():
			skipped = true
		}
		seen = seen || n > 0
	}
	c := 0
	if anyWild {
		c = costMixed
		if total := nonSpace(s); total > 0 {
			c += costMixedWild * wild / total
		}
	}
	if skipped {
		c += costOptional
	}
	return c + penalty
}

// segments turns the last successful match of line s into segments, and tells which template line
// stands for the line: the one its first visible character comes from.
func (m *matcher) segments(s string) (segs []segment, line int) {
	for i, t := range m.toks {
		sp := m.spans[i]
		if sp.from < 0 || (sp.from == sp.to && t.act) {
			continue
		}
		if line == 0 && nonSpace(s[sp.from:sp.to]) > 0 {
			line = t.line
		}
		from := utf8.RuneCountInString(s[:sp.from])
		segs = append(segs, segment{
			from: from, to: from + utf8.RuneCountInString(s[sp.from:sp.to]),
			line: t.line, col: t.col, literal: !t.act,
		})
	}
	return segs, line
}

// ---- From the alignment to the map ----

// lineMap places rendered line s according to what explains it.
func (p *plan) lineMap(s string, a assign, tlines []string) lineMap {
	var lm lineMap
	var row *row
	if a.kind != kOrphan && a.kind != kNone {
		row = &p.rows[a.row]
	}
	matched := false
	blankLine := 0 // the line for a line with nothing visible
	switch a.kind {
	case kMatch:
		matched, blankLine = p.m.match(nil, row.pat, s), row.nlLine
	case kOpen:
		matched, blankLine = p.m.match(nil, row.pat[:row.wild[a.k]+1], s), row.pat[row.wild[a.k]].line
	case kAdvanceLine:
		w := row.wild[a.k]
		matched, blankLine = p.m.match(&row.pat[w], row.pat[w+1:row.wild[a.k2]+1], s), row.pat[w].line
	case kCloseLine:
		w := row.wild[a.k]
		matched, blankLine = p.m.match(&row.pat[w], row.pat[w+1:], s), row.pat[w].line
	case kCont:
		act := &row.pat[row.wild[a.k]]
		lm = lineMap{line: act.line, segs: []segment{{to: utf8.RuneCountInString(s), line: act.line, col: act.col}}}
	case kOrphan, kNone:
		return lineMap{orphan: true}
	}
	if matched {
		lm.segs, lm.line = p.m.segments(s)
		if lm.line == 0 {
			lm.line = blankLine
		}
		if len(lm.segs) == 0 {
			lm.segs = []segment{{line: lm.line, col: 1, literal: true}}
		}
	} else if lm.segs == nil {
		lm = substitute(s, row.line, tlines[row.line-1])
	}
	if trimRight(tlines[lm.line-1]) == trimRight(s) {
		lm.literal = true
		lm.segs = []segment{{to: utf8.RuneCountInString(s), line: lm.line, col: 1, literal: true}}
	}
	return lm
}

// substitute places line s on template line `line` (text t) although it does not match it: the
// characters it shares with the start of t, up to t's first action, carry over; the rest goes to
// that action, or to where the two lines part.
func substitute(s string, line int, t string) lineMap {
	cp := 0
	stop := len(t)
	if i := strings.Index(t, "{{"); i >= 0 {
		stop = i
	}
	for cp < len(s) && cp < stop && s[cp] == t[cp] {
		cp++
	}
	for cp > 0 && cp < len(s) && !utf8.RuneStart(s[cp]) {
		cp--
	}
	lm := lineMap{line: line}
	w := utf8.RuneCountInString(s[:cp])
	if cp > 0 {
		lm.segs = append(lm.segs, segment{to: w, line: line, col: 1, literal: true})
	}
	if cp < len(s) || cp == 0 {
		col := w + 1
		if i := strings.Index(t[cp:], "{{"); i >= 0 {
			col = utf8.RuneCountInString(t[:cp+i]) + 1
		}
		lm.segs = append(lm.segs, segment{from: w, to: utf8.RuneCountInString(s), line: line, col: col})
	}
	return lm
}

// ---- Small helpers ----

// splitLines splits text into lines; a final line end does not start another line.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func trimRight(s string) string { return strings.TrimRight(s, " \t\r") }

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\r' && r != '\n' {
			n++
		}
	}
	return n
}
