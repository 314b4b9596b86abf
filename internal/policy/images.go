package policy

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// The podlint.image_matches builtin tells whether a container image belongs to a list of
// repositories (multi-tier-pod's databases and helpers). It is Go because the lists are rule
// parameters of a hundred entries: turning them into something fast to match, in Rego, cost more
// on every document than all the rest of the rule. Here each list is compiled once per process.

// imageMatchesFunc declares podlint.image_matches(image, patterns).
var imageMatchesFunc = &rego.Function{
	Name:        "podlint.image_matches",
	Description: "Tells whether an image's repository (without registry, tag and digest) matches one of the patterns: a pattern with a slash matches the whole path, one without its last part; * matches within one part.",
	Decl: types.NewFunction(
		types.Args(
			types.Named("image", types.S).Description("an image reference: registry.example.com:5000/team/app:1.2@sha256:..."),
			types.Named("patterns", types.NewArray(nil, types.A)).Description("repository names or globs: postgres, *exporter, linkerd/proxy"),
		),
		types.Named("result", types.B).Description("true when a pattern matches"),
	),
}

func imageMatchesImpl(_ rego.BuiltinContext, image, patterns *ast.Term) (*ast.Term, error) {
	s, ok := image.Value.(ast.String)
	if !ok {
		return nil, errNotString
	}
	arr, ok := patterns.Value.(*ast.Array)
	if !ok {
		return nil, errors.New("expected an array")
	}
	return ast.InternedTerm(matcherFor(arr).matches(imageRepository(string(s)))), nil
}

// imageRepository strips an image reference down to its repository path, lower case: the digest
// after @, the tag after the last colon of the last part, and the registry, which is the first part
// when it has a dot or a port or is localhost. docker.io/bitnami/postgresql:16 gives
// bitnami/postgresql.
func imageRepository(image string) string {
	if at := strings.IndexByte(image, '@'); at >= 0 {
		image = image[:at]
	}
	slash := strings.LastIndexByte(image, '/')
	if colon := strings.LastIndexByte(image, ':'); colon > slash {
		image = image[:colon]
	}
	if first, rest, ok := strings.Cut(image, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		image = rest
	}
	return strings.ToLower(image)
}

// imageMatcher is a compiled list of patterns.
type imageMatcher struct {
	paths, names map[string]bool // plain patterns with and without a slash
	pathGlob     *regexp.Regexp  // globs with a slash, against the whole path
	nameGlob     *regexp.Regexp  // globs without, against the last part
}

func (m *imageMatcher) matches(repo string) bool {
	name := repo[strings.LastIndexByte(repo, '/')+1:]
	return m.names[name] || m.paths[repo] ||
		m.nameGlob != nil && m.nameGlob.MatchString(name) ||
		m.pathGlob != nil && m.pathGlob.MatchString(repo)
}

// matchers caches the compiled lists, by the array the rule passes (the same value from the data
// store on every document, so the lookup is one pointer) and by their text (for the same list
// built again, as in tests). A policy that made up new lists without end would stop being cached
// at maxMatchers.
var (
	matchersByArray sync.Map // *ast.Array -> *imageMatcher
	matchersByText  sync.Map // patterns joined by newlines -> *imageMatcher
	matchersCount   atomic.Int32
)

const maxMatchers = 64

func matcherFor(arr *ast.Array) *imageMatcher {
	if m, ok := matchersByArray.Load(arr); ok {
		return m.(*imageMatcher)
	}
	patterns := make([]string, 0, arr.Len())
	for i := range arr.Len() {
		if s, ok := arr.Elem(i).Value.(ast.String); ok {
			patterns = append(patterns, strings.ToLower(string(s)))
		}
	}
	key := strings.Join(patterns, "\n")
	var m *imageMatcher
	if cached, ok := matchersByText.Load(key); ok {
		m = cached.(*imageMatcher)
	} else {
		m = compileImagePatterns(patterns)
	}
	if matchersCount.Add(1) <= maxMatchers {
		matchersByText.Store(key, m)
		matchersByArray.Store(arr, m)
	}
	return m
}

func compileImagePatterns(patterns []string) *imageMatcher {
	m := &imageMatcher{paths: map[string]bool{}, names: map[string]bool{}}
	var pathGlobs, nameGlobs []string
	for _, p := range patterns {
		hasSlash := strings.Contains(p, "/")
		if !strings.Contains(p, "*") {
			if hasSlash {
				m.paths[p] = true
			} else {
				m.names[p] = true
			}
			continue
		}
		re := strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, `[^/]*`)
		if hasSlash {
			pathGlobs = append(pathGlobs, re)
		} else {
			nameGlobs = append(nameGlobs, re)
		}
	}
	m.pathGlob = alternation(pathGlobs)
	m.nameGlob = alternation(nameGlobs)
	return m
}

// alternation compiles ^(a|b|c)$, or nil for no expressions. The pieces are quoted, so it compiles.
func alternation(res []string) *regexp.Regexp {
	if len(res) == 0 {
		return nil
	}
	return regexp.MustCompile("^(?:" + strings.Join(res, "|") + ")$")
}
