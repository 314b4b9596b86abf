package report

import (
	"path/filepath"
	"strings"
)

// relPath is the path a finding's file has for tools that resolve it against the repository: relative
// to base (the working directory) with forward slashes. Relative paths are only cleaned, since they
// are relative to the working directory already; an absolute path that cannot be made relative (another
// Windows volume) stays absolute.
func relPath(file, base string) string {
	if file == "-" || file == "" {
		return file
	}
	p := file
	if filepath.IsAbs(p) && base != "" {
		if r, err := filepath.Rel(base, p); err == nil {
			p = r
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// isAbsSlash reports whether a forward-slash path from relPath is still absolute ("/x" or "C:/x").
func isAbsSlash(p string) bool {
	return strings.HasPrefix(p, "/") || (len(p) > 2 && p[1] == ':' && p[2] == '/')
}
