package policy

import (
	"context"
	"os"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// benchDocument loads the realistic Deployment the benchmarks evaluate.
func benchDocument(b *testing.B) *manifest.Document {
	b.Helper()
	data, err := os.ReadFile("testdata/bench-deployment.yaml")
	if err != nil {
		b.Fatal(err)
	}
	f := manifest.Load("bench-deployment.yaml", data)
	if len(f.Documents) != 1 || len(f.Problems) != 0 {
		b.Fatalf("bench manifest: %d documents, problems %v", len(f.Documents), f.Problems)
	}
	return f.Documents[0]
}

// BenchmarkCheck evaluates every built-in rule on one realistic pod template.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	doc := benchDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Check(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckParallel is BenchmarkCheck from several goroutines, as lint.Run uses the engine.
func BenchmarkCheckParallel(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	doc := benchDocument(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.Check(ctx, doc); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkNew measures loading, compiling and preparing the built-in rules: the engine's share of
// every podlint start.
func BenchmarkNew(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInput measures converting a document to an OPA value.
func BenchmarkInput(b *testing.B) {
	doc := benchDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := toTerm(doc.Value); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPods measures the podlint.pods builtin on the realistic pod template.
func BenchmarkPods(b *testing.B) {
	doc := benchDocument(b)
	in, err := toTerm(doc.Value)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		podsOf(nil, in.Value)
	}
}

// BenchmarkParseCommand measures podlint.parse_command on a typical wrapper script.
func BenchmarkParseCommand(b *testing.B) {
	argv := []string{"/bin/sh", "-c", "until nc -z db 5432; do sleep 1; done && exec /app/migrate up"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := toTerm(parseCommand(argv)); err != nil {
			b.Fatal(err)
		}
	}
}

// smallDeployment is the common case: one container, one port, a finding or two.
const smallDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 100m, memory: 64Mi}
`

// BenchmarkCheckSmall evaluates every built-in rule on a one-container Deployment.
func BenchmarkCheckSmall(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	doc := manifest.Load("small.yaml", []byte(smallDeployment)).Documents[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Check(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
}
