package helmrender

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/podlint/podlint/internal/safefile"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"sigs.k8s.io/yaml"
)

// place says where a chart's files are: a folder on disk, or a folder inside a packaged dependency.
type place struct {
	// dir is the chart's folder on disk, when it is not inside an archive.
	dir string
	// archive is the on-disk archive that holds the chart, when it is inside one.
	archive string
	// prefix is the chart's folder inside archive, as Output.Template names it. Through an archive
	// packed inside another one, it runs through the inner archive's name
	// (sub/charts/common-2.0.0.tgz/common).
	prefix string
	// files are the files of the innermost archive, by name, and inner the chart's folder among them.
	files map[string][]byte
	inner string
}

// file returns where name (a path inside the chart, such as templates/x.yaml) is: a path on disk, or
// a name inside an archive with the archive's path.
func (p place) file(name string) (template, archive string) {
	if p.archive == "" {
		return filepath.Join(p.dir, filepath.FromSlash(name)), ""
	}
	return path.Join(p.prefix, name), p.archive
}

// problemFile is the file a problem about name is reported on: the file itself on disk, or the
// archive. The second result is the name inside the archive, for the message.
func (p place) problemFile(name string) (file, inArchive string) {
	t, a := p.file(name)
	if a == "" {
		return t, ""
	}
	return a, t
}

// read reads a file of the chart, on disk or in the archive.
func (p place) read(name string) ([]byte, error) {
	if p.archive == "" {
		return safefile.ReadFile(filepath.Join(p.dir, filepath.FromSlash(name)), maxFileSize)
	}
	b, ok := p.files[path.Join(p.inner, name)]
	if !ok {
		return nil, os.ErrNotExist
	}
	return b, nil
}

// candidate is one entry of a chart's charts/ folder: a vendored dependency.
type candidate struct {
	name, version string
	at            place
	used          bool
}

// candidates lists the dependencies vendored in p's charts/ folder, folders and archives alike.
// Entries Helm's loader skips (names starting with "_" or ".") are skipped here too; an entry that
// cannot be read is left out (the loader has already complained about it).
func (p place) candidates() []*candidate {
	var out []*candidate
	add := func(at place, chartYAML []byte) {
		var meta struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		}
		if yaml.Unmarshal(chartYAML, &meta) != nil {
			return
		}
		out = append(out, &candidate{name: meta.Name, version: meta.Version, at: at})
	}
	if p.archive == "" {
		dir := filepath.Join(p.dir, "charts")
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			n := e.Name()
			if strings.IndexAny(n, "_.") == 0 {
				continue
			}
			full := filepath.Join(dir, n)
			switch {
			case e.IsDir():
				if b, err := safefile.ReadFile(filepath.Join(full, "Chart.yaml"), maxFileSize); err == nil {
					add(place{dir: full}, b)
				}
			case filepath.Ext(n) == ".tgz":
				data, err := safefile.ReadFile(full, maxArchiveSize)
				if err != nil {
					continue
				}
				files, top, err := untar(data)
				if err != nil {
					continue
				}
				add(place{archive: full, prefix: top, files: files, inner: top}, files[top+"/Chart.yaml"])
			}
		}
		return out
	}
	base := path.Join(p.inner, "charts") + "/"
	seen := map[string]bool{}
	var names []string
	for name := range p.files {
		if rest, ok := strings.CutPrefix(name, base); ok {
			first, _, _ := strings.Cut(rest, "/")
			if !seen[first] && strings.IndexAny(first, "_.") != 0 {
				seen[first] = true
				names = append(names, first)
			}
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if path.Ext(n) == ".tgz" {
			files, top, err := untar(p.files[base+n])
			if err != nil {
				continue
			}
			at := place{archive: p.archive, prefix: path.Join(p.prefix, "charts", n, top), files: files, inner: top}
			add(at, files[top+"/Chart.yaml"])
			continue
		}
		at := place{archive: p.archive, prefix: path.Join(p.prefix, "charts", n), files: p.files, inner: base + n}
		add(at, p.files[base+n+"/Chart.yaml"])
	}
	return out
}

// untar reads a gzipped chart archive into memory: its files by name, and the name of its top folder.
func untar(data []byte) (map[string][]byte, string, error) {
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, "", err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	top := ""
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(strings.TrimPrefix(filepath.ToSlash(h.Name), "./"))
		if first, _, ok := strings.Cut(name, "/"); ok && top == "" {
			top = first
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, "", err
		}
		files[name] = b
	}
	if top == "" {
		return nil, "", errors.New("archive holds no chart folder")
	}
	return files, top, nil
}

// chartKey identifies a chart across Helm's processing of dependencies, which copies the charts but
// keeps their files: it is the chart's first raw file (nil for a chart without files).
func chartKey(c *chart.Chart) *common.File {
	if len(c.Raw) == 0 {
		return nil
	}
	return c.Raw[0]
}

// locate records where every template of c and of its dependencies is, by the template's file (the
// pointers survive Helm's processing of dependencies, which copies the charts), and the place of
// every chart, by chartKey.
func locate(c *chart.Chart, at place, tpls map[*common.File]place, charts map[*common.File]place) {
	charts[chartKey(c)] = at
	for _, t := range c.Templates {
		tpls[t] = at
	}
	cands := at.candidates()
	deps := append([]*chart.Chart(nil), c.Dependencies()...)
	// The loader adds dependencies in map order: sort them so that two vendored copies of one chart
	// are matched in a stable way.
	sort.SliceStable(deps, func(i, j int) bool { return deps[i].Name() < deps[j].Name() })
	for _, d := range deps {
		var match *candidate
		for _, cd := range cands {
			if !cd.used && cd.name == d.Name() && cd.version == d.Metadata.Version {
				match = cd
				break
			}
		}
		if match == nil {
			for _, cd := range cands {
				if !cd.used && cd.name == d.Name() {
					match = cd
					break
				}
			}
		}
		if match == nil {
			// Not found on disk (should not happen): name the chart's own folder.
			locate(d, at, tpls, charts)
			continue
		}
		match.used = true
		locate(d, match.at, tpls, charts)
	}
}
