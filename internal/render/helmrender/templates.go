package helmrender

import (
	"context"
	"errors"
	"path"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/engine"

	"github.com/podlint/podlint/internal/render"
)

// tmpl is one template as the engine names it (the chart's full path joined with the template's
// name: mychart/charts/redis/templates/x.yaml), with where it is on disk.
type tmpl struct {
	engineName string
	// name is the template's path inside its chart (templates/x.yaml).
	name string
	at   place
	// partial templates are never rendered on their own.
	partial bool
}

// tree is a chart as handed to the engine, with an index of its templates by engine name.
type tree struct {
	root  *chart.Chart
	index map[string]tmpl
}

// hiddenPrefix renames a template that must be parsed (for the templates it defines) but not
// rendered: the engine renders no file whose name starts with "_".
const hiddenPrefix = "_hidden."

// prune copies the chart tree c for one rendering: the templates drop says are left out, those
// hide says are renamed so that the engine parses them without rendering them. The copy shares
// everything else with c.
func (r *run) prune(c *chart.Chart, drop, hide func(engineName string) bool) tree {
	t := tree{index: map[string]tmpl{}}
	t.root = r.pruneChart(c, "", drop, hide, t.index)
	return t
}

func (r *run) pruneChart(c *chart.Chart, parentPath string, drop, hide func(string) bool, index map[string]tmpl) *chart.Chart {
	cp := *c
	full := c.Name()
	if parentPath != "" {
		full = parentPath + "/charts/" + c.Name()
	}
	library := c.Metadata != nil && c.Metadata.Type == "library"
	cp.Templates = nil
	for _, f := range c.Templates {
		if f == nil {
			continue
		}
		// The engine renders nothing but partials of a library chart.
		if library && !isPartial(f.Name) {
			continue
		}
		name := path.Join(full, f.Name)
		if drop != nil && drop(name) {
			continue
		}
		info := tmpl{engineName: name, name: f.Name, at: r.tpls[f], partial: isPartial(f.Name)}
		if hide != nil && !info.partial && hide(name) {
			hidden := &common.File{Name: path.Join(path.Dir(f.Name), hiddenPrefix+path.Base(f.Name)), ModTime: f.ModTime, Data: f.Data}
			index[path.Join(full, hidden.Name)] = info
			cp.Templates = append(cp.Templates, hidden)
			continue
		}
		index[name] = info
		cp.Templates = append(cp.Templates, f)
	}
	deps := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, d := range c.Dependencies() {
		deps = append(deps, r.pruneChart(d, full, drop, hide, index))
	}
	cp.SetDependencies(deps...)
	return &cp
}

// newEngine is Helm's engine as `helm template` sets it up (no cluster, no DNS), with fail and
// required reporting errors that keep the place where they were called (Helm's own ones lose the
// place of a failure inside a helper).
func newEngine() engine.Engine {
	return engine.Engine{CustomTemplateFuncs: map[string]any{
		"fail": func(msg string) (string, error) { return "", templateFailure(msg) },
		"required": func(msg string, val any) (any, error) {
			if val == nil {
				return val, templateFailure(msg)
			}
			if s, ok := val.(string); ok && s == "" {
				return val, templateFailure(msg)
			}
			return val, nil
		},
	}}
}

// templateFailure is the error of fail and required: the chart's own message.
type templateFailure string

func (f templateFailure) Error() string { return string(f) }

