//go:build unix

package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO or a device, found in a folder or named on the command line, is an unreadable-file
// finding, never a read: a FIFO with no writer would make the run wait forever.
func TestNotRegularFilesAreFindings(t *testing.T) {
	dir := t.TempDir()
	inFolder := filepath.Join(dir, "walked", "pipe.yaml")
	named := filepath.Join(dir, "named")
	if err := os.Mkdir(filepath.Dir(inFolder), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{inFolder, named} {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
	}
	zero := filepath.Join(dir, "walked", "zero.yml")
	if err := os.Symlink(os.DevNull, zero); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), []string{filepath.Dir(inFolder), named}, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.File] = f.Rule + ": " + f.Message
	}
	for p, kind := range map[string]string{inFolder: "FIFO", named: "FIFO", zero: "device"} {
		if g := got[p]; !strings.HasPrefix(g, "unreadable-file: ") || !strings.Contains(g, kind) {
			t.Errorf("%s: %q, want unreadable-file naming a %s", p, g, kind)
		}
	}
	if len(res.Findings) != 3 {
		t.Errorf("%d findings, want 3: %v", len(res.Findings), res.Findings)
	}
}
