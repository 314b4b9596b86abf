package policy

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/refs"
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

// BenchmarkCheckRun measures the end of a run with the rules of the whole run: building the index's
// input and evaluating those rules, for n workloads each with a Service that selects it and one in
// ten with a Service whose targetPort names no port (a finding). It reports the time per object.
func BenchmarkCheckRun(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{100, 2000} {
		b.Run(fmt.Sprintf("objects=%d", 2*n), func(b *testing.B) {
			objs := benchRunObjects(n)
			found := 0
			b.ReportAllocs()
			for b.Loop() {
				var x refs.Index
				x.Add(objs...)
				rs, err := e.CheckRun(ctx, x.Input(false))
				if err != nil {
					b.Fatal(err)
				}
				found = len(rs)
			}
			if found != n/10 {
				b.Fatalf("%d findings, want %d", found, n/10)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/object")
		})
	}
}

// benchRunObjects makes n Deployments and their Services in compact form, as refs.Extract would.
func benchRunObjects(n int) []*refs.Object {
	var objs []*refs.Object
	for i := range n {
		app := fmt.Sprintf("app-%05d", i)
		file := fmt.Sprintf("team/%s.yaml", app)
		target := any("http")
		if i%10 == 0 {
			target = "admin" // no container declares it
		}
		objs = append(objs,
			&refs.Object{APIVersion: "apps/v1", Kind: "Deployment", Name: app, Namespace: "default",
				Labels: map[string]string{"app": app}, At: 0,
				Pods: []refs.Pod{{Labels: map[string]string{"app": app, "rel": "stable"}, At: 1,
					Ports: []refs.Port{{Name: "http", Number: 8080, Protocol: "TCP", Container: "main"}}}},
				Locs: []refs.Loc{{File: file, Line: 4}, {File: file, Line: 11}}},
			&refs.Object{APIVersion: "v1", Kind: "Service", Name: app, Namespace: "default", At: 0,
				Selector: &refs.Selector{Field: "spec.selector", MatchLabels: map[string]string{"app": app}, At: 1},
				Service:  &refs.Service{Type: "ClusterIP", Ports: []refs.ServicePort{{Name: "http", Port: 80, Protocol: "TCP", TargetPort: target, At: 2}}},
				Locs:     []refs.Loc{{File: file, Line: 30}, {File: file, Line: 33}, {File: file, Line: 36}}})
	}
	return objs
}
