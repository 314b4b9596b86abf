//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO with no writer would make a plain open wait forever; a device never ends. Both are
// refused without reading (the test would hang, not fail, if they were opened for reading).
func TestNotRegularRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink(os.DevNull, zero); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]string{fifo: "FIFO", zero: "device"} {
		if _, err := ReadFile(path, 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), kind) {
			t.Errorf("%s: %v, want not a regular file (%s)", path, err, kind)
		}
		if f, _, err := Open(path); err == nil {
			f.Close()
			t.Errorf("%s: opened", path)
		}
	}
}
