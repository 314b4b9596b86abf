package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/podlint/podlint/internal/safefile"
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

// Expand turns the command line's paths into the files to lint as they are, in a stable order: each
// argument in the order given, a folder's files sorted. A file named on the command line is read
// whatever its extension; in folders only .yaml, .yml and .json count, and hidden files and folders
// (.git, .podlint.yaml) are skipped. Helm charts are rendered, not read as files (see Discover).
// A path that does not exist or cannot be read is an error: the user asked for something podlint
// cannot do.
func Expand(args []string, skip func(path string) bool) ([]string, error) {
	found, err := Discover(args, skip)
	if err != nil {
		return nil, err
	}
	return found.Files, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// ReadFile reads a file for linting, refusing anything larger than MaxFileSize without reading it
// all, and anything that is not a regular file (a FIFO would make the read wait forever, a device
// never end) without reading it at all.
func ReadFile(path string) ([]byte, error) {
	data, err := safefile.ReadFile(path, MaxFileSize)
	var tl *safefile.TooLargeError
	switch {
	case errors.As(err, &tl) && tl.Size >= 0:
		return nil, fmt.Errorf("file is %d bytes, larger than the %d-byte limit for a manifest", tl.Size, MaxFileSize)
	case errors.As(err, &tl):
		return nil, fmt.Errorf("file is larger than the %d-byte limit for a manifest", MaxFileSize)
	case err != nil:
		return nil, unwrapPathError(err)
	}
	return data, nil
}
