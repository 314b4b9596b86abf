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
}

// Writer writes one format.
type Writer func(w io.Writer, r *lint.Result, opts Options) error

var writers = map[string]Writer{
	"text": Text,
	"json": JSON,
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
