// Package baseline records a run's findings in a file and, on later runs, sets aside the findings
// the file already accepts, so that a repository with existing findings can adopt podlint and fail
// only on new ones.
//
// A finding matches an entry by its fingerprint (lint.Fingerprint: rule, file, object, JSON path and
// message without line numbers), so entries survive lines moving. The file is a multiset: two
// identical findings need two entries. Entries that match no finding any more are stale: the finding
// was fixed, or changed enough to be new.
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/safefile"
)

// Version is the file format's version.
const Version = 1

// maxSize caps the baseline file podlint reads.
const maxSize = 64 << 20

// File is a baseline as written to disk.
type File struct {
	// Tool names the writer, so that a reader can tell the file apart from other JSON.
	Tool    string `json:"tool"`
	Version int    `json:"version"`
	// Scheme is the fingerprint scheme (lint.FingerprintVersion).
	Scheme  string  `json:"fingerprints"`
	Entries []Entry `json:"entries"`
}

// Entry is one accepted finding. Only Fingerprint is matched; the rest is for the people who review
// the file (and no line number, so that the file does not change when lines move).
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Object      string `json:"object,omitempty"`
	Path        string `json:"path,omitempty"`
	Message     string `json:"message"`
}

// fingerprint is the finding's fingerprint with its file named relative to dir, the baseline file's
// folder, so that a baseline matches from whichever folder podlint runs (findings name files as the
// user gave them, relative to the working directory).
func fingerprint(f lint.Finding, dir string) (fp, file string) {
	if f.File != "" && f.File != "-" {
		if abs, err := filepath.Abs(f.File); err == nil {
			f.File = abs
		}
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return lint.Fingerprint(f, dir), lint.RelPath(f.File, dir)
}

// New records findings; dir is the folder the baseline file is written to.
func New(findings []lint.Finding, dir string) *File {
	b := &File{Tool: "podlint", Version: Version, Scheme: lint.FingerprintVersion, Entries: []Entry{}}
	for _, f := range findings {
		fp, file := fingerprint(f, dir)
		b.Entries = append(b.Entries, Entry{Fingerprint: fp, Rule: f.Rule,
			File: file, Object: f.Object.String(), Path: f.Path, Message: f.Message})
	}
	sort.SliceStable(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// Marshal writes the file as indented JSON, one entry after another, so that it diffs well in review.
func (b *File) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Read loads a baseline file.
func Read(path string) (*File, error) {
	data, err := safefile.ReadFile(path, maxSize)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a baseline from data; name is used in errors.
func Parse(name string, data []byte) (*File, error) {
	var b File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: not a podlint baseline: %v", name, err)
	}
	if b.Tool != "podlint" {
		return nil, fmt.Errorf("baseline %s: not a podlint baseline (tool is %q)", name, b.Tool)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline %s: version %d, this podlint reads version %d", name, b.Version, Version)
	}
	if b.Scheme != lint.FingerprintVersion {
		return nil, fmt.Errorf("baseline %s: fingerprints %q, this podlint computes %q; write the baseline again with --write-baseline",
			name, b.Scheme, lint.FingerprintVersion)
	}
	for i, e := range b.Entries {
		if len(e.Fingerprint) != 32 || strings.Trim(e.Fingerprint, "0123456789abcdef") != "" {
			return nil, fmt.Errorf("baseline %s: entry %d has no valid fingerprint (%q)", name, i+1, e.Fingerprint)
		}
	}
	return &b, nil
}

// Apply sets aside the findings of r that the baseline accepts: they leave r.Findings and the
// severity counts, and are counted in r.Summary.Baselined. It returns the entries no finding matched
// (also counted, in r.Summary.StaleBaseline), in the file's order. dir is the baseline file's folder.
// An entry for a file outside r.Scope (pre-commit lints only the changed files) is neither matched
// nor stale: the run could not have reported it. A nil Scope covers every file.
func (b *File) Apply(r *lint.Result, dir string) []Entry {
	left := map[string]int{}
	for _, e := range b.Entries {
		left[e.Fingerprint]++
	}
	kept := r.Findings[:0]
	for _, f := range r.Findings {
		fp, _ := fingerprint(f, dir)
		if left[fp] > 0 {
			left[fp]--
			r.Summary.Baselined++
			uncount(&r.Summary, f.Severity)
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	inScope := scope(r, dir)
	var stale []Entry
	for _, e := range b.Entries {
		if left[e.Fingerprint] > 0 && inScope(e.File) {
			left[e.Fingerprint]--
			stale = append(stale, e)
		}
	}
	r.Summary.StaleBaseline = len(stale)
	return stale
}

// scope says whether an entry's file (relative to dir, with forward slashes) is one the run looked at:
// a file of r.Scope or of a finding, or a file inside a folder of r.ScopeDirs.
func scope(r *lint.Result, dir string) func(string) bool {
	if r.Scope == nil {
		return func(string) bool { return true }
	}
	dir, _ = filepath.Abs(dir)
	paths := map[string]bool{}
	var folders []string
	add := func(p string) {
		if p == "" || p == "-" {
			return
		}
		if abs, err := filepath.Abs(p); err == nil {
			paths[abs] = true
		}
	}
	for _, p := range r.Scope {
		add(p)
	}
	for _, f := range r.Findings {
		add(f.File)
	}
	for _, d := range r.ScopeDirs {
		if abs, err := filepath.Abs(d); err == nil {
			folders = append(folders, abs+string(filepath.Separator))
		}
	}
	return func(file string) bool {
		abs := filepath.Join(dir, filepath.FromSlash(file))
		if paths[abs] {
			return true
		}
		for _, f := range folders {
			if strings.HasPrefix(abs, f) {
				return true
			}
		}
		return false
	}
}

// uncount takes a finding back out of the severity totals (lint.Summary.Count in reverse).
func uncount(s *lint.Summary, sev lint.Severity) {
	switch sev {
	case lint.Error:
		s.Errors--
	case lint.Warning:
		s.Warnings--
	default:
		s.Infos--
	}
}
