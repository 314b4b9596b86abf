// Package lint is podlint's pipeline: it loads files, hands each object to the checks, turns what they
// report into findings with exact positions, and orders them deterministically.
package lint

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/podlint/podlint/internal/manifest"
)

// Severity ranks findings; the zero value means "not set".
type Severity int

// The severities, lowest first, so that comparisons read naturally (s >= Warning).
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String names the severity as users write it.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads error, warning or info.
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalJSON writes the severity as its name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	*s = v
	return err
}

// Finding is one problem at one place in one file.
type Finding struct {
	Rule      string          `json:"rule"`
	Severity  Severity        `json:"severity"`
	Message   string          `json:"message"`
	File      string          `json:"file"`
	Line      int             `json:"line"`
	Column    int             `json:"column"`
	EndLine   int             `json:"endLine,omitempty"`
	EndColumn int             `json:"endColumn,omitempty"`
	Object    manifest.Object `json:"object"`
	// Path is the JSON pointer of the offending value inside its object.
	Path string `json:"path"`
	// Template is the Helm template the object was rendered from, when rendered input names it
	// ("# Source:" comments of helm template's output).
	Template string `json:"template,omitempty"`
	// Source is the text of the finding's line, for code frames; documents are dropped once checked,
	// so the line travels with the finding.
	Source string `json:"-"`
	// AtKey says the finding is about a key rather than its value (an unknown field), for placing
	// findings of rendered text in the files they came from.
	AtKey bool `json:"-"`
	// Related are the other places the finding involves (the first declaration of a repeated port,
	// the object a reference points at), for SARIF related locations and JSON readers.
	Related []Location `json:"related,omitempty"`
	// Fixes are mechanical corrections, offered only where exactly one answer is right.
	Fixes []Fix `json:"fixes,omitempty"`
}

// Location is a place in a file other than the finding's own; lines and columns count from 1 as in
// Finding, and an EndLine of 0 means the end is not known.
type Location struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	// Message says what is at this place ("port 80 first declared here").
	Message string `json:"message,omitempty"`
}

// Fix corrects a finding by replacing exact spans of the finding's file, never by rewriting the
// document: comments, quoting and layout around the spans stay as they were.
type Fix struct {
	// Description says what the fix does, in the imperative ("replace imagePullPolice with
	// imagePullPolicy").
	Description string `json:"description"`
	Edits       []Edit `json:"edits"`
}

// Edit replaces the text from Line:Column up to (not including) EndLine:EndColumn with Text. Lines
// and columns count from 1, columns in characters as in Finding; an empty span inserts Text.
type Edit struct {
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Text      string `json:"text"`
}

// Summary counts what a run looked at and found.
type Summary struct {
	Files    int `json:"files"`
	Objects  int `json:"objects"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Suppressed counts the findings that suppressions removed, by kind.
	Suppressed Suppressed `json:"suppressed"`
	// Skipped counts objects a check could not judge, such as kinds without a schema.
	Skipped int `json:"skipped"`
	// NotManifests counts the files read that hold no Kubernetes object at all (Helm values, CI
	// configuration, docker-compose files): they are not linted and do not affect the exit code.
	NotManifests int `json:"notManifests"`
	// Charts and Kustomizations count the Helm charts rendered and kustomizations built.
	Charts         int `json:"charts"`
	Kustomizations int `json:"kustomizations"`
	// Baselined counts the findings a baseline file accepted (--baseline): they are not reported and
	// do not affect the exit code. StaleBaseline counts the baseline's entries that no finding
	// matched any more. Both are left out of JSON when zero (always, without a baseline).
	Baselined     int `json:"baselined,omitempty"`
	StaleBaseline int `json:"staleBaseline,omitempty"`
}

// Count adds a finding to the totals.
func (s *Summary) Count(f Finding) {
	switch f.Severity {
	case Error:
		s.Errors++
	case Warning:
		s.Warnings++
	default:
		s.Infos++
	}
}

// Max is the highest severity among the findings, or 0 when there are none.
func (s Summary) Max() Severity {
	switch {
	case s.Errors > 0:
		return Error
	case s.Warnings > 0:
		return Warning
	case s.Infos > 0:
		return Info
	}
	return 0
}

// Sort orders findings by file, line, column, rule and message, so that output is byte-for-byte the
// same from run to run whatever order the workers finish in.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
