// Package helmrender renders a Helm chart in process, the way `helm template` does, for
// podlint-render: the chart's values coalesced with the job's values files and --set values, its
// vendored dependencies (folders and archives under charts/) enabled or disabled by their conditions
// and tags, their import-values applied. It never reaches the network: no repository, no cluster, no
// remote schema.
//
// Unlike `helm template`, a template that fails does not take the others down: each failure is a
// Problem at the file and line Helm names, and the templates that render are returned all the same.
package helmrender

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	commonutil "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/strvals"

	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/safefile"
)

// Defaults of the release, as `helm template` without --name-template and --namespace would have
// them if it did not make a name up.
const (
	DefaultReleaseName = "release"
	DefaultNamespace   = "default"
)

// Limits on the files the renderer reads itself (Helm's loader has its own): values files, templates
// read for their lines, dependencies' Chart.yaml, and packaged dependencies.
const (
	maxFileSize    = 8 << 20
	maxArchiveSize = 64 << 20
)

// Render renders the chart in dir. Problems in the chart (one that does not load, a dependency that
// is not vendored, a template that fails) are in the result, never an error.
func Render(ctx context.Context, dir string, opts *render.HelmOptions) render.Result {
	var o render.HelmOptions
	if opts != nil {
		o = *opts
	}
	r := &run{dir: dir, chartFile: filepath.Join(dir, "Chart.yaml")}
	r.render(ctx, o)
	sort.SliceStable(r.outputs, func(i, j int) bool {
		a, b := r.outputs[i], r.outputs[j]
		if a.Archive != b.Archive {
			return a.Archive < b.Archive
		}
		return a.Template < b.Template
	})
	return render.Result{Outputs: r.outputs, Problems: r.problems, Uses: r.uses}
}

// run is one chart's rendering.
type run struct {
	dir       string
	chartFile string
	outputs   []render.Output
	problems  []render.Problem
	uses      []string
	seen      map[render.Problem]bool
	// tpls and charts say where each template and each chart is (see locate).
	tpls   map[*common.File]place
	charts map[*common.File]place
}

// problem records a problem once: the same failure met by several templates (a helper they all
// include) is one problem.
func (r *run) problem(p render.Problem) {
	if r.seen == nil {
		r.seen = map[render.Problem]bool{}
	}
	if r.seen[p] {
		return
	}
	r.seen[p] = true
	r.problems = append(r.problems, p)
}

func (r *run) render(ctx context.Context, o render.HelmOptions) {
	c, err := loader.LoadDir(r.dir)
	if err != nil {
		r.problem(r.loadProblem(err))
		return
	}
	r.used(c, o.ValuesFiles)
	r.tpls = map[*common.File]place{}
	r.charts = map[*common.File]place{}
	locate(c, place{dir: r.dir}, r.tpls, r.charts)
	r.missingDependencies(c)

	vals, ok := r.userValues(o)
	if !ok {
		return
	}
	if err := chartutil.ProcessDependencies(c, vals); err != nil {
		r.problem(render.Problem{File: r.chartFile, Message: "chart dependencies: " + err.Error()})
		return
	}

	caps := common.DefaultCapabilities.Copy()
	if o.KubeVersion != "" {
		kv, err := common.ParseKubeVersion(o.KubeVersion)
		if err != nil {
			r.problem(render.Problem{File: r.chartFile, Message: fmt.Sprintf("kube version %q: %v", o.KubeVersion, err)})
			return
		}
		caps.KubeVersion = *kv
	}
	if c.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(c.Metadata.KubeVersion, caps.KubeVersion.String()) {
		// helm template stops here; the chart is rendered all the same, for its other findings.
		r.problem(render.Problem{File: r.chartFile, Line: yamlKeyLine(r.chartFile, "kubeVersion"),
			Message: fmt.Sprintf("chart requires kubeVersion %s, which is incompatible with Kubernetes %s", c.Metadata.KubeVersion, caps.KubeVersion.Version)})
	}

	releaseName := o.ReleaseName
	if releaseName == "" {
		releaseName = DefaultReleaseName
	}
	namespace := o.Namespace
	if namespace == "" {
		namespace = DefaultNamespace
	}
	options := common.ReleaseOptions{Name: releaseName, Namespace: namespace, Revision: 1, IsInstall: true}
	// Helm's own schema validation may fetch remote schemas: it is skipped, and validate does the
	// same work offline.
	top, err := commonutil.ToRenderValuesWithSchemaValidation(c, vals, options, caps, true)
	if err != nil {
		r.problem(render.Problem{File: r.chartFile, Message: "values: " + err.Error()})
		return
	}
	if v, ok := top["Values"].(common.Values); ok {
		r.validate(c, v)
	}
	r.renderTemplates(ctx, c, top)
}

