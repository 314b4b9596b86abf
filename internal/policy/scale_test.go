package policy

import (
	"context"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/manifest"
)

// allocated is the memory f allocates, a measure of the work it does that does not depend on how
// busy the machine is.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// linear fails when eight times the input costs more than twenty times the work: linear growth
// gives about eight, quadratic about sixty-four.
func linear(t *testing.T, what string, small, large uint64) {
	t.Helper()
	if large > 20*small {
		t.Errorf("%s: 8x the input allocated %.1fx the memory (%d against %d bytes): not linear", what, float64(large)/float64(small), large, small)
	}
}

// Deep nesting costs in proportion to its depth: each level used to copy the whole stack of
// enclosing scopes (10,000 parentheses took seconds and most of a gigabyte).
func TestShellNestingIsLinear(t *testing.T) {
	script := func(depth int) string {
		return strings.Repeat("(", depth) + "x" + strings.Repeat(")", depth)
	}
	commandsAtEveryLevel := func(depth int) string {
		return strings.Repeat("(x; ", depth) + "x" + strings.Repeat(") >/dev/null", depth)
	}
	for name, gen := range map[string]func(int) string{"parentheses": script, "a command and a redirect at every level": commandsAtEveryLevel} {
		small := allocated(func() { parseShell("sh", gen(1000)) })
		large := allocated(func() { parseShell("sh", gen(8000)) })
		linear(t, name, small, large)
	}
	res := parseShell("sh", commandsAtEveryLevel(100))
	cmds := res["commands"].([]any)
	deepest := cmds[len(cmds)-1].(map[string]any)
	if got := deepest["nested"].([]any); len(got) != 1 || got[0] != "subshell" {
		t.Errorf("nested of the innermost command: %v, want [subshell] (each kind once)", got)
	}
	if got := deepest["redirects"].([]any); len(got) != maxRedirects {
		t.Errorf("innermost command carries %d redirects, want the %d innermost", len(got), maxRedirects)
	}
}

// A pod of N containers all declaring port 80 costs about N times one: each repeat is reported
// against the first declaration, found in one pass.
func TestPortConflictIsLinear(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pod := func(n int) *manifest.Document {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {name: c%d, image: x, ports: [{containerPort: 80, hostPort: 80}]}\n", i)
		}
		f := manifest.Load("p.yaml", []byte(b.String()))
		return f.Documents[0]
	}
	count := func(n int) (findings int, bytes uint64) {
		doc := pod(n)
		bytes = allocated(func() {
			issues, err := e.Check(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, is := range issues {
				if is.Rule == "port-conflict" {
					findings++
				}
			}
		})
		return findings, bytes
	}
	f1, small := count(150)
	f8, large := count(1200)
	if f1 != 149 || f8 != 1199 {
		t.Errorf("port-conflict findings: %d and %d, want 149 and 1199 (each repeat once, on its containerPort; the hostPort is the same port)", f1, f8)
	}
	linear(t, "port-conflict", small, large)
}

// The marks agree with the rule's definition, compared pair by pair, on random pods.
func TestMarkRepeatsMatchesPairwise(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pick := func(vs ...string) *ast.Term { return ast.MustParseTerm(vs[r.Intn(len(vs))]) }
	for range 2000 {
		var ports []portEntry
		containers := 1 + r.Intn(5)
		for c := range containers {
			kind := r.Intn(3) // 0 regular, 1 init, 2 sidecar
			for range r.Intn(4) {
				ports = append(ports, portEntry{container: c, concurrent: kind != 1, sidecar: kind == 2,
					port: pick("80", "81", "80.0"), protocol: pick(`"TCP"`, `"UDP"`),
					hostPort: pick("0", "0", "8080", "8081"), hostIP: pick(`""`, `"0.0.0.0"`, `"10.0.0.1"`, `"10.0.0.2"`)})
			}
		}
		markRepeats(ports)
		sameTime := func(a, b portEntry) bool {
			return a.container == b.container || (a.concurrent && b.concurrent) || (a.sidecar && !b.concurrent)
		}
		wild := func(t *ast.Term) bool { return wildcardIP(t) }
		for i, b := range ports {
			want, wantHost := -1, -1
			for j := range i {
				a := ports[j]
				if !sameTime(a, b) || ast.Compare(a.protocol, b.protocol) != 0 {
					continue
				}
				if want < 0 && ast.Compare(a.port, b.port) == 0 {
					want = j
				}
				if wantHost < 0 && ast.Compare(b.hostPort, ast.IntNumberTerm(0)) != 0 && ast.Compare(a.hostPort, b.hostPort) == 0 &&
					(ast.Compare(a.hostIP, b.hostIP) == 0 || wild(a.hostIP) || wild(b.hostIP)) && ast.Compare(a.port, b.port) != 0 {
					wantHost = j
				}
			}
			if b.repeats != want || b.hostRepeats != wantHost {
				t.Fatalf("port %d of %+v: repeats %d host_repeats %d, want %d and %d", i, ports, b.repeats, b.hostRepeats, want, wantHost)
			}
		}
	}
}
