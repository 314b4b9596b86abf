package policy

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

func TestImageRepository(t *testing.T) {
	for _, tc := range []struct{ image, want string }{
		{"postgres", "postgres"},
		{"postgres:16", "postgres"},
		{"bitnami/postgresql:16.3.0-debian-12-r1", "bitnami/postgresql"},
		{"docker.io/library/postgres:16@sha256:0123abcd", "library/postgres"},
		{"registry.example.com:5000/mirror/redis:7", "mirror/redis"},
		{"localhost:5000/app:1", "app"},
		{"localhost/redis", "redis"},
		{"quay.io/coreos/etcd:v3.5.15", "coreos/etcd"},
		{"REDIS:7", "redis"},
		{"myregistry:5000/redis", "redis"},
		{"team/app", "team/app"},
		{"redis@sha256:abcd", "redis"},
		{"", ""},
	} {
		if got := imageRepository(tc.image); got != tc.want {
			t.Errorf("imageRepository(%q) = %q, want %q", tc.image, got, tc.want)
		}
	}
}

func TestImageMatches(t *testing.T) {
	patterns := []string{"postgres", "redis", "*exporter", "mssql/server", "linkerd/*", "a.b-*", "Percona-Server*"}
	terms := make([]*ast.Term, 0, len(patterns)+1)
	for _, p := range patterns {
		terms = append(terms, ast.StringTerm(p))
	}
	terms = append(terms, ast.NumberTerm("5")) // ignored
	list := ast.ArrayTerm(terms...)
	for _, tc := range []struct {
		image string
		want  bool
	}{
		{"postgres:16", true},
		{"docker.io/library/postgres", true},        // a name matches the last part
		{"example.com/team/redis:7", true},          //
		{"redis-commander", false},                  // names match whole parts, not substrings
		{"example.com/postgres-backed-shop", false}, //
		{"quay.io/prometheuscommunity/postgres-exporter:v0.15.0", true},
		{"oliver006/redis_exporter", true},
		{"exporter-merger", false},
		{"mcr.microsoft.com/mssql/server:2022-latest", true}, // a path matches the whole path
		{"example.com/server", false},
		{"cr.l5d.io/linkerd/proxy:stable", true},
		{"cr.l5d.io/linkerd/proxy/extra", false}, // * stays within one part
		{"a.b-db", true},
		{"axb-db", false}, // . is literal
		{"percona/percona-server:8.0", true},
		{"${IMAGE}", false},
	} {
		got, err := imageMatchesImpl(rego.BuiltinContext{}, ast.StringTerm(tc.image), list)
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.(ast.Boolean) != ast.Boolean(tc.want) {
			t.Errorf("image_matches(%q) = %v, want %v", tc.image, got, tc.want)
		}
	}
	if _, err := imageMatchesImpl(rego.BuiltinContext{}, ast.NumberTerm("1"), list); err == nil {
		t.Error("a number is not an image")
	}
}
