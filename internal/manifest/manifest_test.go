package manifest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, src string) *File {
	t.Helper()
	return Load("test.yaml", []byte(src))
}

func problems(f *File) []string {
	var out []string
	all := f.Problems
	for _, d := range f.Documents {
		all = append(all, d.Problems...)
	}
	for _, p := range all {
		out = append(out, fmt.Sprintf("%d:%d %s", p.Pos.Line, p.Pos.Column, p.Rule))
	}
	return out
}

func objects(f *File) []string {
	var out []string
	for _, d := range f.Documents {
		out = append(out, fmt.Sprintf("%s %s", d.Object, d.Position(nil).String()))
	}
	return out
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n  - name: c\n    image: i\n"

func TestLoadForms(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		objects  []string
		problems []string
	}{
		{"single pod", fmt.Sprintf(pod, "a"), []string{"Pod/a 1:1"}, nil},
		{"stream of three with empty documents",
			"---\n" + fmt.Sprintf(pod, "a") + "---\n---\n# only a comment\n---\n" + fmt.Sprintf(pod, "b"),
			[]string{"Pod/a 2:1", "Pod/b 14:1"}, nil},
		{"separator with comment", fmt.Sprintf(pod, "a") + "--- # next\n" + fmt.Sprintf(pod, "b"),
			[]string{"Pod/a 1:1", "Pod/b 10:1"}, nil},
		{"document end marker", fmt.Sprintf(pod, "a") + "...\n", []string{"Pod/a 1:1"}, nil},
		{"crlf", strings.ReplaceAll(fmt.Sprintf(pod, "a")+"---\n"+fmt.Sprintf(pod, "b"), "\n", "\r\n"),
			[]string{"Pod/a 1:1", "Pod/b 10:1"}, nil},
		{"bom", "\xef\xbb\xbf" + fmt.Sprintf(pod, "a"), []string{"Pod/a 1:1"}, nil},
		{"json", `{"apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "j"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}`,
			[]string{"Pod/j 1:1"}, nil},
		{"kyaml flow style", "---\n{\n  apiVersion: \"v1\",\n  kind: \"Pod\",\n  metadata: {\n    name: \"k\",\n  },\n  spec: {containers: [{name: \"c\", image: \"i\"}]},\n}\n",
			[]string{"Pod/k 2:1"}, nil},
		{"list expands items", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: x}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web, namespace: ns}\n",
			[]string{"Pod/x 4:3", "Deployment/ns/web 7:3"}, nil},
		{"typed list", "apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: x}\n",
			[]string{"Pod/x 4:3"}, nil},
		{"list item without kind", "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: x}\n",
			nil, []string{"4:3 missing-kind"}},
		{"anchors and aliases", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: &n a\n  labels: {app: *n}\n",
			[]string{"Pod/a 1:1"}, nil},
		{"parse error keeps other documents", fmt.Sprintf(pod, "a") + "---\nkind: Pod\nmetadata:\n  name: x\n   bad: y\n---\n" + fmt.Sprintf(pod, "b"),
			[]string{"Pod/a 1:1", "Pod/b 15:1"}, []string{"13:7 parse-error"}},
		{"tab indentation", "apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n", nil, []string{"4:1 parse-error"}},
		{"duplicate key at the second", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
			[]string{"Pod/b 1:1"}, []string{"5:3 duplicate-key"}},
		{"missing kind", "apiVersion: v1\nmetadata: {name: a}\n", nil, []string{"1:1 missing-kind"}},
		{"missing apiVersion", "kind: Pod\n", nil, []string{"1:1 missing-kind"}},
		{"scalar document beside an object", "apiVersion: v1\nkind: Pod\n---\njust text\n", []string{"Pod 1:1"}, []string{"4:1 missing-kind"}},
		{"metadata and spec are meant as an object", "metadata: {name: a}\nspec: {}\n", nil, []string{"1:1 missing-kind"}},
		{"not utf-8", "apiVersion: v1\nkind: P\xffd\n", nil, []string{"2:8 unreadable-file"}},
		{"binary", "apiVersion: v1\x00\n", nil, []string{"1:15 unreadable-file"}},
		{"infinity refused", "apiVersion: v1\nkind: Pod\nmetadata: {name: .inf}\n", nil, []string{"3:18 parse-error"}},
		{"null key refused", "apiVersion: v1\nkind: Pod\n~: x\n", nil, []string{"3:1 parse-error"}},
		{"anchor merging itself", "apiVersion: v1\nkind: Pod\na: &a {b: 1, <<: *a}\n", nil, []string{"3:18 parse-error"}},
		{"anchor containing itself", "apiVersion: v1\nkind: Pod\na: &a [1, *a]\n", nil, []string{"3:11 parse-error"}},
		{"unknown anchor", "apiVersion: v1\nkind: Pod\nmetadata: *nope\n", nil, []string{"3:11 parse-error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := load(t, tt.src)
			if got := objects(f); fmt.Sprint(got) != fmt.Sprint(tt.objects) {
				t.Errorf("objects = %q, want %q", got, tt.objects)
			}
			if got := problems(f); fmt.Sprint(got) != fmt.Sprint(tt.problems) {
				t.Errorf("problems = %q, want %q (%v)", got, tt.problems, f.Problems)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	f := Load("big.yaml", make([]byte, MaxFileSize+1))
	if got := problems(f); fmt.Sprint(got) != "[1:1 unreadable-file]" {
		t.Fatalf("problems = %v", got)
	}
}

func TestAliasBombRefusedQuickly(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	start := time.Now()
	f := load(t, b.String())
	elapsed := time.Since(start)
	if len(f.Documents) != 0 || len(f.Problems) != 1 || f.Problems[0].Rule != RuleParseError ||
		!strings.Contains(f.Problems[0].Message, "alias bomb") {
		t.Fatalf("want one alias-bomb parse-error, got docs=%d problems=%v", len(f.Documents), f.Problems)
	}
	// Not a timing assertion on the happy path: a bomb that is not refused takes minutes and
	// gigabytes, so anything near this bound means the guard is gone.
	if elapsed > 30*time.Second {
		t.Fatalf("alias bomb took %v", elapsed)
	}
}

func TestPositions(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: a
        image: nginx
      - name: "b"
        image: 'x'
        ports:
        - containerPort: 8080
          protocol: TCP
`
	f := load(t, src)
	if len(f.Documents) != 1 {
		t.Fatalf("documents = %d, problems %v", len(f.Documents), f.Problems)
	}
	d := f.Documents[0]
	tests := []struct {
		path string
		want string
	}{
		{"/spec/template/spec/containers/1/ports/0/containerPort", "16:26-16:30"},
		{"/spec/template/spec/containers/1/name", "13:15-13:18"},
		{"/spec/template/spec/containers/1/image", "14:16-14:19"},
		{"/spec/template/spec/containers/1", "13:9"},
		{"/spec/template/spec/containers", "10:7-10:17"}, // a block list: its key
		{"/spec/template/metadata/labels", "8:15"},       // a flow mapping: the value
		{"/spec/template/metadata/labels/app", "8:21-8:24"},
		{"/spec/template/spec/containers/1/ports/0/hostPort", "16:11"}, // missing: nearest parent
		{"/spec/template/spec/nodeSelector/disk", "9:5-9:9"},           // missing: parent spec's key
		{"/spec/template/spec/containers/7/image", "10:7-10:17"},
		{"", "1:1"},
	}
	for _, tt := range tests {
		p := d.Position(ParsePointer(tt.path))
		got := p.String()
		if p.EndLine > 0 {
			got += fmt.Sprintf("-%d:%d", p.EndLine, p.EndColumn)
		}
		if got != tt.want {
			t.Errorf("Position(%s) = %s, want %s", tt.path, got, tt.want)
		}
	}
	if p := d.KeyPosition(Path{"spec", "template", "spec", "containers", "0", "image"}); p.String() != "12:9" {
		t.Errorf("KeyPosition(image) = %s, want 12:9", p)
	}
}

func TestPodDiscovery(t *testing.T) {
	kinds := map[string]string{
		"Pod": "/spec", "PodTemplate": "/template/spec", "Deployment": "/spec/template/spec",
		"StatefulSet": "/spec/template/spec", "DaemonSet": "/spec/template/spec", "ReplicaSet": "/spec/template/spec",
		"ReplicationController": "/spec/template/spec", "Job": "/spec/template/spec",
		"CronJob": "/spec/jobTemplate/spec/template/spec", "Service": "", "ConfigMap": "",
	}
	for kind, want := range kinds {
		f := load(t, "apiVersion: v1\nkind: "+kind+"\n")
		if len(f.Documents) != 1 {
			t.Fatalf("%s: %v", kind, f.Problems)
		}
		got := ""
		for _, p := range f.Documents[0].Pods {
			got = p.Spec.Pointer()
			if strings.TrimSuffix(p.Spec.Pointer(), "/spec")+"/metadata" != p.Metadata.Pointer() {
				t.Errorf("%s: metadata %s does not sit beside spec %s", kind, p.Metadata.Pointer(), p.Spec.Pointer())
			}
		}
		if got != want {
			t.Errorf("%s: pod spec at %q, want %q", kind, got, want)
		}
	}
}

func TestPointerRoundTrip(t *testing.T) {
	p := Path{"metadata", "annotations", "example.com/a~b"}
	if s := p.Pointer(); s != "/metadata/annotations/example.com~1a~0b" {
		t.Fatalf("Pointer = %s", s)
	}
	if got := ParsePointer(p.Pointer()); fmt.Sprint(got) != fmt.Sprint(p) {
		t.Fatalf("round trip = %v", got)
	}
}

func TestValuesAsKubectl(t *testing.T) {
	f := load(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    env:\n    - {name: A, value: yes}\n    - {name: B, value: \"yes\"}\n    - {name: C, value: 0777}\n    - {name: D, value: on}\n    - {name: E, value: 1_000}\n    - {name: F, value: 2024-01-02}\n")
	if len(f.Documents) != 1 {
		t.Fatal(f.Problems)
	}
	env, _ := Get(f.Documents[0].Value, ParsePointer("/spec/containers/0/env"))
	b, _ := json.Marshal(env)
	want := `[{"name":"A","value":true},{"name":"B","value":"yes"},{"name":"C","value":511},{"name":"D","value":true},{"name":"E","value":1000},{"name":"F","value":"2024-01-02"}]`
	if string(b) != want {
		t.Fatalf("env = %s\nwant  %s", b, want)
	}
}

// TestBlockScalarAtDocumentEnd guards the line break that ends a document's last block scalar: it is
// part of the value, and cutting the stream into documents must not drop it.
func TestBlockScalarAtDocumentEnd(t *testing.T) {
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata:\n  conf: |\n    line\n"
	for _, tt := range []struct{ src, want string }{
		{fmt.Sprintf(cm, "a") + "---\n" + fmt.Sprintf(cm, "b"), "line\n"},
		{strings.TrimSuffix(fmt.Sprintf(cm, "a"), "\n"), "line"},
	} {
		f := load(t, tt.src)
		for _, d := range f.Documents {
			if got, _ := Get(d.Value, Path{"data", "conf"}); got != tt.want {
				t.Errorf("%s: conf = %q, want %q", d.Object, got, tt.want)
			}
		}
	}
}

// YAML that is not Kubernetes is no finding: a file none of whose documents is meant as an object is
// set aside whole, while a file with one object-like document keeps every problem.
func TestNotManifest(t *testing.T) {
	tests := []struct {
		name string
		src  string
		not  bool
	}{
		{"helm values", "replicaCount: 1\nimage:\n  repository: nginx\n  tag: \"\"\n", true},
		{"Chart.yaml has apiVersion", "apiVersion: v2\nname: web\nversion: 0.1.0\n", false},
		{"docker-compose", "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n", true},
		{"CI workflow", "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n", true},
		{"nested kind key is not an object", "rules:\n  - kind: Deployment\n    apiVersion: apps/v1\n", true},
		{"scalar", "just text\n", true},
		{"empty", "", true},
		{"comments only", "# nothing here\n", true},
		{"package.json", `{"name": "x", "version": "1.0.0"}`, true},
		{"JSON object", `{"apiVersion": "v1", "kind": "Pod"}`, false},
		{"list of objects", "- apiVersion: v1\n  kind: Pod\n", false},
		{"settings that do not parse", "a: b\n  c: d\n", true},
		{"manifest that does not parse", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: y\n", false},
		{"second document is an object", "a: 1\n---\nkind: Pod\n", false},
		{"metadata with spec", "metadata: {name: a}\nspec: {}\n", false},
		{"metadata alone", "metadata: {name: a}\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Load("x.yaml", []byte(tt.src))
			if f.NotManifest != tt.not {
				t.Fatalf("NotManifest = %v, want %v (problems %v)", f.NotManifest, tt.not, f.Problems)
			}
			if tt.not && (len(f.Problems) > 0 || len(f.Documents) > 0) {
				t.Errorf("a file that is not a manifest keeps problems %v or documents %d", f.Problems, len(f.Documents))
			}
			if !tt.not && len(f.Documents) == 0 && len(f.Problems) == 0 {
				t.Errorf("a manifest lost its documents and problems")
			}
		})
	}
}

func TestDuplicateKeyOfTwoObjectsRunTogether(t *testing.T) {
	f := load(t, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  labels: {a: x, a: y}\n")
	var got []string
	for _, d := range f.Documents {
		for _, p := range d.Problems {
			got = append(got, fmt.Sprintf("%d %s", p.Pos.Line, p.Message))
		}
	}
	hint := "; two objects seem to run together: a --- separator line is probably missing between them"
	want := []string{
		`5 duplicate key "apiVersion" (first at line 1): only this last value counts` + hint,
		`6 duplicate key "kind" (first at line 2): only this last value counts` + hint,
		`7 duplicate key "metadata" (first at line 3): only this last value counts` + hint,
		`9 duplicate key "a" (first at line 9): only this last value counts`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
