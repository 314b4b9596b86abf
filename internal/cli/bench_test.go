package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/gctune"
)

// BenchmarkOneLargeFile lints one file of N objects, with the garbage collector set as the podlint
// binary sets it, and reports the cost per object: about constant as N grows means linear work.
// N=40000 runs when PODLINT_BENCH_LARGE is set (it takes a while on a small machine).
func BenchmarkOneLargeFile(b *testing.B) {
	sizes := []int{1, 1000, 10000}
	if os.Getenv("PODLINT_BENCH_LARGE") != "" {
		sizes = append(sizes, 40000)
	}
	pod := "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\n  labels: {app: web, rel: stable}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - {name: http, containerPort: 80}\n"
	item := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p%d","labels":{"app":"web","rel":"stable"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"name":"http","containerPort":80}]}]}}`
	shapes := []struct {
		name string
		gen  func(n int) string
	}{
		{"yaml-documents", func(n int) string {
			var s strings.Builder
			for i := range n {
				fmt.Fprintf(&s, pod, i)
			}
			return s.String()
		}},
		{"json-list-one-line", func(n int) string {
			items := make([]string, n)
			for i := range n {
				items[i] = fmt.Sprintf(item, i)
			}
			return `{"apiVersion":"v1","kind":"List","items":[` + strings.Join(items, ",") + "]}"
		}},
	}
	for _, shape := range shapes {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/N=%d", shape.name, n), func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "pods.yaml")
				if err := os.WriteFile(path, []byte(shape.gen(n)), 0o644); err != nil {
					b.Fatal(err)
				}
				gctune.Start(func(string) string { return "" })
				defer gctune.Stop()
				env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
					Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }}
				b.ResetTimer()
				for range b.N {
					if code := Run(context.Background(), env, []string{"-j", "1", path}); code != ExitOK && code != ExitFindings {
						b.Fatalf("exit %d", code)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/object")
			})
		}
	}
}
