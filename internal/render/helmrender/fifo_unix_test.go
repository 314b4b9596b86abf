//go:build unix

package helmrender

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/podlint/podlint/internal/render"
)

// A chart file or values file that is a FIFO is a problem, not a read that waits forever: Helm's
// loader refuses irregular files, and the renderer's own reads do too.
func TestNotRegularChartFiles(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte("apiVersion: v2\nname: c\nversion: 0.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "templates", "pod.yaml"), 0o644); err != nil {
		t.Skip(err)
	}
	res := Render(context.Background(), dir, nil)
	if len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Message, "irregular") {
		t.Errorf("template FIFO: %+v", res.Problems)
	}
	os.Remove(filepath.Join(dir, "templates", "pod.yaml"))
	values := filepath.Join(t.TempDir(), "values.yaml")
	if err := syscall.Mkfifo(values, 0o644); err != nil {
		t.Fatal(err)
	}
	res = Render(context.Background(), dir, &render.HelmOptions{ValuesFiles: []string{values}})
	if len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Message, "FIFO") {
		t.Errorf("values FIFO: %+v", res.Problems)
	}
}
