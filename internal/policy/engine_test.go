package policy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/policy"
)

// writePolicy writes files (name -> Rego) into a fresh folder and returns it.
func writePolicy(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, text string) *manifest.Document {
	t.Helper()
	f := manifest.Load("test.yaml", []byte(text))
	if len(f.Problems) > 0 || len(f.Documents) != 1 {
		t.Fatalf("test manifest: %d documents, problems %v", len(f.Documents), f.Problems)
	}
	return f.Documents[0]
}

// issue is a lint.Issue reduced for comparison.
type issue struct {
	Rule     string
	Severity string
	Message  string
	Path     string
	AtKey    bool
}

func userIssues(t *testing.T, e *policy.Engine, doc *manifest.Document) []issue {
	t.Helper()
	builtin := map[string]bool{}
	for _, r := range e.Rules() {
		builtin[r.ID] = r.Builtin
	}
	got, err := e.Check(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var out []issue
	for _, is := range got {
		if !builtin[is.Rule] {
			out = append(out, issue{is.Rule, is.Severity.String(), is.Message, is.Path.Pointer(), is.AtKey})
		}
	}
	slices.SortFunc(out, func(a, b issue) int {
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return out
}

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`

// TestUserPolicies checks that conftest-style policies work unchanged: deny, violation and warn
// rules (and their deny_* variants) in any package, returning strings or objects, on every kind of
// document, with ids from METADATA when it gives one.
func TestUserPolicies(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		want   []issue
	}{
		{
			name: "strings",
			policy: `package main

deny contains msg if {
	input.kind == "Service"
	msg := sprintf("%s: no services", [input.metadata.name])
}

warn contains "just a warning" if input.kind == "Service"

violation contains "a violation" if true
`,
			want: []issue{
				{"main/deny", "error", "web: no services", "", false},
				{"main/violation", "error", "a violation", "", false},
				{"main/warn", "warning", "just a warning", "", false},
			},
		},
		{
			name: "objects with paths, severities and keys",
			policy: `package acme.k8s

deny_port_80 contains {"msg": "port 80", "path": ["spec", "ports", 0, "port"]} if {
	input.spec.ports[0].port == 80
}

warn contains {"msg": "pointer path", "path": "/metadata/name", "severity": "info"} if true

warn contains {"msg": "on the key", "path": ["metadata", "name"], "at": "key"} if true

deny contains {"no": "msg"} if true
`,
			want: []issue{
				{"acme.k8s/deny", "error", `{"no":"msg"}`, "", false},
				{"acme.k8s/deny_port_80", "error", "port 80", "/spec/ports/0/port", false},
				{"acme.k8s/warn", "warning", "on the key", "/metadata/name", true},
				{"acme.k8s/warn", "info", "pointer path", "/metadata/name", false},
			},
		},
		{
			name: "package METADATA gives the id and severity",
			policy: `# METADATA
# title: Services need an owner
# custom:
#   id: acme/service-owner
#   severity: info
#   remediation: Add an owner annotation.
package acme.owner

deny contains "no owner" if not input.metadata.annotations.owner

warn contains "also" if true
`,
			want: []issue{
				{"acme/service-owner", "info", "also", "", false},
				{"acme/service-owner", "info", "no owner", "", false},
			},
		},
		{
			name: "rule METADATA gives the id",
			policy: `package acme.rules

# METADATA
# custom:
#   id: acme/no-services
deny contains "service" if input.kind == "Service"

warn contains "plain" if true
`,
			want: []issue{
				{"acme.rules/warn", "warning", "plain", "", false},
				{"acme/no-services", "error", "service", "", false},
			},
		},
		{
			name: "Rego v0 policies still load",
			policy: `package legacy

deny[msg] {
	input.kind == "Service"
	msg := "old syntax"
}
`,
			want: []issue{{"legacy/deny", "error", "old syntax", "", false}},
		},
		{
			name: "the library and params are available",
			policy: `package acme.lib

import data.podlint.lib

warn contains msg if {
	count(lib.pods) == 0
	labels := lib.params("required-labels").labels
	msg := sprintf("no pod; %d required labels", [count(labels)])
}
`,
			want: []issue{{"acme.lib/warn", "warning", "no pod; 2 required labels", "", false}},
		},
		{
			name: "other rules are not findings",
			policy: `package quiet

allow if true

denied contains "x" if true

deny_ := 1
`,
			want: nil,
		},
	}
	doc := load(t, service)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePolicy(t, map[string]string{"policy.rego": tc.policy})
			e, err := policy.New(context.Background(), policy.Options{Dirs: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			got := userIssues(t, e, doc)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestUserPolicyTestsAreNotLoaded checks that *_test.rego files play no part in linting.
func TestUserPolicyTestsAreNotLoaded(t *testing.T) {
	dir := writePolicy(t, map[string]string{
		"p.rego":      "package p\n\ndeny contains \"x\" if false\n",
		"p_test.rego": "package p_test\n\ndeny contains \"from a test file\" if true\n",
	})
	e, err := policy.New(context.Background(), policy.Options{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := userIssues(t, e, load(t, service)); len(got) != 0 {
		t.Errorf("got %v", got)
	}
}

// TestBrokenPolicies checks that a policy that does not load is an *policy.Error naming the file
// and line, with OPA's message.
func TestBrokenPolicies(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		want   []string
		wantIs error
	}{
		{
			name:  "parse error",
			files: map[string]string{"bad.rego": "package bad\n\ndeny contains msg if {\n\tmsg := \n}\n"},
			want:  []string{"bad.rego:5:1: unexpected } token", "rego_parse_error"},
		},
		{
			name:  "unsafe variable",
			files: map[string]string{"unsafe.rego": "package unsafe\n\ndeny contains msg if {\n\tinput.kind == x\n}\n"},
			want:  []string{"unsafe.rego:3:", "var msg is unsafe"},
		},
		{
			name:  "undefined function",
			files: map[string]string{"f.rego": "package f\n\ndeny contains msg if {\n\tmsg := no_such_function(1)\n}\n"},
			want:  []string{"f.rego:4:", "undefined function no_such_function"},
		},
		{
			name: "bad severity",
			files: map[string]string{"s.rego": `# METADATA
# custom:
#   severity: fatal
package s

deny contains "x" if true
`},
			want: []string{"s.rego:1:", "custom.severity", "fatal"},
		},
		{
			name: "id taken by a built-in rule",
			files: map[string]string{"dup.rego": `# METADATA
# custom:
#   id: port-conflict
package dup

deny contains "x" if true
`},
			want: []string{"dup.rego:1:", `rule id "port-conflict" is already used by package podlint.rules.port_conflict`},
		},
		{
			name:  "empty folder",
			files: map[string]string{"README.md": "no policies here"},
			want:  []string{"no .rego files"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePolicy(t, tc.files)
			_, err := policy.New(context.Background(), policy.Options{Dirs: []string{dir}})
			if err == nil {
				t.Fatal("the policy loaded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("missing folder", func(t *testing.T) {
		_, err := policy.New(context.Background(), policy.Options{Dirs: []string{filepath.Join(t.TempDir(), "nope")}})
		if err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("typed error", func(t *testing.T) {
		dir := writePolicy(t, map[string]string{"x.rego": "package x\n\ndeny contains"})
		_, err := policy.New(context.Background(), policy.Options{Dirs: []string{dir}})
		var perr *policy.Error
		if !errors.As(err, &perr) || len(perr.Errors) == 0 {
			t.Errorf("got %T %v, want a *policy.Error", err, err)
		}
	})
}

// TestNoOutsideAccess checks that no policy can reach the network or the environment: the builtins
// that would are unknown to the compiler, and JSON Schema $refs to remote hosts are not fetched.
func TestNoOutsideAccess(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		fmt.Fprint(w, `{"type": "object"}`)
	}))
	defer srv.Close()

	blocked := map[string]string{
		"http.send":          `http.send({"method": "GET", "url": "` + srv.URL + `"})`,
		"net.lookup_ip_addr": `net.lookup_ip_addr("example.com")`,
		"opa.runtime":        `opa.runtime()`,
	}
	for name, call := range blocked {
		t.Run(name, func(t *testing.T) {
			dir := writePolicy(t, map[string]string{"p.rego": "package p\n\ndeny contains sprintf(\"%v\", [x]) if {\n\tx := " + call + "\n}\n"})
			_, err := policy.New(context.Background(), policy.Options{Dirs: []string{dir}})
			if err == nil || !strings.Contains(err.Error(), "undefined function "+name) {
				t.Errorf("got %v, want undefined function %s", err, name)
			}
			results, err := policy.Verify(context.Background(), policy.VerifyOptions{Dirs: []string{writePolicy(t, map[string]string{
				"p_test.rego": "package p_test\n\ntest_call if {\n\t" + call + "\n}\n",
			})}})
			if err == nil || !strings.Contains(err.Error(), "undefined function "+name) {
				t.Errorf("verify: got %v %v, want undefined function %s", results, err, name)
			}
		})
	}

	t.Run("json schema refs", func(t *testing.T) {
		dir := writePolicy(t, map[string]string{"p.rego": `package p

deny contains msg if {
	[ok, errs] := json.match_schema({}, {"$ref": "` + srv.URL + `/schema.json"})
	msg := sprintf("%v %v", [ok, errs])
}
`})
		e, err := policy.New(context.Background(), policy.Options{Dirs: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Check(context.Background(), load(t, service)); err != nil {
			t.Logf("check: %v", err) // an error is fine; a request is not
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("the policy made %d requests", n)
		}
	})
}

// TestParams checks that rule parameters reach the rules and replace the METADATA defaults.
func TestParams(t *testing.T) {
	doc := load(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {team: a}
spec:
  containers: [{name: a, image: x}]
`)
	requiredLabels := func(e *policy.Engine) []string {
		got, err := e.Check(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, is := range got {
			if is.Rule == "required-labels" {
				msgs = append(msgs, is.Message)
			}
		}
		return msgs
	}
	e, err := policy.New(context.Background(), policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := requiredLabels(e); len(got) != 1 || !strings.Contains(got[0], "app, rel") {
		t.Errorf("defaults: got %v", got)
	}
	e, err = policy.New(context.Background(), policy.Options{Params: map[string]map[string]any{
		"required-labels": {"labels": map[string]any{"team": []any{}, "cost-center": []any{}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := requiredLabels(e); len(got) != 1 || !strings.Contains(got[0], "label cost-center") {
		t.Errorf("params: got %v", got)
	}
	_, err = policy.New(context.Background(), policy.Options{Params: map[string]map[string]any{"no-such-rule": {}}})
	if err == nil {
		t.Error("params for an unknown rule were accepted")
	}
}

// TestConcurrentChecks checks that one engine gives the same answers from several goroutines.
func TestConcurrentChecks(t *testing.T) {
	e, err := policy.New(context.Background(), policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../fixtures/port-conflict/fail-native-sidecar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := manifest.Load("x.yaml", data).Documents[0]
	want, err := e.Check(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the document has no findings to compare")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := e.Check(context.Background(), doc)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) != len(want) {
					t.Errorf("got %d issues, want %d", len(got), len(want))
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestCancel checks that a cancelled context stops evaluation with the context's error.
func TestCancel(t *testing.T) {
	e, err := policy.New(context.Background(), policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Check(ctx, load(t, service)); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

var _ lint.Checker = (*policy.Engine)(nil)