// renderTemplates renders the templates of c. Helm's engine stops at the first failure, so on a
// failure the templates are rendered again one at a time (each with every other template parsed, for
// the templates they define) to tell those that fail from those that render.
func (r *run) renderTemplates(ctx context.Context, c *chart.Chart, values common.Values) {
	eng := newEngine()
	// Templates that do not parse are dropped, one at a time, until the rest parses.
	broken := map[string]bool{}
	drop := func(name string) bool { return broken[name] }
	var lastErr error
	var lastTree tree
	for {
		t := r.prune(c, drop, nil)
		out, err := eng.RenderWithContext(ctx, t.root, values)
		if err == nil {
			r.keep(t, out)
			return
		}
		lastErr, lastTree = err, t
		p, where, ok := r.locateError(err, t, "")
		if ok && isParseError(err) && !where.partial && !broken[where.engineName] {
			broken[where.engineName] = true
			r.problem(p)
			continue
		}
		break
	}
	if isParseError(lastErr) {
		// A partial that does not parse: no template can render.
		p, _, _ := r.locateError(lastErr, lastTree, "")
		r.problem(p)
		return
	}
	var names []string
	for name, info := range lastTree.index {
		if !info.partial {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		t := r.prune(c, drop, func(n string) bool { return n != name })
		out, err := eng.RenderWithContext(ctx, t.root, values)
		if err != nil {
			p, _, _ := r.locateError(err, t, name)
			r.problem(p)
			continue
		}
		r.keep(t, map[string]string{name: out[name]})
	}
}

// keep turns the engine's renderings into outputs: not the partials (never rendered), not NOTES.txt,
// not a template that rendered to nothing.
func (r *run) keep(t tree, out map[string]string) {
	for name, text := range out {
		info, ok := t.index[name]
		if !ok || info.partial || path.Base(name) == "NOTES.txt" || blank(text) {
			continue
		}
		tpl, archive := info.at.file(info.name)
		r.outputs = append(r.outputs, render.Output{Text: text, Template: tpl, Archive: archive})
	}
}

// isParseError tells a template that does not parse from one that fails while it runs.
func isParseError(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "parse error")
}

// locateError turns an engine error into a problem at the file, line and column the error names: the
// innermost place when a template fails inside a template it includes. rendering is the template
// being rendered on its own, if any, the fallback place of an error that names none. It also returns
// the template the problem is in.
func (r *run) locateError(err error, t tree, rendering string) (render.Problem, tmpl, bool) {
	msg := err.Error()
	if locs := findLocations(msg, t.index); len(locs) > 0 {
		inner := locs[len(locs)-1]
		where := t.index[inner.name]
		p := r.problemAt(where, inner.line, inner.col, errorMessage(err))
		if outer := locs[0]; outer.name != inner.name {
			o := t.index[outer.name]
			file, _ := o.at.file(o.name)
			p.Message += " (included from " + file + ":" + strconv.Itoa(outer.line) + ")"
		}
		return p, where, true
	}
	if info, ok := t.index[rendering]; ok {
		return r.problemAt(info, 0, 0, errorMessage(err)), info, true
	}
	return render.Problem{File: r.chartFile, Message: "rendering failed: " + msg}, tmpl{}, false
}

// problemAt is a problem in a template, on disk or in an archive (then placed on the archive, with
// the template's name and line in the message).
func (r *run) problemAt(info tmpl, line, col int, msg string) render.Problem {
	file, inArchive := info.at.problemFile(info.name)
	if inArchive == "" {
		return render.Problem{File: file, Line: line, Column: col, Message: msg}
	}
	where := inArchive
	if line > 0 {
		where += ":" + strconv.Itoa(line)
	}
	return render.Problem{File: file, Message: where + ": " + msg}
}

// errorMessage is the substance of an engine error, without the places it names.
func errorMessage(err error) string {
	var f templateFailure
	if errors.As(err, &f) {
		return string(f)
	}
	s := err.Error()
	if rest, ok := strings.CutPrefix(s, "parse error at ("); ok {
		if _, m, ok := strings.Cut(rest, "): "); ok {
			return "template does not parse: " + m
		}
	}
	if rest, ok := strings.CutPrefix(s, "execution error at ("); ok {
		if _, m, ok := strings.Cut(rest, "): "); ok {
			return m
		}
	}
	// Helm's multi-line form: each place on a line of its own, then what was executed there and the
	// message; what follows the last place is the substance.
	lines := strings.Split(s, "\n")
	if len(lines) > 1 && placeLineRE.MatchString(strings.TrimSpace(lines[0])) {
		last := 0
		for i, l := range lines {
			if placeLineRE.MatchString(strings.TrimSpace(l)) {
				last = i
			}
		}
		var parts []string
		for _, l := range lines[last+1:] {
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, " ")
		}
	}
	// text/template's own chain: "template: x.yaml:3:4: executing ... template: _helpers.tpl:2:5: msg".
	if all := templatePrefixRE.FindAllStringIndex(s, -1); all != nil {
		return s[all[len(all)-1][1]:]
	}
	return s
}
