package manifest

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stdin is the name that stands for standard input on the command line and in findings.
const Stdin = "-"

// IsManifestName reports whether a file found in a folder is one podlint reads.
func IsManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Expand turns the command line's paths into the files to lint, in a stable order: each argument in
// the order given, a folder's files sorted. A file named on the command line is read whatever its
// extension; in folders only .yaml, .yml and .json count, and hidden files and folders (.git,
// .podlint.yaml) are skipped.
// A path that does not exist or cannot be read is an error: the user asked for something podlint
// cannot do.
func Expand(args []string, skip func(path string) bool) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, arg := range args {
		if arg == Stdin {
			add(arg)
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
			f, err := os.Open(arg)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arg, unwrapPathError(err))
			}
			f.Close()
			add(arg)
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == arg {
					return err
				}
				found = append(found, p) // unreadable below the root: the loader reports it
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
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return nil // hidden files (.podlint.yaml, .pre-commit-config.yaml) are not manifests
			}
			if IsManifestName(d.Name()) && (skip == nil || !skip(p)) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, unwrapPathError(err))
		}
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	return files, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// ReadFile reads a file for linting, refusing anything larger than MaxFileSize without reading it all.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("is a directory")
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("file is %d bytes, larger than the %d-byte limit for a manifest", info.Size(), MaxFileSize)
	}
	buf := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			if len(buf) > MaxFileSize {
				return nil, fmt.Errorf("file is larger than the %d-byte limit for a manifest", MaxFileSize)
			}
			buf = append(buf, 0)[:len(buf)]
		}
	}
	return buf, nil
}
