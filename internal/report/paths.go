package report

import (
	"strings"

	"github.com/podlint/podlint/internal/lint"
)

// relPath is lint.RelPath: relative to the working directory, with forward slashes.
func relPath(file, base string) string { return lint.RelPath(file, base) }

// isAbsSlash reports whether a forward-slash path from relPath is still absolute ("/x" or "C:/x").
func isAbsSlash(p string) bool {
	return strings.HasPrefix(p, "/") || (len(p) > 2 && p[1] == ':' && p[2] == '/')
}
