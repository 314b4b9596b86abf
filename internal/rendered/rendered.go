// Package rendered lints what Helm charts and kustomizations produce, at the lines people edit. It
// runs the renderer (podlint-render, see internal/render) once per run for every chart and
// kustomization found, hands the rendered text to lint as units, and moves each finding from the
// rendered text to the template line, resource file or patch it came from (internal/srcmap).
package rendered

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/podlint/podlint/internal/config"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
)

// RuleRenderError is the id of findings about charts and kustomizations that do not render.
const RuleRenderError = "render-error"

// Options configure rendering.
type Options struct {
	// Helm gives the settings of one chart (the configuration's, with the flags over them).
	Helm func(chart string) config.Helm
	// KubeVersion is the version charts see when their settings name none: the embedded schema's.
	KubeVersion string
	// Find locates the renderer; nil uses render.Find.
	Find func() (string, error)
}

// New returns lint's Render hook.
func New(opts Options) func(ctx context.Context, found *manifest.Found) (*lint.Rendering, error) {
	return func(ctx context.Context, found *manifest.Found) (*lint.Rendering, error) {
		return run(ctx, found, &opts)
	}
}

func run(ctx context.Context, found *manifest.Found, opts *Options) (*lint.Rendering, error) {
	var jobs []render.Job
	for _, dir := range found.Charts {
		var h config.Helm
		if opts.Helm != nil {
			h = opts.Helm(dir)
		}
		kv := h.KubeVersion
		if kv == "" {
			kv = opts.KubeVersion
		}
		jobs = append(jobs, render.Job{Kind: render.KindHelm, Dir: dir, Helm: &render.HelmOptions{
			ReleaseName: h.ReleaseName, Namespace: h.Namespace, KubeVersion: kv,
			ValuesFiles: h.Values, Set: h.Set, SetString: h.SetString}})
	}
	for _, dir := range found.Kustomizations {
		jobs = append(jobs, render.Job{Kind: render.KindKustomize, Dir: dir})
	}
	find := opts.Find
	if find == nil {
		find = render.Find
	}
	bin, err := find()
	if errors.Is(err, render.ErrNotFound) {
		return notInstalled(jobs, found), nil
	}
	if err != nil {
		return nil, err
	}
	results, err := render.Run(ctx, bin, jobs)
	if err != nil {
		return nil, err
	}
	out := &lint.Rendering{Used: map[string]bool{}}
	lines := newFileCache()
	for i, job := range jobs {
		if job.Kind != render.KindHelm {
			continue
		}
		res := &results[i]
		out.Charts++
		out.Findings = append(out.Findings, problems(res.Problems, lines)...)
		for j := range res.Outputs {
			u := helmUnit(job.Dir, &res.Outputs[j], lines)
			if job.Helm != nil {
				u.Namespace = job.Helm.Namespace // where the chart's objects without a namespace land
			}
			out.Units = append(out.Units, u)
		}
	}
	kustomize(jobs, results, found, out, lines)
	return out, nil
}

// notInstalled reports, on each chart and kustomization, that nothing could render it.
func notInstalled(jobs []render.Job, found *manifest.Found) *lint.Rendering {
	out := &lint.Rendering{Used: map[string]bool{}}
	for _, job := range jobs {
		if job.Kind == render.KindKustomize && found.Named[job.Dir] {
			continue // brought along by a named file: lint the file as it is
		}
		file := filepath.Join(job.Dir, manifest.ChartFile)
		what := "Helm chart"
		if job.Kind == render.KindKustomize {
			file, what = manifest.KustomizationFile(job.Dir), "kustomization"
		}
		out.Findings = append(out.Findings, lint.Finding{Rule: RuleRenderError, Severity: lint.Error, File: file, Line: 1, Column: 1,
			Message: fmt.Sprintf("this %s is not linted: %v (it ships with podlint: go install ./cmd/..., or the release archive)", what, render.ErrNotFound)})
	}
	return out
}

// problems turns the renderer's problems into findings at the lines they name.
func problems(ps []render.Problem, lines *fileCache) []lint.Finding {
	var out []lint.Finding
	for _, p := range ps {
		f := lint.Finding{Rule: RuleRenderError, Severity: lint.Error, File: p.File, Line: p.Line, Column: p.Column, Message: p.Message}
		if f.Line < 1 {
			f.Line = 1
		}
		f.Source = lines.line(f.File, f.Line)
		if f.Column < 1 {
			f.Column = 1 + indent(f.Source)
		}
		out = append(out, f)
	}
	return out
}

// kustomize adds the builds of the top kustomizations: those no other kustomization of the run uses,
// and, among those brought along by a named file, only those that use a named file.
func kustomize(jobs []render.Job, results []render.Result, found *manifest.Found, out *lint.Rendering, lines *fileCache) {
	kfile := map[string]int{} // kustomization file -> job
	for i, job := range jobs {
		if job.Kind == render.KindKustomize {
			kfile[filepath.Clean(manifest.KustomizationFile(job.Dir))] = i
		}
	}
	used := map[int]bool{}
	for i, job := range jobs {
		if job.Kind != render.KindKustomize {
			continue
		}
		for _, u := range results[i].Uses {
			if j, ok := kfile[filepath.Clean(u)]; ok && j != i {
				used[j] = true
			}
		}
	}
	named := map[string]bool{}
	for _, f := range found.Files {
		named[filepath.Clean(f)] = true
	}
	for i, job := range jobs {
		if job.Kind != render.KindKustomize {
			continue
		}
		res := &results[i]
		if found.Named[job.Dir] {
			hit := false
			for _, u := range res.Uses {
				hit = hit || named[filepath.Clean(u)]
			}
			if !hit {
				continue
			}
		}
		for _, u := range res.Uses {
			out.Used[filepath.Clean(u)] = true
			out.Used[u] = true
		}
		if used[i] {
			continue
		}
		out.Kustomizations++
		out.Findings = append(out.Findings, problems(res.Problems, lines)...)
		if len(res.Outputs) > 0 {
			out.Units = append(out.Units, kustomizeUnit(job.Dir, res.Outputs, lines))
		}
	}
	// a file named on the command line, or found while walking, that a build uses is linted there
	for f := range out.Used {
		if !named[f] {
			delete(out.Used, f)
		}
	}
	for _, f := range found.Files {
		if out.Used[filepath.Clean(f)] {
			out.Used[f] = true
		}
	}
}

func indent(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }
