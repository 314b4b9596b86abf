package srcmap

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/render"
)

// The overlay of the main test: a base file with a Service and a Deployment, two strategic merge
// patch files (one adds a container, one changes the second container's image), a JSON 6902 patch
// file (replaces the first container's image, appends a port) and two inline patches.

const appYAML = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.25
        ports:
        - containerPort: 80
        securityContext:
          runAsNonRoot: true
      - name: helper
        image: busybox:1.36
        args: ["sleep", "infinity"]
`

const sidecarYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: sidecar
        image: envoy:1.30
        ports:
        - containerPort: 9901
`

const helperImageYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: helper
        image: busybox:1.37
`

const appJSONPatch = `- op: replace
  path: /spec/template/spec/containers/0/image
  value: nginx:1.27
- op: add
  path: /spec/template/spec/containers/0/ports/-
  value:
    containerPort: 8080
    name: admin
`

const kustomizationYAML = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: prod-
namespace: prod
commonLabels:
  team: shop
resources:
- app.yaml
patches:
- path: sidecar.yaml
- path: helper-image.yaml
- path: app-json.yaml
  target:
    kind: Deployment
    name: web
- target:
    kind: Deployment
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          containers:
          - name: app
            resources:
              limits:
                memory: 256Mi
            securityContext:
              $patch: delete
`

// The inline patches' text as kustomize reads it: the block scalars without their indentation.
const inlineReplicas = "- op: replace\n  path: /spec/replicas\n  value: 3"

const inlineResources = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        resources:
          limits:
            memory: 256Mi
        securityContext:
          $patch: delete`

// builtYAML is what kustomize builds: keys sorted, the prefix, namespace and common label added, the
// sidecar appended, the patches applied in order.
const builtYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
    team: shop
  name: prod-web
  namespace: prod
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
      team: shop
  template:
    metadata:
      labels:
        app: web
        team: shop
    spec:
      containers:
      - image: nginx:1.27
        name: app
        ports:
        - containerPort: 80
        - containerPort: 8080
          name: admin
        resources:
          limits:
            memory: 256Mi
      - args:
        - sleep
        - infinity
        image: busybox:1.37
        name: helper
      - image: envoy:1.30
        name: sidecar
        ports:
        - containerPort: 9901
`

// files serves the test's files the way a caller's cache would.
type files map[string]string

func (fs files) open(name string) *File {
	text, ok := fs[name]
	if !ok {
		return nil
	}
	return LoadFile(name, []byte(text))
}

func built(t testing.TB, text string) map[string]any {
	t.Helper()
	f := manifest.Load("built.yaml", []byte(text))
	if len(f.Documents) != 1 {
		t.Fatalf("built resource does not load: %v", f.Problems)
	}
	return f.Documents[0].Value
}

// where renders a location as file:line:column, with "~" for an inexact one.
func where(l Location) string {
	s := fmt.Sprintf("%s:%d:%d", l.File, l.Pos.Line, l.Pos.Column)
	if !l.Exact {
		s += "~"
	}
	return s
}

func overlay(t testing.TB) *Kustomized {
	t.Helper()
	fs := files{"base/app.yaml": appYAML, "overlay/sidecar.yaml": sidecarYAML,
		"overlay/helper-image.yaml": helperImageYAML, "overlay/app-json.yaml": appJSONPatch,
		"overlay/kustomization.yaml": kustomizationYAML}
	out := render.Output{Text: builtYAML, Origin: "base/app.yaml", OriginIndex: 1, Namespace: "prod",
		Patches: []render.Patch{
			{File: "overlay/sidecar.yaml", Text: sidecarYAML},
			{File: "overlay/helper-image.yaml", Text: helperImageYAML},
			{File: "overlay/app-json.yaml", Text: appJSONPatch, JSON6902: true},
			{File: "overlay/kustomization.yaml", Line: 19, Text: inlineReplicas, JSON6902: true},
			{File: "overlay/kustomization.yaml", Line: 23, Text: inlineResources},
		}}
	return NewKustomized(out, built(t, builtYAML), fs.open)
}

