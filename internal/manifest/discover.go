package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/podlint/podlint/internal/safefile"
)

// ChartFile marks a Helm chart's folder.
const ChartFile = "Chart.yaml"

// KustomizationFiles are the names kustomize accepts for a kustomization, in its order of preference.
var KustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Found is what the command line's paths hold: plain files to lint, and folders that are rendered
// before they are linted.
type Found struct {
	// Files are the files to lint as they are, in order (see Expand).
	Files []string
	// Charts are Helm chart folders (holding Chart.yaml). Nothing inside a chart is linted as a
	// plain file: its templates are not YAML until rendered.
	Charts []string
	// Kustomizations are folders holding a kustomization. Their files are also in Files: which of
	// them the kustomization uses is known only once it is built.
	Kustomizations []string
	// Named are the kustomizations found above a file named on the command line (how pre-commit
	// passes a changed patch): they count only if they use one of the named files.
	Named map[string]bool
}

// Discover expands the command line's paths into files (see Expand), and also finds the Helm charts and
// kustomizations in the folders it walks. A chart's folder is not walked. A file named on the
// command line that belongs to a chart (Chart.yaml, values files, templates) stands for its chart; a
// file named below a kustomization's folder brings that kustomization along (Named), so that a
// changed patch is linted as part of its build, not as a whole object.
func Discover(args []string, skip func(path string) bool) (*Found, error) {
	found := &Found{Named: map[string]bool{}}
	seenFile, seenChart, seenKust := map[string]bool{}, map[string]bool{}, map[string]bool{}
	addFile := func(p string) {
		if !seenFile[p] {
			seenFile[p] = true
			found.Files = append(found.Files, p)
		}
	}
	addChart := func(dir string) {
		dir = filepath.Clean(dir)
		if !seenChart[dir] {
			seenChart[dir] = true
			found.Charts = append(found.Charts, dir)
		}
	}
	addKust := func(dir string, named bool) {
		dir = filepath.Clean(dir)
		if !seenKust[dir] {
			seenKust[dir] = true
			found.Kustomizations = append(found.Kustomizations, dir)
			if named {
				found.Named[dir] = true
			}
		} else if !named {
			delete(found.Named, dir)
		}
	}
	for _, arg := range args {
		if arg == Stdin {
			addFile(arg)
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, unwrapPathError(err))
		}
		if !info.IsDir() {
			if skip != nil && skip(arg) {
				continue // excluded by configuration, even when named (pre-commit names every file)
			}
			// A file that cannot be opened is the user asking for something podlint cannot do. A
			// FIFO or a device is not opened at all (a FIFO would wait for a writer): the loader
			// reports it as unreadable.
			if f, _, err := safefile.Open(arg); err == nil {
				f.Close()
			} else if !errors.Is(err, safefile.ErrNotRegular) {
				return nil, fmt.Errorf("%s: %w", arg, unwrapPathError(err))
			}
			if chart, ok := chartOf(arg); ok {
				addChart(chart)
				continue
			}
			for _, k := range kustomizationsAbove(arg) {
				addKust(k, true)
			}
			addFile(arg)
			continue
		}
		if isChartDir(arg) {
			addChart(arg)
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == arg {
					return err
				}
				files = append(files, p) // unreadable below the root: the loader reports it
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != arg && strings.HasPrefix(d.Name(), ".") && d.Name() != "." && d.Name() != ".." {
					return fs.SkipDir
				}
				if p != arg && skip != nil && skip(p) {
					return fs.SkipDir
				}
				if isChartDir(p) {
					addChart(p)
					return fs.SkipDir
				}
				if kustomizationFile(p) != "" {
					addKust(p, false)
				}
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return nil // hidden files (.podlint.yaml, .pre-commit-config.yaml) are not manifests
			}
			if IsManifestName(d.Name()) && (skip == nil || !skip(p)) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, unwrapPathError(err))
		}
		sort.Strings(files)
		for _, p := range files {
			addFile(p)
		}
	}
	return found, nil
}

func isChartDir(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, ChartFile))
	return err == nil && info.Mode().IsRegular()
}

// kustomizationFile returns the kustomization file of a folder, or "".
func kustomizationFile(dir string) string {
	for _, name := range KustomizationFiles {
		p := filepath.Join(dir, name)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// chartOf says whether a file belongs to a Helm chart: it is the chart's Chart.yaml or values file,
// or sits below its templates folder. A chart's charts/ folder holds its dependencies, which are
// charts of their own, so the nearest chart above the file is the one.
func chartOf(file string) (string, bool) {
	dir := filepath.Dir(absolute(file))
	rel := filepath.Base(file)
	for i := 0; i < 64; i++ {
		if isChartDir(dir) {
			first := strings.Split(filepath.ToSlash(rel), "/")[0]
			base := filepath.Base(rel)
			switch {
			case rel == ChartFile, first == "templates", first == "crds",
				!strings.Contains(rel, string(filepath.Separator)) && strings.HasPrefix(base, "values") && IsManifestName(base):
				return relativeLike(file, dir), true
			}
			return "", false
		}
		if isRepositoryRoot(dir) {
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		rel = filepath.Join(filepath.Base(dir), rel)
		dir = parent
	}
	return "", false
}

// kustomizationsAbove lists the kustomization folders at or above a file's folder, up to the
// repository root.
func kustomizationsAbove(file string) []string {
	var out []string
	dir := filepath.Dir(absolute(file))
	for i := 0; i < 64; i++ {
		if kustomizationFile(dir) != "" {
			out = append(out, relativeLike(file, dir))
		}
		if isRepositoryRoot(dir) {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return out
}

func isRepositoryRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// relativeLike names dir the way the user named file: relative to the working folder when file was
// relative, so that findings keep the paths the user typed.
func relativeLike(file, dir string) string {
	if filepath.IsAbs(file) {
		return dir
	}
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, dir); err == nil {
			return r
		}
	}
	return dir
}

// KustomizationFile returns the kustomization file of a folder, or "" when it has none.
func KustomizationFile(dir string) string { return kustomizationFile(dir) }

// InChart reports whether a file belongs to a Helm chart (its Chart.yaml, a values file, or a file
// below templates/ or crds/): such a file is rendered, not linted as YAML of its own.
func InChart(file string) bool {
	_, ok := chartOf(file)
	return ok
}
