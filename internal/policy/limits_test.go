package policy_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/podlint/podlint/internal/policy"
)

const cmDoc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"

// checkPolicy evaluates one user policy on a ConfigMap and returns its messages and error.
func checkPolicy(t *testing.T, rego string, opts Options) ([]string, error) {
	t.Helper()
	opts.Dirs = []string{writePolicy(t, map[string]string{"p.rego": "package acme\n\n" + rego})}
	e, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	issues, err := e.Check(context.Background(), load(t, cmDoc))
	var msgs []string
	for _, is := range issues {
		msgs = append(msgs, is.Message)
	}
	return msgs, err
}

// A schema cannot make OPA open a file or reach a host: a $ref leaving the schema is refused before
// anything is loaded, with the same answer whether the file exists or not (no probing).
func TestSchemaRefsStayInside(t *testing.T) {
	for _, ref := range []string{"file:///etc/passwd", "file:///does/not/exist", "/proc/self/environ",
		"http://127.0.0.1:1/x.json", "other.json#/a"} {
		for _, call := range []string{
			`[_, m] := json.verify_schema({"$ref": %q})`,
			`[_, m] := json.verify_schema(json.marshal({"properties": {"a": {"$ref": %q}}}))`,
			`[_, m] := json.verify_schema({"$id": %q, "$ref": "#"})`,
		} {
			src := "deny contains m if {\n\t" + fmt.Sprintf(call, ref) + "\n}\n"
			msgs, err := checkPolicy(t, src, Options{})
			if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0], "podlint loads no schema from files or the network") {
				t.Errorf("%s: %q, %v", fmt.Sprintf(call, ref), msgs, err)
			}
		}
		src := fmt.Sprintf("deny contains \"matched\" if json.match_schema({}, {\"$ref\": %q})\n", ref)
		if _, err := checkPolicy(t, src, Options{}); err == nil || !strings.Contains(err.Error(), "podlint loads no schema") {
			t.Errorf("match_schema %s: %v", ref, err)
		}
	}
	// references inside the schema still work
	src := `deny contains "bad" if {
	s := {"definitions": {"n": {"type": "number"}}, "properties": {"a": {"$ref": "#/definitions/n"}}}
	r := json.match_schema({"a": "x"}, s)
	r[0] == false
}
`
	if msgs, err := checkPolicy(t, src, Options{}); err != nil || len(msgs) != 1 {
		t.Errorf("local $ref: %q, %v", msgs, err)
	}
}

// numbers.range is refused past MaxRange numbers, before any is made.
func TestRangeLimit(t *testing.T) {
	_, err := checkPolicy(t, "deny contains \"x\" if count(numbers.range(1, 1e9)) > 0\n", Options{})
	if err == nil || !strings.Contains(err.Error(), "numbers.range") || !strings.Contains(err.Error(), "limit") ||
		!strings.Contains(err.Error(), "p.rego:3") {
		t.Fatalf("%v", err)
	}
	// at the limit it runs to the end, however slow the machine: no time limit to speak of
	if msgs, err := checkPolicy(t, fmt.Sprintf("deny contains \"x\" if count(numbers.range(1, %d)) > 0\n", MaxRange), Options{TimeLimit: time.Hour}); err != nil || len(msgs) != 1 {
		t.Fatalf("at the limit: %q %v", msgs, err)
	}
}

// A string doubled again and again is stopped once the document's values pass MaxBuilt: the work
// done is bounded by the budget (a few doublings past 1 KiB... 64 MiB), not by memory.
func TestBuiltValuesLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("deny contains \"x\" if {\n\ts0 := \"0123456789abcdef\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "\ts%d := concat(\"\", [s%d, s%d])\n", i, i-1, i-1)
	}
	b.WriteString("\tcount(s40) > 0\n}\n")
	// No time limit to speak of: what stops it must be the budget, however slow the machine.
	_, err := checkPolicy(t, b.String(), Options{TimeLimit: time.Hour})
	if err == nil || !strings.Contains(err.Error(), "concat") || !strings.Contains(err.Error(), "64 MiB") {
		t.Fatalf("%v", err)
	}
}

// A policy that would run for ever is stopped at the time limit with an error naming its rule.
func TestTimeLimit(t *testing.T) {
	src := "# METADATA\n# custom:\n#   id: acme/slow\ndeny contains \"x\" if {\n\tsome i in numbers.range(1, 1000000)\n\tsome j in numbers.range(1, 1000000)\n\ti == j + 2000000\n}\n"
	_, err := checkPolicy(t, src, Options{TimeLimit: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "stopped after 50ms") || !strings.Contains(err.Error(), "acme/slow") {
		t.Fatalf("%v", err)
	}
}

// A runtime error in a user policy is an error, not a rule that passes.
func TestUserPolicyRuntimeErrors(t *testing.T) {
	_, err := checkPolicy(t, "deny contains \"x\" if {\n\tx := 0\n\t1 / x > 0\n}\n", Options{})
	if err == nil || !strings.Contains(err.Error(), "divide by zero") || !strings.Contains(err.Error(), "p.rego") {
		t.Fatalf("%v", err)
	}
}

// A severity a result gives that podlint does not know is reported in the message, not silently
// replaced by the rule's.
func TestUnknownResultSeverity(t *testing.T) {
	msgs, err := checkPolicy(t, "deny contains {\"msg\": \"m\", \"severity\": \"critical\"} if true\n", Options{})
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0], `severity "critical", which is not error, warning or info`) {
		t.Fatalf("%q %v", msgs, err)
	}
}

// A finding rule written as a complete rule is refused with its file and line, not a type error
// from the query podlint builds.
func TestCompleteFindingRule(t *testing.T) {
	for _, src := range []string{"violation := \"x\"\n", "deny if input.kind == \"Pod\"\n", "warn_x := {\"msg\": \"m\"}\n"} {
		dir := writePolicy(t, map[string]string{"p.rego": "package acme\n\n" + src})
		_, err := New(context.Background(), Options{Dirs: []string{dir}})
		if err == nil || !strings.Contains(err.Error(), "p.rego:3") || !strings.Contains(err.Error(), "complete rule") {
			t.Errorf("%q: %v", src, err)
		}
		if _, err := Catalog([]string{dir}); err == nil || !strings.Contains(err.Error(), "p.rego:3") {
			t.Errorf("Catalog of %q: %v", src, err)
		}
	}
}
