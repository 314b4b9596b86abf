package helmrender

import (
	"regexp"
	"strconv"
)

// location is a place an engine error names: a template by its engine name, a line, and a column
// (counted from 1; 0 when the error gives none).
type location struct {
	name      string
	line, col int
}

var (
	// locationRE finds "name:line" and "name:line:col" in an error, whatever surrounds them: Helm's
	// "parse error at (x:5)", "execution error at (x:3:4)", its multi-line form, and text/template's
	// "template: x:12:3: executing ...".
	locationRE = regexp.MustCompile(`([^\s()<>":]+):(\d+)(?::(\d+))?`)
	// placeLineRE is a line of Helm's multi-line form that names a place and nothing else.
	placeLineRE = regexp.MustCompile(`^[^\s()<>":]+:\d+(?::\d+)?$`)
	// templatePrefixRE is text/template's prefix of an error: "template: name:line:col: ".
	templatePrefixRE = regexp.MustCompile(`template: [^\s()<>":]+(?::\d+){1,2}: `)
)

// findLocations lists the places an error names that are templates of index, outermost first.
// text/template reports the column as a byte offset from 0; it is counted from 1 here.
func findLocations(msg string, index map[string]tmpl) []location {
	var out []location
	for _, m := range locationRE.FindAllStringSubmatch(msg, -1) {
		if _, ok := index[m[1]]; !ok {
			continue
		}
		l := location{name: m[1]}
		l.line, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			c, _ := strconv.Atoi(m[3])
			l.col = c + 1
		}
		out = append(out, l)
	}
	return out
}
