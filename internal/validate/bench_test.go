package validate

import (
	"os"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/schema"
)

// loadTestDoc reads the first object of a testdata file.
func loadTestDoc(tb testing.TB, name string) *manifest.Document {
	tb.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	f := manifest.Load(name, data)
	if len(f.Problems) > 0 || len(f.Documents) == 0 {
		tb.Fatalf("%s: problems %v, %d documents", name, f.Problems, len(f.Documents))
	}
	return f.Documents[0]
}

// BenchmarkParseCatalog measures reading the embedded schema, paid once per run.
func BenchmarkParseCatalog(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseCatalog(schema.JSON, "v0"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompile measures compiling one kind's schema, paid once per kind a run sees.
func BenchmarkCompile(b *testing.B) {
	cat, err := embedded()
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"Pod", "Deployment", "CronJob"} {
		b.Run(kind, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := compile(cat, kind); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFirstPod measures everything a one-file run pays before and for its first pod: reading
// the schema, compiling the Pod kind, and validating.
func BenchmarkFirstPod(b *testing.B) {
	doc := loadTestDoc(b, "pod.yaml")
	b.ReportAllocs()
	for b.Loop() {
		cat, err := parseCatalog(schema.JSON, "v0")
		if err != nil {
			b.Fatal(err)
		}
		v := newValidator(cat, nil, Options{})
		if vs, _, err := v.Validate(doc); err != nil || len(vs) > 0 {
			b.Fatal(err, vs)
		}
	}
}

// BenchmarkValidate measures validating one pod with the schema already compiled: a typical small
// pod (one container, ports, resources, a probe) and a large realistic one (three containers, probes,
// volumes, affinity, tolerations).
func BenchmarkValidate(b *testing.B) {
	for _, name := range []string{"typical-pod.yaml", "pod.yaml"} {
		b.Run(name, func(b *testing.B) {
			doc := loadTestDoc(b, name)
			v := New(Options{})
			if vs, _, err := v.Validate(doc); err != nil || len(vs) > 0 {
				b.Fatal(err, vs)
			}
			b.ReportAllocs()
			for b.Loop() {
				v.Validate(doc)
			}
		})
	}
}

// BenchmarkToJSON measures handing the document to the library (numbers as json.Number, nulls out).
func BenchmarkToJSON(b *testing.B) {
	doc := loadTestDoc(b, "pod.yaml")
	b.ReportAllocs()
	for b.Loop() {
		toJSON(doc.Value)
	}
}
