package lint

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/podlint/podlint/internal/manifest"
)

// RuleInvalidSuppression is the id of findings about suppression directives themselves.
const RuleInvalidSuppression = "invalid-suppression"

// IgnoreAnnotation lists rule ids to ignore for an object, for generated manifests that lose comments.
const IgnoreAnnotation = "podlint.io/ignore"

// Suppressed counts the findings each kind of suppression removed.
type Suppressed struct {
	Comment    int `json:"comment"`
	Annotation int `json:"annotation"`
}

// directive is one `# podlint:ignore` or `# podlint:ignore-file` comment.
type directive struct {
	line, col int
	wholeDoc  bool
	rules     []string
	reason    string
	covers    manifest.LineRange
	used      map[string]bool
}

var directiveRE = regexp.MustCompile(`^#\s*podlint:(ignore-file|ignore)\b(.*)$`)

// parseDirectives finds the suppression comments of a file. A malformed one is reported as a finding
// and suppresses nothing.
func parseDirectives(f *manifest.File, known func(string) bool) ([]*directive, []Finding) {
	var ds []*directive
	var bad []Finding
	for i, line := range f.Lines {
		if !strings.Contains(line, "podlint:") {
			continue
		}
		off := commentStart(line)
		if off < 0 {
			continue
		}
		m := directiveRE.FindStringSubmatch(line[off:])
		if m == nil {
			continue
		}
		d := &directive{line: i + 1, col: 1 + utf8.RuneCountInString(line[:off]), wholeDoc: m[1] == "ignore-file", used: map[string]bool{}}
		invalid := func(format string, args ...any) {
			bad = append(bad, Finding{Rule: RuleInvalidSuppression, Severity: Warning, File: f.Name, Line: d.line,
				Column: d.col, EndLine: d.line, EndColumn: 1 + utf8.RuneCountInString(line), Source: line,
				Message: fmt.Sprintf(format, args...)})
		}
		body := m[2]
		ids, reason, hasReason := strings.Cut(body, "--")
		d.reason = strings.TrimSpace(reason)
		for _, id := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			d.rules = append(d.rules, id)
		}
		switch {
		case len(d.rules) == 0:
			invalid("podlint:%s names no rule: write `# podlint:%s <rule-id> -- <reason>`", m[1], m[1])
			continue
		case !hasReason || d.reason == "":
			invalid("podlint:%s %s has no reason: add ` -- <why this is fine>`", m[1], strings.Join(d.rules, ","))
			continue
		}
		var unknown []string
		for _, id := range d.rules {
			if known != nil && !known(id) {
				unknown = append(unknown, id)
			}
		}
		if len(unknown) > 0 {
			invalid("podlint:%s names unknown rule %s (see podlint rules)", m[1], quoteList(unknown))
			continue
		}
		if !d.wholeDoc {
			d.covers = coveredLines(f.Lines, i, off)
		}
		ds = append(ds, d)
	}
	return ds, bad
}

func quoteList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ", ")
}

// commentStart returns the byte offset of the '#' that starts a YAML comment on the line, or -1. A '#'
// starts a comment at the start of a line or after white space, outside quotes.
func commentStart(line string) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || strings.ContainsRune(" \t:[{,-", rune(line[i-1])) {
				quote = c
			}
		case c == '#':
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
				return i
			}
		}
	}
	return -1
}

// coveredLines is what an ignore directive at line index i covers. A comment after a value covers
// that line; a comment on a line of its own covers the next line with content. Either way the cover
// extends over everything nested under that line, so a directive above `command:` covers the whole
// command, however many lines its value takes.
func coveredLines(lines []string, i, commentOff int) manifest.LineRange {
	target := i
	if strings.TrimSpace(lines[i][:commentOff]) == "" {
		target = -1
		for j := i + 1; j < len(lines); j++ {
			if t := strings.TrimSpace(lines[j]); t != "" && !strings.HasPrefix(t, "#") {
				target = j
				break
			}
		}
		if target < 0 {
			return manifest.LineRange{First: i + 1, Last: i + 1}
		}
	}
	indent := indentOf(lines[target])
	content := lines[target]
	if c := commentStart(content); c >= 0 {
		content = content[:c]
	}
	opensBlock := strings.HasSuffix(strings.TrimSpace(content), ":")
	last := target
	for j := target + 1; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		in := indentOf(lines[j])
		// a block list may sit at its key's indentation: "containers:\n- name: a"
		if in > indent || (opensBlock && in == indent && strings.HasPrefix(t, "-")) {
			last = j
			continue
		}
		break
	}
	return manifest.LineRange{First: target + 1, Last: last + 1}
}

