package refs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// Repository resolves a run against the rest of its repository: the manifests under the
// repository root (the nearest folder above the run's paths holding .podlint.yaml or .git) that
// the run did not lint are added to the index as context, so that a run naming only the changed
// files (pre-commit) still finds the pods of the other files. Charts and kustomizations of the
// repository outside the run are not rendered (that would make every such run slow): their objects
// are unknown, so the index is marked incomplete and rules claim nothing absent. A file that does
// not read or parse marks it incomplete too.
//
// The compact objects of each file are cached (CacheDir, outside the repository), checked by the
// file's size and modification time, so a second run reads only the files that changed.
type Repository struct {
	// Paths are the run's command-line paths.
	Paths []string
	// PodKinds is the run's table of pod-bearing kinds; Key identifies it (and anything else that
	// changes what a file's objects are) in the cache.
	PodKinds *manifest.PodKinds
	Key      string
	// CacheDir holds the caches, one file per repository root; empty: no cache.
	CacheDir string
	// Workers read the files that are not cached; 0 is one per CPU.
	Workers int
}

// cacheFormat changes whenever the cached form of objects does.
const cacheFormat = "podlint-refs-2"

type cacheFile struct {
	Format string
	Key    string
	Root   string
	Files  map[string]cachedFile // by path relative to the root, with forward slashes
}

type cachedFile struct {
	Size    int64
	ModTime int64
	Broken  bool
	Objects []*Object
}

// Root returns the repository root above path: the nearest folder holding .podlint.yaml or .git.
func Root(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	dir := abs
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		dir = filepath.Dir(abs)
	}
	for {
		for _, marker := range []string{".podlint.yaml", ".git"} {
			if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
				return dir, true
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Context adds the repository's other objects to x (refs.Run's Context hook).
func (r *Repository) Context(ctx context.Context, run *lint.RunInfo, x *Index) error {
	roots := map[string]bool{}
	var order []string
	for _, p := range r.Paths {
		if p == manifest.Stdin {
			continue
		}
		if root, ok := Root(p); ok && !roots[root] {
			roots[root] = true
			order = append(order, root)
		}
	}
	if len(order) == 0 {
		return nil
	}
	linted := map[string]bool{}
	for _, f := range run.Files {
		linted[abs(f)] = true
	}
	for f := range run.Used {
		linted[abs(f)] = true
	}
	rendered := map[string]bool{}
	for _, d := range append(append([]string(nil), run.Charts...), run.Kustomizations...) {
		rendered[abs(d)] = true
	}
	for _, root := range order {
		if err := r.scan(ctx, root, linted, rendered, x); err != nil {
			return err
		}
	}
	return nil
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// scan adds the objects of the root's manifests that the run did not lint.
func (r *Repository) scan(ctx context.Context, root string, linted, rendered map[string]bool, x *Index) error {
	found, err := manifest.Discover([]string{root}, nil)
	if err != nil {
		x.Incomplete = append(x.Incomplete, fmt.Sprintf("the repository at %s could not be read", root))
		return nil
	}
	for _, d := range append(append([]string(nil), found.Charts...), found.Kustomizations...) {
		if !rendered[abs(d)] {
			x.Incomplete = append(x.Incomplete, "the repository holds charts or kustomizations outside the run, whose objects are not known")
			break
		}
	}
	display := root
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, root); err == nil {
			display = rel
		}
	}
	cache := r.load(root)
	next := &cacheFile{Format: cacheFormat, Key: r.Key, Root: root, Files: map[string]cachedFile{}}
	var todo []string
	for _, f := range found.Files {
		if linted[abs(f)] {
			continue
		}
		rel, err := filepath.Rel(root, f)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		info, err := os.Stat(f)
		if err != nil {
			x.Incomplete = append(x.Incomplete, "a manifest of the repository could not be read")
			continue
		}
		if c, ok := cache.Files[rel]; ok && c.Size == info.Size() && c.ModTime == info.ModTime().UnixNano() {
			next.Files[rel] = c
			continue
		}
		todo = append(todo, rel)
	}
	if err := r.read(ctx, root, todo, next); err != nil {
		return err
	}
	rels := make([]string, 0, len(next.Files))
	for rel := range next.Files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	broken := false
	for _, rel := range rels {
		c := next.Files[rel]
		broken = broken || c.Broken
		name := filepath.Join(display, filepath.FromSlash(rel))
		for _, o := range c.Objects {
			cp := *o
			cp.Context = true
			cp.Locs = append([]Loc(nil), o.Locs...)
			for i := range cp.Locs {
				cp.Locs[i].File = name
			}
			x.Add(&cp)
		}
	}
	if broken {
		x.Incomplete = append(x.Incomplete, "a manifest of the repository does not parse")
	}
	if len(todo) > 0 || len(next.Files) != len(cache.Files) {
		r.save(root, next)
	}
	return nil
}

