package policy

import (
	"context"
	"strings"
	"testing"
)

// TestRego runs the Rego tests of the built-in rules and lib (rules/*/*_test.rego) through OPA's
// tester, with podlint's builtins, exactly as `podlint verify` runs a user's tests. Every compiler
// stage runs, so this is also where the built-in rules are type-checked.
func TestRego(t *testing.T) {
	srcs, err := builtinSources(true)
	if err != nil {
		t.Fatal(err)
	}
	results, err := runTests(context.Background(), srcs, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		t.Run(strings.TrimPrefix(r.Name, "data."), func(t *testing.T) {
			if r.Error != nil {
				t.Errorf("%s:%d: %v", r.File, r.Line, r.Error)
			} else if !r.Pass {
				t.Errorf("%s:%d: failed\n%s", r.File, r.Line, r.Output)
			}
		})
	}
}
