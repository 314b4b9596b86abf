// Package rules embeds podlint's built-in Rego rules: one folder per rule, named by its id, plus lib/
// for what the rules share. The policy engine in internal/policy reads them from FS.
package rules

import "embed"

// FS holds every rule folder and lib/, tests included, so that `go test` can run the Rego tests of
// exactly what ships in the binary.
//
//go:embed */*.rego
var FS embed.FS

// CompiledIndex and CompiledModules are compiled.json and compiled.ast: the rules above, compiled,
// which podlint loads instead of compiling them at every start. `go generate ./rules` writes them;
// internal/policy uses them only when they were made from exactly these sources.
var (
	//go:embed compiled.json
	CompiledIndex []byte
	//go:embed compiled.ast
	CompiledModules []byte
)
