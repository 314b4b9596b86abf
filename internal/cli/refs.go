package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/config"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/policy"
	"github.com/podlint/podlint/internal/refs"
)

// CacheDirEnv names the folder for podlint's caches; the default is podlint under the user's cache
// folder. Nothing is ever cached inside the linted repository.
const CacheDirEnv = "PODLINT_CACHE_DIR"

// wireRun makes the rules of the whole run (Services, selectors, references) part of the lint:
// lint gathers the run's index, and, unless noRepository, the repository's other manifests are
// added as context (refs.Repository).
func wireRun(env *Env, opts *lint.Options, policies *pendingEngine, paths []string, cfg *config.Config, noRepository bool) {
	run := &refs.Run{
		Check: func(ctx context.Context, input *ast.Term) ([]refs.Result, error) {
			e, _, err := policies.wait()
			if err != nil {
				return nil, err
			}
			return e.CheckRun(ctx, input)
		},
		IsRule:     policies.runRule,
		NoSuppress: opts.NoSuppress,
		ReferrersOnly: func() bool {
			e, _, err := policies.wait()
			return err == nil && !e.UserRunRules()
		},
		// --disable (or the configuration) turning every rule of the whole run off leaves the
		// engine without their query, and spares the run its index
		Active: func() bool {
			e, _, err := policies.wait()
			return err == nil && e.RunRules()
		},
	}
	if !noRepository {
		repo := &refs.Repository{Paths: paths, PodKinds: opts.PodKinds, Key: fmt.Sprintf("%v", cfg.PodKinds),
			CacheDir: cacheDir(env), Workers: opts.Workers}
		run.Context = func(ctx context.Context, info *lint.RunInfo, x *refs.Index) error {
			if e, _, err := policies.wait(); err != nil || !e.RunRules() {
				return nil // nothing would read the repository's objects
			}
			return repo.Context(ctx, info, x)
		}
	}
	run.Wire(opts)
}

// cacheDir is where podlint keeps its caches: $PODLINT_CACHE_DIR, else podlint under the user's
// cache folder; "" (no cache) when there is none.
func cacheDir(env *Env) string {
	if d := env.Getenv(CacheDirEnv); d != "" {
		return d
	}
	d, err := userCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "podlint")
}

// userCacheDir is os.UserCacheDir; tests point it elsewhere, so that they leave the user's
// cache alone.
var userCacheDir = os.UserCacheDir

// runRule says whether a rule is one of the whole run, once the engine is built.
func (p *pendingEngine) runRule(id string) bool {
	e, _, err := p.wait()
	if err != nil {
		return false
	}
	for _, r := range e.Rules() {
		if r.ID == id {
			return r.Scope == policy.ScopeRun
		}
	}
	return false
}
