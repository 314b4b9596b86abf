package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"regexp"
	"strconv"
)

// FingerprintVersion names the fingerprint scheme, so that a reader can tell an old baseline or an old
// SARIF upload from a new one if the scheme ever changes.
const FingerprintVersion = "podlint/v1"

// lineRef matches the line and column numbers a message may quote ("first at line 4", "line 3:7"),
// which move when lines are added above them.
var lineRef = regexp.MustCompile(`\b(line|lines|column|col)( \d+)(:\d+)?(-\d+)?`)

// Fingerprint identifies a finding in a way that survives lines moving: a hash of the rule, the file
// (relative to base, with forward slashes, as SARIF names it), the object's kind, namespace and name,
// the JSON path inside it, and the message with quoted line and column numbers taken out. The line
// and column of the finding itself are not part of it. Two findings that agree on all of those share
// a fingerprint; Fingerprints numbers them apart.
func Fingerprint(f Finding, base string) string {
	h := sha256.New()
	for _, s := range []string{FingerprintVersion, f.Rule, RelPath(f.File, base),
		f.Object.Kind, f.Object.Namespace, f.Object.Name, f.Path, lineRef.ReplaceAllString(f.Message, "$1 N")} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Fingerprints gives each finding its fingerprint and an occurrence number after a colon ("…:1",
// "…:2" for the second finding with the same fingerprint, in the findings' order), so that every
// fingerprint of one run is different.
func Fingerprints(findings []Finding, base string) []string {
	out := make([]string, len(findings))
	seen := map[string]int{}
	for i, f := range findings {
		fp := Fingerprint(f, base)
		seen[fp]++
		out[i] = fp + ":" + strconv.Itoa(seen[fp])
	}
	return out
}

// RelPath is the path a finding's file has for tools that resolve it against the repository: relative
// to base (the working directory) with forward slashes. Relative paths are only cleaned, since they
// are relative to the working directory already; an absolute path that cannot be made relative (another
// Windows volume) stays absolute.
func RelPath(file, base string) string {
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
