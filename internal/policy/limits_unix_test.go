//go:build unix

package policy_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	. "github.com/podlint/podlint/internal/policy"
)

// A policy file that is a FIFO, a device or too large is an error naming it (exit 2), not a read
// that waits forever or fills memory.
func TestPolicyFileLimits(t *testing.T) {
	cases := map[string]func(p string) error{
		"FIFO":   func(p string) error { return syscall.Mkfifo(p, 0o644) },
		"device": func(p string) error { return os.Symlink("/dev/zero", p) },
		"1048576-byte limit": func(p string) error {
			return os.WriteFile(p, []byte("package x\n# "+strings.Repeat("x", MaxPolicyFileSize)+"\n"), 0o644)
		},
	}
	for want, make := range cases {
		dir := t.TempDir()
		p := filepath.Join(dir, "policy.rego")
		if err := make(p); err != nil {
			t.Skip(err)
		}
		for _, arg := range []string{dir, p} {
			_, err := New(context.Background(), Options{Dirs: []string{arg}})
			if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s as %s: %v, want an error naming it and %q", want, arg, err, want)
			}
		}
	}
}
