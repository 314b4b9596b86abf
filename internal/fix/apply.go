package fix

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// Change is what fixing one file gives: its text before and after, and how many findings the
// applied fixes correct.
type Change struct {
	File          string
	Before, After []byte
	Fixed         int
}

// Plan computes the changes that the fixes of findings make, file by file, in the order of the
// files' names. The first fix of each finding is applied; a fix whose edits overlap those of a fix
// already taken waits for the next run (the same edit offered twice, as by a template rendered
// twice, is made once). A file that does not parse, or would not parse after the edits, is left
// alone (a Helm chart's templates excepted, which are not YAML before rendering). read reads a file
// as it is on disk. Standard input is never fixed.
func Plan(findings []lint.Finding, read func(string) ([]byte, error)) []Change {
	byFile := map[string][]lint.Fix{}
	for _, f := range findings {
		if len(f.Fixes) == 0 || f.File == manifest.Stdin || f.File == "" {
			continue
		}
		byFile[f.File] = append(byFile[f.File], f.Fixes[0])
	}
	names := make([]string, 0, len(byFile))
	for name := range byFile {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Change
	for _, name := range names {
		data, err := read(name)
		// A chart's template is not YAML until it is rendered: its fixes were checked on the
		// rendered document and carried only onto literal text (lint's placeFixes).
		template := manifest.InChart(name)
		if err != nil || (!template && !parses(name, data)) {
			continue
		}
		var taken []manifest.Edit
		fixed := 0
	fixes:
		for _, fx := range byFile[name] {
			edits := make([]manifest.Edit, len(fx.Edits))
			for i, e := range fx.Edits {
				edits[i] = manifest.Edit(e)
			}
			dup := 0
			for _, e := range edits {
				for _, t := range taken {
					if e == t {
						dup++
					} else if manifest.Overlap(e, t) {
						continue fixes
					}
				}
			}
			if dup == len(edits) {
				fixed++ // the same correction, reached through another render
				continue
			}
			if dup > 0 {
				continue
			}
			taken = append(taken, edits...)
			fixed++
		}
		after, err := manifest.ApplyFile(data, taken)
		if err != nil || bytes.Equal(after, data) || (!template && !parses(name, after)) {
			continue
		}
		out = append(out, Change{File: name, Before: data, After: after, Fixed: fixed})
	}
	return out
}

// parses reports whether a file loads without a parse error or an unreadable-file problem.
func parses(name string, data []byte) bool {
	f := manifest.Load(name, data)
	for _, p := range f.Problems {
		if p.Rule == manifest.RuleParseError || p.Rule == manifest.RuleUnreadableFile {
			return false
		}
	}
	return true
}

// Write replaces a file's content atomically: the new text goes to a temporary file in the same
// folder, with the file's mode, which is then renamed over it. A symbolic link is followed, so the
// file it points at is replaced and the link stays.
func Write(name string, data []byte) error {
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".podlint-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	done = true
	return nil
}
