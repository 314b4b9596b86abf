//go:build unix

package kustbuild

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A resource or patch that is a FIFO or a device makes the build a problem, not a read that waits
// forever or never ends.
func TestNotRegularResources(t *testing.T) {
	for _, kind := range []string{"FIFO", "device"} {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "kustomization.yaml"), "resources: [pod.yaml]\npatches: [{path: patch.yaml}]\n")
		write(t, filepath.Join(dir, "patch.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
		p := filepath.Join(dir, "pod.yaml")
		var err error
		if kind == "FIFO" {
			err = syscall.Mkfifo(p, 0o644)
		} else {
			err = os.Symlink("/dev/zero", p)
		}
		if err != nil {
			t.Skip(err)
		}
		res := Build(dir)
		// a link out of the kustomization's folder is refused by kustomize itself, before any read
		if len(res.Problems) == 0 || kind == "FIFO" && !strings.Contains(res.Problems[0].Message, kind) {
			t.Errorf("%s: %+v, want a problem naming it", kind, res.Problems)
		}
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