func TestLocateOverlay(t *testing.T) {
	const (
		app    = "base/app.yaml"
		side   = "overlay/sidecar.yaml"
		helper = "overlay/helper-image.yaml"
		json   = "overlay/app-json.yaml"
		kust   = "overlay/kustomization.yaml"
		c      = "/spec/template/spec/containers/"
	)
	tests := []struct {
		path  string
		atKey bool
		want  string
	}{
		// the JSON 6902 patch file: the replaced image, the appended port and its fields
		{c + "0/image", false, json + ":3:10"},
		{c + "0/image", true, json + ":2:9"},
		{c + "0/ports/1", false, json + ":6:3"},
		{c + "0/ports/1/containerPort", false, json + ":7:20"},
		{c + "0/ports/1/name", true, json + ":8:5"},
		// the base: fields no patch touched, found by merge key and by index
		{c + "0/ports/0/containerPort", false, app + ":29:26"},
		{c + "0/name", false, app + ":26:15"},
		{c + "1/args", false, app + ":34:15"},
		{c + "1/args/1", false, app + ":34:25"},
		{"/spec/template/metadata/labels/app", false, app + ":23:14"},
		// the strategic merge patch that changes the second container's image
		{c + "1/image", false, helper + ":10:16"},
		{c + "1/image", true, helper + ":10:9"},
		// the strategic merge patch that adds a container
		{c + "2", false, side + ":9:9"},
		{c + "2/image", false, side + ":10:16"},
		{c + "2/name", false, side + ":9:15"},
		{c + "2/ports/0/containerPort", false, side + ":12:26"},
		// the inline patches in the kustomization file
		{"/spec/replicas", false, kust + ":21:14"},
		{c + "0/resources/limits/memory", false, kust + ":34:25"},
		{c + "0/resources", true, kust + ":32:13"},
		// a mapping the base defines and patches merge into is the base's
		{c + "0", false, app + ":26:9~"},
		{c + "1", false, app + ":32:9~"},
		{"/spec/template/spec/containers", false, app + ":25:7~"},
		// missing fields: the patch that deleted it, or the nearest parent
		{c + "0/securityContext/runAsNonRoot", false, kust + ":35:13~"},
		{c + "1/securityContext", false, app + ":32:9~"},
		{c + "2/resources/limits/memory", false, side + ":9:9~"},
		{c + "0/resources/limits/cpu", false, kust + ":33:15~"},
		// what kustomize itself set: nearest parent in the base, or the base's own value
		{"/metadata/namespace", false, app + ":11:1~"},
		{"/metadata/labels/team", false, app + ":13:3~"},
		{"/spec/selector/matchLabels/team", false, app + ":18:5~"},
		{"/metadata/name", false, app + ":12:9~"},
		{"/kind", false, app + ":10:7"},
	}
	k := overlay(t)
	for _, tt := range tests {
		got := where(k.Locate(manifest.ParsePointer(tt.path), tt.atKey))
		if got != tt.want {
			t.Errorf("Locate(%s, atKey=%v) = %s, want %s", tt.path, tt.atKey, got, tt.want)
		}
	}
}

// check runs Locate on each path (a JSON pointer, "!" in front asking for the key) and compares the
// locations.
func checkLocations(t *testing.T, k *Kustomized, want map[string]string) {
	t.Helper()
	for path, w := range want {
		atKey := strings.HasPrefix(path, "!")
		got := where(k.Locate(manifest.ParsePointer(strings.TrimPrefix(path, "!")), atKey))
		if got != w {
			t.Errorf("Locate(%s) = %s, want %s", path, got, w)
		}
	}
}

