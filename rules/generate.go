package rules

// The rule pages (README.md in each rule folder, this folder's README.md index, docs/rules/) are
// generated from the rules' METADATA and fixtures; `go test ./rules` fails when they are stale.
//go:generate go run ./gen
