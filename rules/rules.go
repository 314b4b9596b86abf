// Package rules embeds podlint's built-in Rego rules: one folder per rule, named by its id, plus lib/
// for what the rules share. The policy engine in internal/policy reads them from FS.
package rules

import "embed"

// FS holds every rule folder and lib/, tests included, so that `go test` can run the Rego tests of
// exactly what ships in the binary.
//
//go:embed */*.rego
var FS embed.FS