// TestLocateJSONOperations covers a container inserted at index 0 (the base's items move), values an
// images transformer changed after the patches, a removed field, a moved field, and a list of
// objects without a merge key that a strategic merge patch replaces.
func TestLocateJSONOperations(t *testing.T) {
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: api
  annotations:
    tier: backend
spec:
  containers:
  - name: api
    image: api:1.0
    securityContext:
      privileged: false
  tolerations:
  - key: a
    operator: Exists
`
	const ops = `- op: add
  path: /spec/containers/0
  value:
    name: proxy
    image: proxy:2
- op: remove
  path: /spec/containers/1/securityContext
- op: move
  from: /metadata/annotations/tier
  path: /metadata/labels/tier
`
	const tolerations = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  tolerations:
  - key: b
    operator: Exists
`
	const out = `apiVersion: v1
kind: Pod
metadata:
  annotations: {}
  labels:
    tier: backend
  name: api
spec:
  containers:
  - image: proxy:3
    name: proxy
  - image: api:1.1
    name: api
  tolerations:
  - key: b
    operator: Exists
`
	fs := files{"pod.yaml": pod, "ops.yaml": ops, "tolerations.yaml": tolerations}
	k := NewKustomized(render.Output{Origin: "pod.yaml", OriginIndex: -1, Patches: []render.Patch{
		{File: "ops.yaml", Text: ops, JSON6902: true}, {File: "tolerations.yaml", Text: tolerations}}},
		built(t, out), fs.open)
	checkLocations(t, k, map[string]string{
		"/spec/containers/0":                  "ops.yaml:3:3~",
		"/spec/containers/0/name":             "ops.yaml:4:11",
		"/spec/containers/0/image":            "ops.yaml:5:12~",
		"/spec/containers/1/image":            "pod.yaml:10:12~",
		"/spec/containers/1/name":             "pod.yaml:9:11",
		"/spec/containers/1/securityContext":  "ops.yaml:7:9~",
		"/spec/containers/1/resources/limits": "pod.yaml:9:5~",
		"/spec/tolerations":                   "tolerations.yaml:6:3",
		"/spec/tolerations/0/key":             "tolerations.yaml:7:10",
		"/metadata/labels/tier":               "ops.yaml:10:9~",
		"/metadata/name":                      "pod.yaml:4:9",
	})
}

// TestLocateReplaceAndSeveralDocuments covers $patch: replace and a patch file whose documents patch
// different resources.
func TestLocateReplaceAndSeveralDocuments(t *testing.T) {
	const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
        resources:
          limits:
            cpu: "2"
            memory: 1Gi
`
	const patches = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
spec:
  replicas: 9
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        resources:
          $patch: replace
          limits:
            memory: 2Gi
`
	const out = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - image: app:1
        name: app
        resources:
          limits:
            memory: 2Gi
`
	fs := files{"deploy.yaml": deploy, "patches.yaml": patches}
	k := NewKustomized(render.Output{Origin: "deploy.yaml", Patches: []render.Patch{{File: "patches.yaml", Text: patches}}},
		built(t, out), fs.open)
	const c = "/spec/template/spec/containers/0"
	checkLocations(t, k, map[string]string{
		c + "/resources":               "patches.yaml:17:9",
		c + "/resources/limits/memory": "patches.yaml:20:21",
		c + "/resources/limits/cpu":    "patches.yaml:19:11~",
		c + "/image":                   "deploy.yaml:10:16",
		"/spec/replicas":               "deploy.yaml:5:1~",
	})
}

// TestLocateInlineLayouts covers an inline patch written as a one-line quoted string, an inline patch
// whose start line the renderer gave as the line of its key, a strategic merge null that deletes a
// field, and an inline patch without the kustomization's text (columns then stay the text's).
func TestLocateInlineLayouts(t *testing.T) {
	const kust = `patches:
- target:
    kind: Pod
  patch: '[{"op": "replace", "path": "/spec/containers/0/image", "value": "x:2"}]'
- patch: |
    kind: Pod
    metadata:
      name: p
    spec:
      containers:
      - name: c
        securityContext: null
`
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: x:1
    securityContext:
      privileged: true
`
	const out = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - image: x:2
    name: c
`
	jsonText := `[{"op": "replace", "path": "/spec/containers/0/image", "value": "x:2"}]`
	smpText := "kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    securityContext: null\n"
	patches := []render.Patch{
		{File: "kustomization.yaml", Line: 4, Text: jsonText, JSON6902: true},
		{File: "kustomization.yaml", Line: 5, Text: smpText},
	}
	fs := files{"pod.yaml": pod, "kustomization.yaml": kust}
	k := NewKustomized(render.Output{Origin: "pod.yaml", Patches: patches}, built(t, out), fs.open)
	checkLocations(t, k, map[string]string{
		"/spec/containers/0/image":                      "kustomization.yaml:4:75",
		"/spec/containers/0/securityContext":            "kustomization.yaml:12:9~",
		"/spec/containers/0/securityContext/privileged": "kustomization.yaml:12:9~",
		"/spec/containers/0/name":                       "pod.yaml:7:11",
	})

	// Without the kustomization's text the lines still map; the columns are the text's own.
	delete(fs, "kustomization.yaml")
	k = NewKustomized(render.Output{Origin: "pod.yaml", Patches: patches}, built(t, out), fs.open)
	checkLocations(t, k, map[string]string{"/spec/containers/0/image": "kustomization.yaml:4:65"})
}

// TestLocateListOrigin finds a resource among the items of a List by its name, which the
// kustomization prefixed.
func TestLocateListOrigin(t *testing.T) {
	const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: a
  spec:
    containers:
    - name: c
      image: a:1
- apiVersion: v1
  kind: Pod
  metadata:
    name: b
  spec:
    containers:
    - name: c
      image: b:1
`
	const out = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dev-b\nspec:\n  containers:\n  - image: b:1\n    name: c\n"
	for _, index := range []int{-1, 0, 7} {
		k := NewKustomized(render.Output{Origin: "list.yaml", OriginIndex: index}, built(t, out), files{"list.yaml": list}.open)
		checkLocations(t, k, map[string]string{
			"/spec/containers/0/image": "list.yaml:19:14",
			"/metadata/name":           "list.yaml:15:11~",
			"/metadata/labels":         "list.yaml:14:3~",
		})
	}
}

