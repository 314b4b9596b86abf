//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A configuration file that is a FIFO, a device or too large is an error naming the file, never a
// read that waits or grows without end.
func TestConfigFileLimits(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, FileName)
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxFileSize)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "FIFO", zero: "device", big: "1048576-byte limit"} {
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming the file and %q", path, err, want)
		}
	}
	// found automatically, it is still refused rather than read
	if p, ok := Find(dir); !ok || p != zero {
		t.Fatalf("Find: %q %v", p, ok)
	}
}