// read loads the files that are not cached, on several workers, into next.
func (r *Repository) read(ctx context.Context, root string, rels []string, next *cacheFile) error {
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var mu sync.Mutex
	ch := make(chan string)
	var wg sync.WaitGroup
	for range min(workers, len(rels)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rel := range ch {
				c := r.readFile(filepath.Join(root, filepath.FromSlash(rel)), rel)
				mu.Lock()
				next.Files[rel] = c
				mu.Unlock()
			}
		}()
	}
	for _, rel := range rels {
		if ctx.Err() != nil {
			break
		}
		ch <- rel
	}
	close(ch)
	wg.Wait()
	return ctx.Err()
}

// readFile makes the cached form of one file. Positions name the file by its path relative to the
// root; Context places them where the run names files.
func (r *Repository) readFile(path, rel string) cachedFile {
	info, err := os.Stat(path)
	if err != nil {
		return cachedFile{Broken: true}
	}
	c := cachedFile{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	data, err := manifest.ReadFile(path)
	if err != nil {
		c.Broken = true
		return c
	}
	f := r.PodKinds.Load(rel, data)
	if f.NotManifest {
		return c
	}
	for _, p := range f.Problems {
		if p.Rule == manifest.RuleParseError || p.Rule == manifest.RuleUnreadableFile {
			c.Broken = true
		}
	}
	for _, doc := range f.Documents {
		o := Extract(doc, "", func(p manifest.Path, atKey bool) Loc {
			var pos manifest.Position
			if atKey {
				pos = doc.KeyPosition(p)
			} else {
				pos = doc.Position(p)
			}
			// only related locations point here: the finding's own fields are not kept
			return Loc{File: rel, Line: pos.Line, Column: pos.Column, EndLine: pos.EndLine, EndColumn: pos.EndColumn}
		})
		if o != nil {
			c.Objects = append(c.Objects, o)
		}
	}
	return c
}

func (r *Repository) cachePath(root string) string {
	if r.CacheDir == "" {
		return ""
	}
	h := sha256.Sum256([]byte(root))
	return filepath.Join(r.CacheDir, "refs-"+hex.EncodeToString(h[:12]))
}

// load reads the root's cache; a missing, unreadable or stale one is empty.
func (r *Repository) load(root string) *cacheFile {
	empty := &cacheFile{Files: map[string]cachedFile{}}
	p := r.cachePath(root)
	if p == "" {
		return empty
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return empty
	}
	c, err := decodeCache(data)
	if err != nil || c.Format != cacheFormat || c.Key != r.Key || c.Root != root {
		return empty
	}
	return c
}

// save writes the root's cache whole (a temporary file renamed over it); a failure leaves the run
// as it is, only slower next time.
func (r *Repository) save(root string, c *cacheFile) {
	p := r.cachePath(root)
	if p == "" {
		return
	}
	data := encodeCache(c)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".refs-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
