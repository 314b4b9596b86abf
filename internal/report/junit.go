package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitOutput  `xml:"system-out,omitempty"`
}

// junitOutput is text a passing case carries: findings below the fail level.
type junitOutput struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// fileObject is one object of one file, with its findings by rule.
type fileObject struct {
	label  string
	byRule map[string][]lint.Finding
}

// JUnit writes JUnit XML: a test suite per file, holding a test case per object and rule that ran,
// so the number of tests stays the same from run to run and fixing a finding turns a failure into a
// pass. Rules about the file itself (RuleInfo.PerFile) and findings outside any object get the file's
// own cases. Findings at or above the fail level are failures; those below it are kept in the case's
// output.
func JUnit(w io.Writer, r *lint.Result, opts Options) error {
	var fileRules, objectRules []string
	for id, info := range opts.Rules {
		if info.PerFile {
			fileRules = append(fileRules, id)
		} else {
			objectRules = append(objectRules, id)
		}
	}
	files := map[string][]*fileObject{}
	find := func(file, label string) *fileObject {
		for _, o := range files[file] {
			if o.label == label {
				return o
			}
		}
		o := &fileObject{label: label, byRule: map[string][]lint.Finding{}}
		files[file] = append(files[file], o)
		return o
	}
	// The file's own cases come first, then the objects in the order they were written.
	groupOf := func(f lint.Finding) string {
		if opts.Rules[f.Rule].PerFile {
			return fileLabel
		}
		return objectLabel(f.Object)
	}
	for _, f := range r.Findings {
		if len(fileRules) > 0 || groupOf(f) == fileLabel {
			find(f.File, fileLabel)
		}
	}
	for _, o := range r.Objects {
		if len(fileRules) > 0 {
			find(o.File, fileLabel)
		}
		find(o.File, objectLabel(o.Object))
	}
	for _, f := range r.Findings {
		o := find(f.File, groupOf(f))
		o.byRule[f.Rule] = append(o.byRule[f.Rule], f)
	}

	out := junitSuites{Name: "podlint"}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return relPath(names[i], opts.BaseDir) < relPath(names[j], opts.BaseDir) })
	for _, name := range names {
		path := relPath(name, opts.BaseDir)
		suite := junitSuite{Name: path}
		for _, o := range files[name] {
			rules := map[string]bool{}
			for id := range o.byRule {
				rules[id] = true
			}
			catalog := objectRules
			if o.label == fileLabel {
				catalog = fileRules
			}
			for _, id := range catalog {
				rules[id] = true
			}
			if len(rules) == 0 {
				// No rule of the catalog looks at single objects: the object still counts as checked.
				suite.Cases = append(suite.Cases, junitCase{Name: "checked", Classname: o.label, File: path})
				continue
			}
			ids := make([]string, 0, len(rules))
			for id := range rules {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for _, id := range ids {
				c := junitTestCase(path, o.label, id, o.byRule[id], opts.FailLevel)
				if c.Failure != nil {
					suite.Failures++
				}
				suite.Cases = append(suite.Cases, c)
			}
		}
		suite.Tests = len(suite.Cases)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// fileLabel names the findings that belong to no object.
const fileLabel = "(file)"

func objectLabel(o manifest.Object) string {
	if s := o.String(); s != "" && o.Kind != "" {
		return s
	}
	if o.Name != "" {
		return "(no kind)/" + o.Name
	}
	return fileLabel
}

// junitTestCase builds the case of one rule on one object; findings at or above failLevel fail it.
func junitTestCase(path, label, rule string, findings []lint.Finding, failLevel lint.Severity) junitCase {
	c := junitCase{Name: rule, Classname: label, File: path}
	var failing, passing []string
	var worst lint.Severity
	var first string
	for _, f := range findings {
		line := fmt.Sprintf("%s:%d:%d: %s: %s", path, f.Line, f.Column, f.Severity, f.Message)
		if f.Severity >= failLevel {
			failing = append(failing, line)
			if f.Severity > worst {
				worst = f.Severity
			}
			if first == "" {
				first, c.Line = f.Message, f.Line
			}
		} else {
			passing = append(passing, line)
		}
	}
	if len(failing) > 0 {
		msg := first
		if len(failing) > 1 {
			msg = fmt.Sprintf("%d findings", len(failing))
		}
		c.Failure = &junitFailure{Message: msg, Type: worst.String(), Text: strings.Join(failing, "\n")}
	}
	if len(passing) > 0 {
		c.SystemOut = &junitOutput{Text: strings.Join(passing, "\n")}
	}
	return c
}