func indentOf(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t"))
}

// annotationIgnores returns the rule ids an object's ignore annotations name: on the object and on
// the pod template.
func annotationIgnores(doc *manifest.Document) map[string]bool {
	paths := []manifest.Path{{"metadata", "annotations", IgnoreAnnotation}}
	for _, p := range doc.Pods {
		paths = append(paths, p.Metadata.Append("annotations", IgnoreAnnotation))
	}
	var ids map[string]bool
	for _, p := range paths {
		v, ok := manifest.Get(doc.Value, p)
		s, isStr := v.(string)
		if !ok || !isStr {
			continue
		}
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				if ids == nil {
					ids = map[string]bool{}
				}
				ids[id] = true
			}
		}
	}
	return ids
}

// suppress removes the findings that comment directives cover; it returns what is left, the
// findings about directives that are malformed or suppress nothing, and how many it removed. With
// keep set (--no-suppress) nothing is removed, but broken directives are still reported.
func suppress(f *manifest.File, findings []Finding, docs []manifest.LineRange, known func(string) bool, active func(string) bool, keep bool) (kept, directives []Finding, removed int) {
	ds, bad := parseDirectives(f, known)
	if len(ds) == 0 {
		return findings, bad, 0
	}
	kept, unused, removed := applyDirectives(f, ds, findings, docs, active, keep)
	return kept, append(bad, unused...), removed
}

// applyDirectives removes the findings that directives cover (none, with keep set), and reports
// the directives that name an active rule and cover no finding of it.
func applyDirectives(f *manifest.File, ds []*directive, findings []Finding, docs []manifest.LineRange, active func(string) bool, keep bool) (kept, unused []Finding, removed int) {
	out := findings[:0:0]
	for _, fd := range findings {
		hit := false
		for _, d := range ds {
			if !contains(d.rules, fd.Rule) {
				continue
			}
			if d.wholeDoc && !sameDocument(docs, d.line, fd.Line) {
				continue
			}
			if !d.wholeDoc && !d.covers.Contains(fd.Line) {
				continue
			}
			d.used[fd.Rule] = true
			hit = true
		}
		if hit && !keep {
			removed++
			continue
		}
		out = append(out, fd)
	}
	for _, d := range ds {
		var ids []string
		for _, id := range d.rules {
			if !d.used[id] && (active == nil || active(id)) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		where := fmt.Sprintf("lines %d-%d", d.covers.First, d.covers.Last)
		if d.covers.First == d.covers.Last {
			where = fmt.Sprintf("line %d", d.covers.First)
		}
		if d.wholeDoc {
			where = "this document"
		}
		unused = append(unused, Finding{Rule: RuleInvalidSuppression, Severity: Warning, File: f.Name, Line: d.line,
			Column: d.col, EndLine: d.line, EndColumn: 1 + utf8.RuneCountInString(f.Lines[d.line-1]), Source: f.Lines[d.line-1],
			Message: fmt.Sprintf("podlint:ignore of %s suppresses nothing: no such finding on %s; remove it", quoteList(ids), where)})
	}
	return out, unused, removed
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sameDocument reports whether two lines belong to the same YAML document of the file.
func sameDocument(docs []manifest.LineRange, a, b int) bool {
	i := sort.Search(len(docs), func(i int) bool { return docs[i].Last >= a })
	return i < len(docs) && docs[i].Contains(a) && docs[i].Contains(b)
}