// TestLocateGenerated points a generated resource's findings at its generator entry, unless a patch
// set the field.
func TestLocateGenerated(t *testing.T) {
	const kust = `namePrefix: prod-
configMapGenerator:
- name: other
  literals: [a=b]
- name: settings
  literals:
  - LOG_LEVEL=debug
secretGenerator:
- name: creds
`
	const patch = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n"
	fs := files{"kustomization.yaml": kust, "level.yaml": patch}
	cm := built(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prod-settings-7fh2k9c4m\ndata:\n  LOG_LEVEL: info\n  MODE: a\n")
	k := NewKustomized(render.Output{Generator: "kustomization.yaml",
		Patches: []render.Patch{{File: "level.yaml", Text: patch}}}, cm, fs.open)
	checkLocations(t, k, map[string]string{
		"/data/LOG_LEVEL": "level.yaml:6:14",
		"/data/MODE":      "kustomization.yaml:5:9~",
		"/metadata/name":  "kustomization.yaml:5:9~",
	})
	secret := built(t, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod-creds-xyz\n")
	k = NewKustomized(render.Output{Generator: "kustomization.yaml"}, secret, fs.open)
	checkLocations(t, k, map[string]string{"/data": "kustomization.yaml:9:9~"})
	other := built(t, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n")
	k = NewKustomized(render.Output{Generator: "kustomization.yaml"}, other, fs.open)
	checkLocations(t, k, map[string]string{"/metadata": "kustomization.yaml:1:1~"})
	// Nothing known: an empty file name, for the caller's own fallback.
	k = NewKustomized(render.Output{Origin: "missing.yaml"}, other, fs.open)
	checkLocations(t, k, map[string]string{"/metadata/name": ":0:0~"})
}

// TestLocatePortsByProtocol matches ports by number and protocol, and a patched list item by merge
// key wherever the patch wrote it.
func TestLocatePortsByProtocol(t *testing.T) {
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: dns
spec:
  containers:
  - name: dns
    image: dns:1
    ports:
    - containerPort: 53
      protocol: UDP
    - containerPort: 53
      protocol: TCP
`
	const patch = `apiVersion: v1
kind: Pod
metadata:
  name: dns
spec:
  containers:
  - name: dns
    ports:
    - containerPort: 53
      protocol: TCP
      name: dns-tcp
`
	const out = `apiVersion: v1
kind: Pod
metadata:
  name: dns
spec:
  containers:
  - image: dns:1
    name: dns
    ports:
    - containerPort: 53
      protocol: UDP
    - containerPort: 53
      name: dns-tcp
      protocol: TCP
`
	fs := files{"pod.yaml": pod, "patch.yaml": patch}
	k := NewKustomized(render.Output{Origin: "pod.yaml", Patches: []render.Patch{{File: "patch.yaml", Text: patch}}},
		built(t, out), fs.open)
	checkLocations(t, k, map[string]string{
		"/spec/containers/0/ports/1/name":          "patch.yaml:11:13",
		"/spec/containers/0/ports/1/protocol":      "pod.yaml:13:17",
		"/spec/containers/0/ports/0/protocol":      "pod.yaml:11:17",
		"/spec/containers/0/ports/1/containerPort": "pod.yaml:12:22",
	})
}

// TestLocateNeverPanics feeds garbage patches, origins and paths.
func TestLocateNeverPanics(t *testing.T) {
	pieces := []string{"- ", "op: ", "add", "replace", "remove", "move", "path: ", "/spec/containers/0", "/-",
		"/spec/template/spec/containers/1/image", "value: ", "{", "}", "[", "]", "null", "$patch: ", "delete",
		"containers:", "name: app", "  ", "\n", "---\n", "&a ", "*a", "<<: *a", "\t", "'", "\"", "~1", "0",
		"999999999999999999999", "-1", "kind: Deployment", "metadata:", "items:", "kind: List", "ports:",
		"containerPort: 80", "\x00", "\xff"}
	rnd := rand.New(rand.NewSource(1))
	garbage := func() string {
		var b strings.Builder
		for range rnd.Intn(40) {
			b.WriteString(pieces[rnd.Intn(len(pieces))])
		}
		return b.String()
	}
	segs := []string{"spec", "template", "containers", "0", "1", "2", "-", "", "image", "ports", "metadata",
		"name", "99999999999", "~", "/", "items"}
	builtValue := built(t, builtYAML)
	for i := range 3000 {
		fs := files{"o.yaml": garbage(), "p.yaml": garbage(), "k.yaml": garbage()}
		if i%3 == 0 {
			fs["o.yaml"] = appYAML
		}
		var patches []render.Patch
		for j := range rnd.Intn(4) {
			p := render.Patch{File: "p.yaml", Text: fs["p.yaml"], JSON6902: j%2 == 0}
			if j == 1 {
				p = render.Patch{File: "k.yaml", Line: rnd.Intn(5) - 1, Text: garbage()}
			}
			patches = append(patches, p)
		}
		var b map[string]any = builtValue
		if i%2 == 0 {
			f := manifest.ParseStream("b", []byte(garbage()))
			if len(f.Trees) > 0 {
				b, _ = f.Trees[0].Value.(map[string]any)
			}
		}
		k := NewKustomized(render.Output{Origin: "o.yaml", OriginIndex: rnd.Intn(3) - 1, Generator: "k.yaml",
			Patches: patches}, b, fs.open)
		for range 5 {
			var path manifest.Path
			for range rnd.Intn(8) {
				path = append(path, segs[rnd.Intn(len(segs))])
			}
			k.Locate(path, rnd.Intn(2) == 0)
		}
	}
	var nilK *Kustomized
	nilK.Locate(manifest.Path{"spec"}, false)
	(&Kustomized{}).Locate(nil, true)
	(&Kustomized{Built: map[string]any{}, Patches: []*PatchSource{nil}}).Locate(manifest.Path{"a"}, false)
	if NewOrigin(nil, 0, "Pod", "x") != nil {
		t.Error("NewOrigin(nil) is not nil")
	}
}

// FuzzLocate checks that no patch text makes Locate panic.
func FuzzLocate(f *testing.F) {
	f.Add(appJSONPatch, "/spec/template/spec/containers/0/ports/1/containerPort")
	f.Add(sidecarYAML, "/spec/template/spec/containers/2/image")
	f.Add(inlineResources, "/spec/template/spec/containers/0/securityContext/runAsNonRoot")
	builtValue := manifest.Load("built.yaml", []byte(builtYAML)).Documents[0].Value
	origin := NewOrigin(LoadFile("app.yaml", []byte(appYAML)), 1, "Deployment", "prod-web")
	kust := LoadFile("kustomization.yaml", []byte(kustomizationYAML))
	f.Fuzz(func(t *testing.T, text, pointer string) {
		patches := []*PatchSource{
			NewPatch(render.Patch{File: "p.yaml", Text: text}, nil),
			NewPatch(render.Patch{File: "kustomization.yaml", Line: 19, Text: text}, kust),
		}
		k := &Kustomized{Built: builtValue, Origin: origin, Patches: patches}
		path := manifest.ParsePointer(pointer)
		k.Locate(path, false)
		k.Locate(path, true)
	})
}

func BenchmarkLocate(b *testing.B) {
	k := overlay(b)
	paths := []manifest.Path{
		manifest.ParsePointer("/spec/template/spec/containers/0/ports/1/containerPort"),
		manifest.ParsePointer("/spec/template/spec/containers/1/securityContext/runAsNonRoot"),
		manifest.ParsePointer("/metadata/labels/team"),
		manifest.ParsePointer("/spec/template/spec/containers/2/image"),
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			k.Locate(p, false)
		}
	}
}
