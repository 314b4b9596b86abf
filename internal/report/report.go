// Package report writes a run's findings in the formats people and tools read.
package report

import (
	"fmt"
	"io"
	"sort"

	"github.com/podlint/podlint/internal/lint"
)

// Options tune the writers that need more than the findings.
type Options struct {
	// Color turns on ANSI colors in the text format.
	Color bool
	// Rules is the catalog of the rules that ran, by id: SARIF describes each of them and JUnit makes
	// a test case per object and rule. Findings of rules missing from it are still reported.
	Rules map[string]RuleInfo
	// BaseDir is the folder that paths in SARIF and GitHub output are made relative to (the working
	// directory, normally the repository root); empty leaves paths as given.
	BaseDir string
	// Version is podlint's version, recorded in SARIF.
	Version string
	// FailLevel is the severity at which findings fail (JUnit failures); 0 means every finding fails.
	FailLevel lint.Severity
}

// RuleInfo describes a rule for the formats that carry rule metadata.
type RuleInfo struct {
	ID          string
	Title       string
	Description string
	Remediation string
	Severity    lint.Severity
	// HelpURI is the rule's documentation page; see DocURL.
	HelpURI string
	// PerFile marks rules about the file rather than its objects (the loader's: parse errors,
	// duplicate keys); JUnit gives them one test case per file.
	PerFile bool
}

// Writer writes one format.
type Writer func(w io.Writer, r *lint.Result, opts Options) error

var writers = map[string]Writer{
	"text":     Text,
	"json":     JSON,
	"sarif":    SARIF,
	"github":   GitHub,
	"junit":    JUnit,
	"markdown": Markdown,
}

// Formats lists the format names, sorted.
func Formats() []string {
	var names []string
	for n := range writers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the writer for a format name.
func Lookup(format string) (Writer, error) {
	w, ok := writers[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	return w, nil
}
