package kustbuild

import (
	"path/filepath"
	"sync"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/safefile"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// originAnnotations is the build option that makes kustomize record, on each resource, the file it
// was read from (or the kustomization whose generator made it).
const originAnnotations = "originAnnotations"

// recordingFS is the file system kustomize builds on: the disk, recording every file read, and
// asking the top kustomization for origin annotations.
type recordingFS struct {
	filesys.FileSystem
	// top is the top kustomization file (absolute, with links resolved).
	top string

	mu    sync.Mutex
	reads map[string][]byte
}

func newRecordingFS(top string) *recordingFS {
	return &recordingFS{FileSystem: filesys.MakeFsOnDisk(), top: top, reads: map[string][]byte{}}
}

// ReadFile reads a file and records it.
func (f *recordingFS) ReadFile(path string) ([]byte, error) {
	// not the disk filesystem's ReadFile: a FIFO would wait forever, a device never end
	b, err := safefile.ReadFile(path, manifest.MaxFileSize)
	if err != nil {
		return b, err
	}
	clean := filepath.Clean(path)
	f.mu.Lock()
	f.reads[clean] = b
	f.mu.Unlock()
	if clean == f.top {
		return withOriginAnnotations(b), nil
	}
	return b, nil
}

// Open opens a file and records it.
func (f *recordingFS) Open(path string) (filesys.File, error) {
	if !f.FileSystem.IsDir(path) {
		if err := safefile.Check(path); err != nil {
			return nil, err
		}
	}
	file, err := f.FileSystem.Open(path)
	if err == nil && !f.FileSystem.IsDir(path) {
		clean := filepath.Clean(path)
		f.mu.Lock()
		if _, ok := f.reads[clean]; !ok {
			f.reads[clean] = nil
		}
		f.mu.Unlock()
	}
	return file, err
}

// read returns what was read of a file, and whether it was.
func (f *recordingFS) read(path string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.reads[filepath.Clean(path)]
	return b, ok && b != nil
}

// files lists the files read.
func (f *recordingFS) files() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.reads))
	for p := range f.reads {
		out = append(out, p)
	}
	return out
}

// withOriginAnnotations adds originAnnotations to a kustomization's buildMetadata. A text that does
// not parse is returned as it is, for kustomize to report.
func withOriginAnnotations(b []byte) []byte {
	rn, err := kyaml.Parse(string(b))
	if err != nil || rn.YNode().Kind != kyaml.MappingNode {
		return b
	}
	list, err := rn.Pipe(kyaml.Lookup("buildMetadata"))
	if err != nil {
		return b
	}
	if list == nil {
		if err := rn.PipeE(kyaml.SetField("buildMetadata", kyaml.NewListRNode(originAnnotations))); err != nil {
			return b
		}
	} else {
		if list.YNode().Kind != kyaml.SequenceNode {
			return b
		}
		for _, n := range list.YNode().Content {
			if n.Value == originAnnotations {
				return b
			}
		}
		list.YNode().Content = append(list.YNode().Content, kyaml.NewScalarRNode(originAnnotations).YNode())
	}
	s, err := rn.String()
	if err != nil {
		return b
	}
	return []byte(s)
}