var lineRE = regexp.MustCompile(`\bline (\d+)\b`)

// lineIn finds "line N" in a YAML error message (0 when there is none).
func lineIn(msg string) int {
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// loadProblem places an error of Helm's chart loader.
func (r *run) loadProblem(err error) render.Problem {
	msg := err.Error()
	file := r.chartFile
	if strings.Contains(msg, "values.yaml") && !strings.Contains(msg, "subchart") {
		file = filepath.Join(r.dir, "values.yaml")
	}
	if _, statErr := os.Stat(r.dir); statErr != nil {
		file = r.dir
	}
	return render.Problem{File: file, Line: lineIn(msg), Message: "chart does not load: " + msg}
}

// used lists the files of the chart, as loaded (.helmignore applied; a packaged dependency is its
// archive), and the values files, so that podlint does not lint them as manifests of their own.
func (r *run) used(c *chart.Chart, valuesFiles []string) {
	for _, f := range c.Raw {
		r.uses = append(r.uses, filepath.Join(r.dir, filepath.FromSlash(f.Name)))
	}
	for _, vf := range valuesFiles {
		if _, err := os.Stat(vf); err == nil {
			r.uses = append(r.uses, filepath.Clean(vf))
		}
	}
	sort.Strings(r.uses)
	r.uses = slices.Compact(r.uses)
}

// userValues reads the values files and the --set values, in Helm's order. It reports false when one
// of them is broken: rendering without it would lint a chart nobody deploys.
func (r *run) userValues(o render.HelmOptions) (map[string]any, bool) {
	base := map[string]any{}
	ok := true
	for _, vf := range o.ValuesFiles {
		b, err := safefile.ReadFile(vf, maxFileSize)
		if err != nil {
			r.problem(render.Problem{File: vf, Message: "values file: " + err.Error()})
			ok = false
			continue
		}
		m, err := loader.LoadValues(strings.NewReader(string(b)))
		if err != nil {
			r.problem(render.Problem{File: vf, Line: lineIn(err.Error()), Message: "values file does not parse: " + err.Error()})
			ok = false
			continue
		}
		base = loader.MergeMaps(base, m)
	}
	for _, s := range o.Set {
		if err := strvals.ParseInto(s, base); err != nil {
			r.problem(render.Problem{File: r.chartFile, Message: fmt.Sprintf("--set %s: %v", s, err)})
			ok = false
		}
	}
	for _, s := range o.SetString {
		if err := strvals.ParseIntoString(s, base); err != nil {
			r.problem(render.Problem{File: r.chartFile, Message: fmt.Sprintf("--set-string %s: %v", s, err)})
			ok = false
		}
	}
	return base, ok
}

// missingDependencies reports each dependency a chart (the root, or a dependency vendored as a
// folder) declares but that is not under its charts/ folder, as `helm template` does before
// rendering. Helm compares names only, and so does this.
func (r *run) missingDependencies(c *chart.Chart) {
	at := r.charts[chartKey(c)]
	if at.archive == "" {
		have := map[string]bool{}
		for _, d := range c.Dependencies() {
			have[d.Name()] = true
		}
		for i, d := range c.Metadata.Dependencies {
			if d == nil || have[d.Name] {
				continue
			}
			file, line := dependencyLine(at.dir, i, d.Name)
			r.problem(render.Problem{File: file, Line: line, Message: fmt.Sprintf(
				"dependency %s is not vendored under charts/: run helm dependency build; podlint does not fetch charts", d.Name)})
		}
	}
	for _, d := range c.Dependencies() {
		r.missingDependencies(d)
	}
}

// isPartial tells a partial (a file whose name starts with "_"), which Helm does not render on its own.
func isPartial(name string) bool { return strings.HasPrefix(path.Base(name), "_") }

// blank tells a rendering that holds no YAML: only blank lines, comments and document markers.
func blank(text string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t == "---" || t == "..." || strings.HasPrefix(t, "#") {
			continue
		}
		return false
	}
	return true
}
