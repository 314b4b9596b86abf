package validate

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
)

// load reads one object from YAML text.
func load(t *testing.T, src string) *manifest.Document {
	t.Helper()
	f := manifest.Load("test.yaml", []byte(src))
	if len(f.Problems) > 0 || len(f.Documents) != 1 {
		t.Fatalf("test input: problems %v, %d documents", f.Problems, len(f.Documents))
	}
	return f.Documents[0]
}

// render writes violations as "pointer: message", with " (key)" when the violation is on the key.
func render(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		s := v.Path.Pointer()
		if v.AtKey {
			s += " (key)"
		}
		out = append(out, s+": "+v.Message)
	}
	return out
}

// pod wraps container fields into a Pod with one container named web.
func pod(container string) string {
	lines := strings.Split(strings.TrimSpace(container), "\n")
	for i := range lines {
		lines[i] = "    " + lines[i]
	}
	return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n" +
		strings.Join(lines, "\n") + "\n"
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		strict      bool
		want        []string
		wantSkipped bool
	}{
		{
			name: "a minimal pod is valid",
			src:  pod("ports:\n- containerPort: 80"),
		},
		{
			name: "unknown field, with the closest known name",
			src:  pod("imagePullPolice: Always"),
			want: []string{`/spec/containers/0/imagePullPolice (key): unknown field "imagePullPolice" in container "web" (did you mean "imagePullPolicy"?)`},
		},
		{
			name: "unknown field far from every known name",
			src:  pod("flavour: vanilla"),
			want: []string{`/spec/containers/0/flavour (key): unknown field "flavour" in container "web"`},
		},
		{
			name: "unknown field in a nested object names its owner",
			src:  pod("securityContext:\n  runAsNonroot: true"),
			want: []string{`/spec/containers/0/securityContext/runAsNonroot (key): unknown field "runAsNonroot" in securityContext of container "web" (did you mean "runAsNonRoot"?)`},
		},
		{
			name: "unknown top-level field",
			src:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspc: {}\nspec:\n  containers:\n  - name: a\n    image: b\n",
			want: []string{`/spc (key): unknown field "spc" in the Pod (did you mean "spec"?)`},
		},
		{
			name: "missing required fields, on the object that lacks them",
			src:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n  - image: nginx\n",
			want: []string{
				`/spec/containers/0: missing required field "image" in container "web"`,
				`/spec/containers/1: missing required field "name" in spec.containers[1]`,
			},
		},
		{
			name: "an item without a name is shown by index under its named holder",
			src:  pod("env:\n- value: \"1\""),
			want: []string{`/spec/containers/0/env/0: missing required field "name" in env[0] of container "web"`},
		},
		{
			name: "a port written as a string",
			src:  pod("ports:\n- containerPort: \"8080\""),
			want: []string{`/spec/containers/0/ports/0/containerPort: containerPort must be an integer, got string "8080" (remove the quotes)`},
		},
		{
			name: "a value outside the allowed set",
			src:  pod("ports:\n- containerPort: 80\n  protocol: tcp"),
			want: []string{`/spec/containers/0/ports/0/protocol: protocol must be one of SCTP, TCP, UDP, got "tcp" (did you mean "TCP"?)`},
		},
		{
			name: "yes in an env var is a boolean",
			src:  pod("env:\n- name: DEBUG\n  value: yes"),
			want: []string{`/spec/containers/0/env/0/value: value must be a string, got boolean true (quote it: YAML reads unquoted yes, no, on, off, true and false as booleans)`},
		},
		{
			name: "an unquoted on in a label is a boolean",
			src:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app.kubernetes.io/enabled: on\nspec:\n  containers:\n  - name: a\n    image: b\n",
			want: []string{`/metadata/labels/app.kubernetes.io~1enabled: app.kubernetes.io/enabled must be a string, got boolean true (quote it: YAML reads unquoted yes, no, on, off, true and false as booleans)`},
		},
		{
			name: "a number where a string belongs",
			src:  pod("env:\n- name: VERSION\n  value: 1.10"),
			want: []string{`/spec/containers/0/env/0/value: value must be a string, got number 1.1 (quote it: YAML reads it as a number)`},
		},
		{
			name: "quantities as strings and numbers",
			src:  pod("resources:\n  requests:\n    cpu: 500m\n    memory: 128Mi\n  limits:\n    cpu: 1\n    memory: \"1\"\n    ephemeral-storage: 0.5"),
		},
		{
			name: "quantities the server refuses",
			src:  pod("resources:\n  limits:\n    memory: 1GB\n    cpu: true"),
			want: []string{
				`/spec/containers/0/resources/limits/cpu: cpu must be a quantity (a number, or a string such as 500m or 1Gi), got boolean true`,
				`/spec/containers/0/resources/limits/memory: memory must be a quantity such as 500m, 1Gi or 0.5, got string "1GB"`,
			},
		},
		{
			name: "probe ports by number and by name",
			src:  pod("ports:\n- name: http\n  containerPort: 80\nreadinessProbe:\n  httpGet:\n    port: http\nlivenessProbe:\n  tcpSocket:\n    port: 80"),
		},
		{
			name: "probe ports of the wrong kind",
			src:  pod("readinessProbe:\n  httpGet:\n    port: true\nlivenessProbe:\n  tcpSocket:\n    port: 80.5"),
			want: []string{
				`/spec/containers/0/livenessProbe/tcpSocket/port: port must be an integer or a string, got number 80.5`,
				`/spec/containers/0/readinessProbe/httpGet/port: port must be an integer or a string, got boolean true`,
			},
		},
		{
			name: "a mapping where a list belongs",
			src:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    name: web\n    image: nginx\n",
			want: []string{`/spec/containers: containers must be a list, got a mapping`},
		},
		{
			name: "list items are named by list and index",
			src:  pod("args: [\"--a\", 2]"),
			want: []string{`/spec/containers/0/args/1: args[1] must be a string, got integer 2 (quote it: YAML reads it as a number)`},
		},
		{
			name: "a long list of allowed values is not spelled out",
			src:  pod("lifecycle:\n  stopSignal: SIGTREM"),
			want: []string{`/spec/containers/0/lifecycle/stopSignal: stopSignal must be one of 65 known values, got "SIGTREM" (did you mean "SIGTERM"?)`},
		},
		{
			name: "a bad timestamp",
			src:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: yesterday\nspec:\n  containers:\n  - name: a\n    image: b\n",
			want: []string{`/metadata/creationTimestamp: creationTimestamp must be a date and time such as 2024-05-01T12:00:00Z, got string "yesterday"`},
		},
		{
			name: "what kubectl create --dry-run writes is valid",
			src: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\n" +
				"spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n" +
				"      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n" +
				"        name: nginx\n        resources: {}\nstatus: {}\n",
		},
		{
			name: "a null required field is missing",
			src:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n",
			want: []string{`/spec: missing required field "containers" in spec`},
		},
		{
			name: "what kubectl get writes is valid, status and managedFields included",
			src: `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2026-01-02T03:04:05Z"
  generateName: web-7d4b9c-
  labels:
    app: web
    pod-template-hash: 7d4b9c
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:generateName: {}
        f:labels:
          .: {}
          f:app: {}
      f:spec:
        f:containers:
          k:{"name":"web"}:
            .: {}
            f:image: {}
    manager: kube-controller-manager
    operation: Update
    time: "2026-01-02T03:04:05Z"
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:status:
        f:phase: {}
    manager: kubelet
    operation: Update
    subresource: status
    time: "2026-01-02T03:04:09Z"
  name: web-7d4b9c-x2k4p
  namespace: default
  ownerReferences:
  - apiVersion: apps/v1
    blockOwnerDeletion: true
    controller: true
    kind: ReplicaSet
    name: web-7d4b9c
    uid: 0b7a8f7e-3c51-4c7e-9d43-0a4c1f0f2d11
  resourceVersion: "123456"
  uid: 5c1e3f1a-8e55-4c0f-a1d2-7c3b2f1e9a00
spec:
  containers:
  - image: nginx:1.27
    imagePullPolicy: IfNotPresent
    name: web
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: node-1
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2026-01-02T03:04:09Z"
    status: "True"
    type: Ready
  containerStatuses:
  - containerID: containerd://abc
    image: docker.io/library/nginx:1.27
    name: web
    ready: true
    restartCount: 0
    started: true
    state:
      running:
        startedAt: "2026-01-02T03:04:08Z"
    someFieldFromANewerCluster: 1
  phase: Running
  podIP: 10.0.0.7
  qosClass: BestEffort
`,
		},
		{
			name: "an apiVersion the kind is not served at",
			src:  "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers: []\n",
			want: []string{`/apiVersion: Kubernetes 1.37 serves Deployment as apps/v1, not "extensions/v1beta1"`},
		},
		{
			name: "an older version of the same group",
			src:  "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers: []\n",
			want: []string{`/apiVersion: Kubernetes 1.37 serves Deployment as apps/v1, not "apps/v1beta1"`},
		},
		{
			name: "a Kubernetes kind in the core group by mistake",
			src:  "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\n",
			want: []string{`/apiVersion: Kubernetes 1.37 serves Deployment as apps/v1, not "v1"`},
		},
		{
			name:        "a custom resource named like a Kubernetes kind is another kind",
			src:         "apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n    spec:\n      containers: []\n",
			wantSkipped: true,
		},
		{
			name:        "a Knative Service is not a Service",
			src:         "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  template:\n    spec:\n      containers: []\n",
			wantSkipped: true,
		},
		{
			name:        "a custom resource that carries a pod is skipped",
			src:         "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  template:\n    spec:\n      containers: []\n",
			wantSkipped: true,
		},
		{
			name:   "with strict kinds a custom resource of a known name is an error",
			src:    "apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata:\n  name: s\n",
			strict: true,
			want:   []string{`/kind: no schema for kind "StatefulSet" (apps.kruise.io/v1beta1): podlint validates Kubernetes' StatefulSet (apps/v1), not a custom resource of that name`},
		},
		{
			name:        "a kind without a schema is skipped",
			src:         "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n",
			wantSkipped: true,
		},
		{
			name:   "with strict kinds it is an error",
			src:    "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n",
			strict: true,
			want:   []string{`/kind: no schema for kind "Service" (v1): podlint validates CronJob, DaemonSet, Deployment, Job, Pod, PodTemplate, ReplicaSet, ReplicationController, StatefulSet`},
		},
		{
			name:        "a strategic merge patch is skipped",
			src:         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: loadgenerator\n$patch: delete\n",
			wantSkipped: true,
		},
		{
			name: "workload templates are validated, errors named inside them",
			src: "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"*/5 * * * *\"\n  concurrencyPolicy: forbid\n" +
				"  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n" +
				"          - name: job\n            image: busybox\n            volumeMounts:\n            - name: data\n              mountpath: /data\n",
			want: []string{
				`/spec/concurrencyPolicy: concurrencyPolicy must be one of Allow, Forbid, Replace, got "forbid" (did you mean "Forbid"?)`,
				`/spec/jobTemplate/spec/template/spec/containers/0/volumeMounts/0: missing required field "mountPath" in volume mount "data" of container "job"`,
				`/spec/jobTemplate/spec/template/spec/containers/0/volumeMounts/0/mountpath (key): unknown field "mountpath" in volume mount "data" of container "job" (did you mean "mountPath"?)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := New(Options{StrictKinds: tt.strict})
			vs, skipped, err := v.Validate(load(t, tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if skipped != tt.wantSkipped {
				t.Errorf("skipped = %v, want %v", skipped, tt.wantSkipped)
			}
			if got := render(vs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestRealisticPod checks the benchmark's pod, so that the benchmark measures a valid object.
func TestRealisticPod(t *testing.T) {
	vs, skipped, err := New(Options{}).Validate(loadTestDoc(t, "pod.yaml"))
	if err != nil || skipped || len(vs) > 0 {
		t.Fatalf("err %v, skipped %v, violations %v", err, skipped, render(vs))
	}
}

// TestKinds checks that the schema covers exactly the kinds that carry a pod, and that each compiles.
func TestKinds(t *testing.T) {
	v := New(Options{})
	want := manifest.KubernetesPodKinds()
	sort.Strings(want)
	if got := v.Kinds(); !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds = %v, want %v", got, want)
	}
	cat, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range want {
		if _, err := compile(cat, k); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
}

// TestConcurrent validates objects of several kinds from many goroutines at once; each kind is
// compiled by whichever goroutine comes first, and every goroutine must see the same result.
func TestConcurrent(t *testing.T) {
	docs := []*manifest.Document{
		load(t, pod("ports:\n- containerPort: \"80\"")),
		load(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: b\n"),
		load(t, "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        imag: b\n"),
	}
	v := New(Options{})
	want := make([][]string, len(docs))
	ref := New(Options{})
	for i, d := range docs {
		vs, _, err := ref.Validate(d)
		if err != nil || len(vs) == 0 {
			t.Fatalf("doc %d: err %v, violations %v", i, err, vs)
		}
		want[i] = render(vs)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range docs {
				d := docs[(i+g)%len(docs)]
				vs, _, err := v.Validate(d)
				if got := render(vs); err != nil || !reflect.DeepEqual(got, want[(i+g)%len(docs)]) {
					errs <- fmt.Sprintf("goroutine %d: %v %v", g, err, got)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestAlternatives checks that a failed anyOf/oneOf gives one message, not one per alternative.
// The embedded schema has none (int-or-string is a list of types), so a small schema stands in.
func TestAlternatives(t *testing.T) {
	const schemaJSON = `{"kinds": {"Thing": {"apiVersion": "v1", "definition": "Thing"}},
"definitions": {
"Thing": {"type": "object", "additionalProperties": false, "properties": {
  "apiVersion": {"type": "string"}, "kind": {"type": "string"},
  "port": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
  "size": {"anyOf": [{"$ref": "#/definitions/Num"}, {"type": "string", "pattern": "^[0-9]+[a-z]$"}]},
  "obj": {"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": false}, {"type": "string"}]}
}},
"Num": {"type": "number"}}}`
	cat, err := parseCatalog([]byte(schemaJSON), "v1.37.0")
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(cat, nil, Options{})
	doc := load(t, "apiVersion: v1\nkind: Thing\nport: true\nsize: [1]\nobj:\n  b: 1\n")
	vs, _, err := v.Validate(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`/obj: obj does not match any of its allowed forms, got a mapping`,
		`/port: port must be an integer or a string, got boolean true`,
		`/size: size must be a number or a string, got a list`,
	}
	if got := render(vs); !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestToJSON(t *testing.T) {
	in := map[string]any{
		"a": int64(8080), "b": 0.5, "c": nil, "d": "x", "e": true,
		"f": []any{int64(1), "y", map[string]any{"g": nil, "h": "z"}},
		"s": map[string]any{"only": "strings"},
	}
	before, _ := json.Marshal(in)
	got := toJSON(in)
	want := map[string]any{
		"a": json.Number("8080"), "b": json.Number("0.5"), "d": "x", "e": true,
		"f": []any{json.Number("1"), "y", map[string]any{"h": "z"}},
		"s": map[string]any{"only": "strings"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("toJSON = %#v, want %#v", got, want)
	}
	if after, _ := json.Marshal(in); string(after) != string(before) {
		t.Errorf("toJSON changed its input: %s, was %s", after, before)
	}
	s := in["s"].(map[string]any)
	if got.(map[string]any)["s"].(map[string]any)["only"] = "changed"; s["only"] != "changed" {
		t.Errorf("a map without numbers or nulls was copied, not shared")
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"image", "imagePullPolicy", "name", "ports", "containers", "tty", "env"}
	tests := []struct{ in, want string }{
		{"imagePullPolice", "imagePullPolicy"},
		{"imge", "image"},
		{"Image", "image"},
		{"contianers", "containers"},
		{"nmae", "name"},
		{"port", "ports"},
		{"flavour", ""},
		{"ab", ""},
		{"", ""},
		{"image", ""}, // not a typo of itself
	}
	for _, tt := range tests {
		if got := suggest(tt.in, names); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"contianers", "containers", 1}, {"abc", "acb", 1}, {"imagepullpolice", "imagepullpolicy", 1},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseCatalogErrors(t *testing.T) {
	tests := map[string]string{
		"not JSON":         `{`,
		"dangling ref":     `{"kinds": {}, "definitions": {"A": {"$ref": "#/definitions/B"}}}`,
		"kind without def": `{"kinds": {"Pod": {"apiVersion": "v1", "definition": "X"}}, "definitions": {}}`,
	}
	for name, src := range tests {
		if _, err := parseCatalog([]byte(src), "v1.0.0"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
