package srcmap

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// out is one rendered line and the template line it must map to.
type out struct {
	text    string
	line    int
	literal bool
}

// check renders the expectation's lines into the rendered text, compares it with what the engine
// writes, maps it, and checks every line.
func check(t *testing.T, tmpl string, data map[string]any, want []out) *TemplateMap {
	t.Helper()
	var b strings.Builder
	for _, w := range want {
		b.WriteString(w.text + "\n")
	}
	rendered := b.String()
	if data != nil {
		if got := execute(t, helpers, tmpl, data); got != rendered {
			t.Fatalf("the hand-written rendering differs from the engine's:\n--- hand\n%s--- engine\n%s", rendered, got)
		}
	}
	m := MapTemplate(tmpl, rendered)
	if m.Lines() != len(want) {
		t.Fatalf("Lines() = %d, want %d", m.Lines(), len(want))
	}
	for i, w := range want {
		line, lit := m.Line(i + 1)
		if w.line == 0 {
			continue // checked by the caller
		}
		if line != w.line || lit != w.literal {
			t.Errorf("rendered line %d %q: got template line %d literal %v, want %d literal %v",
				i+1, w.text, line, lit, w.line, w.literal)
		}
	}
	return m
}

// numbered strips the "NN|" margin that the test templates carry for readability.
func numbered(s string) string {
	lines := strings.Split(strings.TrimPrefix(s, "\n"), "\n")
	for i, l := range lines {
		if k := strings.Index(l, "|"); k >= 0 {
			lines[i] = l[k+1:]
		}
	}
	return strings.Join(lines, "\n")
}

var deployment = numbered(`
 1|apiVersion: apps/v1
 2|kind: Deployment
 3|metadata:
 4|  name: {{ include "web.fullname" . }}
 5|  labels:
 6|    {{- include "web.labels" . | nindent 4 }}
 7|  {{- with .Values.annotations }}
 8|  annotations:
 9|    {{- toYaml . | nindent 4 }}
10|  {{- end }}
11|spec:
12|  {{- if not .Values.autoscaling.enabled }}
13|  replicas: {{ .Values.replicaCount }}
14|  {{- end }}
15|  selector:
16|    matchLabels:
17|      {{- include "web.selectorLabels" . | nindent 6 }}
18|  template:
19|    metadata:
20|      labels:
21|        {{- include "web.selectorLabels" . | nindent 8 }}
22|    spec:
23|      {{- /* every pod gets a service account */}}
24|      serviceAccountName: {{ .Values.serviceAccount.name | default "default" }}
25|      containers:
26|        # podlint:ignore no-latest-tag
27|        - name: {{ .Chart.Name }}
28|          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
29|          imagePullPolicy: {{ .Values.image.pullPolicy }}
30|          {{- if .Values.command }}
31|          command: {{ toJson .Values.command }}
32|          {{- else }}
33|          command: ["/bin/web", "--serve"]
34|          {{- end }}
35|          ports:
36|            {{- range .Values.ports }}
37|            - name: {{ .name }}
38|              containerPort: {{ .port }}
39|              protocol: {{ .protocol | default "TCP" }}
40|            {{- end }}
41|          env:
42|            - name: MODE
43|              value: production
44|          {{- range $key, $value := .Values.env }}
45|            - name: {{ $key }}
46|              value: {{ $value | quote }}
47|          {{- end }}
48|          resources:
49|            {{- toYaml .Values.resources | nindent 12 }}
50|      {{- with .Values.nodeSelector }}
51|      nodeSelector:
52|        {{- toYaml . | nindent 8 }}
53|      {{- end }}
`)

var deploymentOut = []out{
	{"apiVersion: apps/v1", 1, true},
	{"kind: Deployment", 2, true},
	{"metadata:", 3, true},
	{"  name: rel-web", 4, false},
	{"  labels:", 5, true},
	{"    helm.sh/chart: web-0.1.0", 6, false},
	{"    app.kubernetes.io/name: web", 6, false},
	{"    app.kubernetes.io/instance: rel", 6, false},
	{"    app.kubernetes.io/managed-by: Helm", 6, false},
	{"spec:", 11, true},
	{"  replicas: 3", 13, false},
	{"  selector:", 15, true},
	{"    matchLabels:", 16, true},
	{"      app.kubernetes.io/name: web", 17, false},
	{"      app.kubernetes.io/instance: rel", 17, false},
	{"  template:", 18, true},
	{"    metadata:", 19, true},
	{"      labels:", 20, true},
	{"        app.kubernetes.io/name: web", 21, false},
	{"        app.kubernetes.io/instance: rel", 21, false},
	{"    spec:", 22, true},
	{"      serviceAccountName: web-sa", 24, false},
	{"      containers:", 25, true},
	{"        # podlint:ignore no-latest-tag", 26, true},
	{"        - name: web", 27, false},
	{`          image: "nginx:1.25"`, 28, false},
	{"          imagePullPolicy: IfNotPresent", 29, false},
	{`          command: ["/bin/web", "--serve"]`, 33, true},
	{"          ports:", 35, true},
	{"            - name: http", 37, false},
	{"              containerPort: 8080", 38, false},
	{"              protocol: TCP", 39, false},
	{"            - name: metrics", 37, false},
	{"              containerPort: 9090", 38, false},
	{"              protocol: UDP", 39, false},
	{"          env:", 41, true},
	{"            - name: MODE", 42, true},
	{"              value: production", 43, true},
	{"            - name: LOG_LEVEL", 45, false},
	{`              value: "debug"`, 46, false},
	{"            - name: TZ", 45, false},
	{`              value: "UTC"`, 46, false},
	{"          resources:", 48, true},
	{"            limits:", 49, false},
	{"              cpu: 500m", 49, false},
	{"              memory: 128Mi", 49, false},
	{"            requests:", 49, false},
	{"              cpu: 100m", 49, false},
	{"      nodeSelector:", 51, true},
	{"        disktype: ssd", 52, false},
}

func TestDeployment(t *testing.T) {
	check(t, deployment, chartValues(), deploymentOut)
}

// The same template with other values: the with block taken, the if not taken, the else branch left
// for the if branch, a single port, no env.
func TestDeploymentOtherValues(t *testing.T) {
	data := chartValues()
	v := data["Values"].(map[string]any)
	v["annotations"] = map[string]any{"team": "web", "prometheus.io/scrape": "true"}
	v["autoscaling"] = map[string]any{"enabled": true}
	v["command"] = []any{"/bin/web", "--debug"}
	v["ports"] = []any{map[string]any{"name": "http", "port": 80}}
	v["env"] = map[string]any{}
	v["nodeSelector"] = nil
	v["image"] = map[string]any{"repository": "nginx", "tag": "1.27", "pullPolicy": "Always"}
	check(t, deployment, data, []out{
		{"apiVersion: apps/v1", 1, true},
		{"kind: Deployment", 2, true},
		{"metadata:", 3, true},
		{"  name: rel-web", 4, false},
		{"  labels:", 5, true},
		{"    helm.sh/chart: web-0.1.0", 6, false},
		{"    app.kubernetes.io/name: web", 6, false},
		{"    app.kubernetes.io/instance: rel", 6, false},
		{"    app.kubernetes.io/managed-by: Helm", 6, false},
		{"  annotations:", 8, true},
		{"    prometheus.io/scrape: true", 9, false},
		{"    team: web", 9, false},
		{"spec:", 11, true},
		{"  selector:", 15, true},
		{"    matchLabels:", 16, true},
		{"      app.kubernetes.io/name: web", 17, false},
		{"      app.kubernetes.io/instance: rel", 17, false},
		{"  template:", 18, true},
		{"    metadata:", 19, true},
		{"      labels:", 20, true},
		{"        app.kubernetes.io/name: web", 21, false},
		{"        app.kubernetes.io/instance: rel", 21, false},
		{"    spec:", 22, true},
		{"      serviceAccountName: web-sa", 24, false},
		{"      containers:", 25, true},
		{"        # podlint:ignore no-latest-tag", 26, true},
		{"        - name: web", 27, false},
		{`          image: "nginx:1.27"`, 28, false},
		{"          imagePullPolicy: Always", 29, false},
		{`          command: ["/bin/web","--debug"]`, 31, false},
		{"          ports:", 35, true},
		{"            - name: http", 37, false},
		{"              containerPort: 80", 38, false},
		{"              protocol: TCP", 39, false},
		{"          env:", 41, true},
		{"            - name: MODE", 42, true},
		{"              value: production", 43, true},
		{"          resources:", 48, true},
		{"            limits:", 49, false},
		{"              cpu: 500m", 49, false},
		{"              memory: 128Mi", 49, false},
		{"            requests:", 49, false},
		{"              cpu: 100m", 49, false},
	})
}

var services = numbered(`
 1|{{- if .Values.service.enabled }}
 2|{{- $fullName := include "web.fullname" . -}}
 3|apiVersion: v1
 4|kind: Service
 5|metadata:
 6|  name: {{ $fullName }}
 7|  labels:
 8|    {{- include "web.labels" . | nindent 4 }}
 9|spec:
10|  type: {{ .Values.service.type }}
11|  ports:
12|  {{- range .Values.ports }}
13|    - port: {{ .port }}
14|      targetPort: {{ .name }}
15|  {{- end }}
16|  selector:
17|    {{- include "web.selectorLabels" . | nindent 4 }}
18|{{- end }}
19|{{- if .Values.serviceAccount.create }}
20|---
21|# podlint:ignore automount
22|apiVersion: v1
23|kind: ServiceAccount
24|metadata:
25|  name: {{ .Values.serviceAccount.name }}
26|{{- with .Values.serviceAccount.annotations }}
27|  annotations:
28|    {{- toYaml . | nindent 4 }}
29|{{- end }}
30|automountServiceAccountToken: false
31|{{- end }}
`)

// A template of two documents, each in an if, with a range, a variable and comments.
func TestMultiDocument(t *testing.T) {
	check(t, services, chartValues(), []out{
		{"apiVersion: v1", 3, true},
		{"kind: Service", 4, true},
		{"metadata:", 5, true},
		{"  name: rel-web", 6, false},
		{"  labels:", 7, true},
		{"    helm.sh/chart: web-0.1.0", 8, false},
		{"    app.kubernetes.io/name: web", 8, false},
		{"    app.kubernetes.io/instance: rel", 8, false},
		{"    app.kubernetes.io/managed-by: Helm", 8, false},
		{"spec:", 9, true},
		{"  type: ClusterIP", 10, false},
		{"  ports:", 11, true},
		{"    - port: 8080", 13, false},
		{"      targetPort: http", 14, false},
		{"    - port: 9090", 13, false},
		{"      targetPort: metrics", 14, false},
		{"  selector:", 16, true},
		{"    app.kubernetes.io/name: web", 17, false},
		{"    app.kubernetes.io/instance: rel", 17, false},
		{"---", 20, true},
		{"# podlint:ignore automount", 21, true},
		{"apiVersion: v1", 22, true},
		{"kind: ServiceAccount", 23, true},
		{"metadata:", 24, true},
		{"  name: web-sa", 25, false},
		{"  annotations:", 27, true},
		{"    eks.amazonaws.com/role-arn: arn:x", 28, false},
		{"automountServiceAccountToken: false", 30, true},
	})
}

// The first document's if is false: the output starts with the second document.
func TestMultiDocumentFirstOff(t *testing.T) {
	data := chartValues()
	v := data["Values"].(map[string]any)
	v["service"] = map[string]any{"enabled": false}
	v["serviceAccount"] = map[string]any{"create": true, "name": "web-sa"}
	check(t, services, data, []out{
		{"", 19, false},
		{"---", 20, true},
		{"# podlint:ignore automount", 21, true},
		{"apiVersion: v1", 22, true},
		{"kind: ServiceAccount", 23, true},
		{"metadata:", 24, true},
		{"  name: web-sa", 25, false},
		{"automountServiceAccountToken: false", 30, true},
	})
}

var job = numbered(`
 1|apiVersion: batch/v1
 2|kind: Job
 3|metadata:
 4|  name: {{ .Release.Name }}-migrate
 5|spec:
 6|  template:
 7|    spec:
 8|      restartPolicy: Never
 9|      containers:
10|      - name: migrate
11|        image: {{ .Values.image.repository }}
12|{{ if .Values.migrate.args }}
13|        args:
14|{{ toYaml .Values.migrate.args | indent 10 }}
15|{{ end }}
16|        resources:
17|{{ toYaml .Values.resources | indent 10 }}
`)

// An older style without trim markers: control lines leave blank lines, and toYaml | indent starts at
// the first column.
func TestNoTrimMarkers(t *testing.T) {
	check(t, job, chartValues(), []out{
		{"apiVersion: batch/v1", 1, true},
		{"kind: Job", 2, true},
		{"metadata:", 3, true},
		{"  name: rel-migrate", 4, false},
		{"spec:", 5, true},
		{"  template:", 6, true},
		{"    spec:", 7, true},
		{"      restartPolicy: Never", 8, true},
		{"      containers:", 9, true},
		{"      - name: migrate", 10, true},
		{"        image: nginx", 11, false},
		{"", 12, false},
		{"        args:", 13, true},
		{"          - --all", 14, false},
		{"          - --verbose", 14, false},
		{"", 15, false},
		{"        resources:", 16, true},
		{"          limits:", 17, false},
		{"            cpu: 500m", 17, false},
		{"            memory: 128Mi", 17, false},
		{"          requests:", 17, false},
		{"            cpu: 100m", 17, false},
	})
}

func TestNoTrimMarkersConditionFalse(t *testing.T) {
	data := chartValues()
	data["Values"].(map[string]any)["migrate"] = map[string]any{}
	m := check(t, job, data, []out{
		{"apiVersion: batch/v1", 1, true},
		{"kind: Job", 2, true},
		{"metadata:", 3, true},
		{"  name: rel-migrate", 4, false},
		{"spec:", 5, true},
		{"  template:", 6, true},
		{"    spec:", 7, true},
		{"      restartPolicy: Never", 8, true},
		{"      containers:", 9, true},
		{"      - name: migrate", 10, true},
		{"        image: nginx", 11, false},
		{"", 0, false}, // either blank control line: checked below
		{"        resources:", 16, true},
		{"          limits:", 17, false},
		{"            cpu: 500m", 17, false},
		{"            memory: 128Mi", 17, false},
		{"          requests:", 17, false},
		{"            cpu: 100m", 17, false},
	})
	if l, lit := m.Line(12); (l != 12 && l != 15) || lit {
		t.Errorf("the blank line: got %d %v, want 12 or 15", l, lit)
	}
}

// Small templates for the trim markers and inline actions.
func TestTrimAndInline(t *testing.T) {
	cases := []struct {
		name, tmpl string
		want       []out
	}{
		{
			name: "-}} joins the next line",
			tmpl: "metadata:\n  name: {{ .Values.name -}}\n    {{ .Values.suffix }}\n  namespace: ns\n",
			want: []out{{"metadata:", 1, true}, {"  name: webx", 2, false}, {"  namespace: ns", 4, true}},
		},
		{
			name: "inline if and else",
			tmpl: "tier: {{ if .Values.fe }}frontend{{ else }}backend{{ end }}\nkind: Pod\n",
			want: []out{{"tier: backend", 1, false}, {"kind: Pod", 2, true}},
		},
		{
			name: "inline range",
			tmpl: "args: [{{ range .Values.args }}{{ . | quote }}, {{ end }}]\nkind: Pod\n",
			want: []out{{`args: ["a", "b", ]`, 1, false}, {"kind: Pod", 2, true}},
		},
		{
			name: "if around the whole file",
			tmpl: "{{- if .Values.enabled -}}\napiVersion: v1\nkind: ConfigMap\ndata:\n  {{- range $k, $v := .Values.data }}\n  {{ $k }}: {{ $v | quote }}\n  {{- end }}\n{{- end }}\n",
			want: []out{{"apiVersion: v1", 2, true}, {"kind: ConfigMap", 3, true}, {"data:", 4, true}, {`  a: "1"`, 6, false}, {`  b: "2"`, 6, false}},
		},
		{
			name: "define in the template writes nothing there",
			tmpl: "{{- define \"local.port\" -}}\n- containerPort: {{ . }}\n{{- end }}\nports:\n{{- include \"local.port\" 80 | nindent 2 }}\n",
			want: []out{{"", 3, false}, {"ports:", 4, true}, {"  - containerPort: 80", 5, false}},
		},
		{
			name: "multi-line comment and action",
			tmpl: "{{- /*\n  a comment\n  over lines\n*/ -}}\nkind: Pod\nspec:\n  {{- include \"x\" (dict\n      \"a\" 1) | nindent 2 }}\n  restartPolicy: Never\n",
			want: []out{{"kind: Pod", 5, true}, {"spec:", 6, true}, {"  a: 1", 7, false}, {"  b: 2", 7, false}, {"  restartPolicy: Never", 9, true}},
		},
		{
			name: "strings with braces in actions",
			tmpl: "a: {{ \"}}\" }}\nb: {{ `{{ x }}` }} {{ 'c' }}\nc: 1\n",
			want: []out{{"a: }}", 1, false}, {"b: {{ x }} 99", 2, false}, {"c: 1", 3, true}},
		},
		{
			name: "CRLF line ends",
			tmpl: "kind: Pod\r\nmetadata:\r\n  name: {{ .Values.name }}\r\n",
			want: []out{{"kind: Pod", 1, true}, {"metadata:", 2, true}, {"  name: web", 3, false}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, c.tmpl, nil, c.want) })
	}
}

// col is the column (1-based, in characters) where sub starts on line n of the template.
func col(t *testing.T, tmpl string, n int, sub string) int {
	t.Helper()
	l := strings.Split(tmpl, "\n")[n-1]
	i := strings.Index(l, sub)
	if i < 0 {
		t.Fatalf("%q is not on template line %d", sub, n)
	}
	return utf8.RuneCountInString(l[:i]) + 1
}

func TestPositions(t *testing.T) {
	var b strings.Builder
	for _, w := range deploymentOut {
		b.WriteString(w.text + "\n")
	}
	m := MapTemplate(deployment, b.String())
	image := 28
	cases := []struct {
		name                         string
		line, c, endLine, endC       int
		tline, tcol, tendLine, tendC int
	}{
		{"a literal key", 26, 11, 26, 16, image, 11, image, 16},
		{"a quoted value starts with a literal quote", 26, 18, 26, 30, image, 18, 0, 0},
		{"inside the first action's output", 26, 21, 26, 22, image, col(t, deployment, image, "{{ .Values.image.repository"), 0, 0},
		{"the literal colon between two actions", 26, 24, 26, 25, image, col(t, deployment, image, ":{{"), image, col(t, deployment, image, ":{{") + 1},
		{"inside the second action's output", 26, 26, 0, 0, image, col(t, deployment, image, "{{ .Values.image.tag"), 0, 0},
		{"the closing quote after the actions", 26, 29, 26, 30, image, col(t, deployment, image, `}}"`) + 2, image, col(t, deployment, image, `}}"`) + 3},
		{"a line an include wrote", 7, 5, 7, 27, 6, 5, 0, 0},
		{"a line toYaml wrote", 45, 15, 45, 24, 49, 13, 0, 0},
		{"a range body's second iteration", 33, 15, 33, 19, 37, 15, 37, 19},
		{"the value in a range body", 33, 21, 33, 28, 37, 21, 0, 0},
		{"a literal span over two lines", 37, 13, 38, 32, 42, 13, 43, 32},
		{"a span over two lines, one not literal", 38, 15, 39, 10, 43, 15, 0, 0},
		{"a span ending at the start of the next line", 37, 13, 38, 1, 42, 13, 42, 25},
		{"a comment line", 24, 9, 24, 39, 26, 9, 26, 39},
		{"a key after trimmed control lines", 10, 1, 10, 5, 11, 1, 11, 5},
		{"the end unknown", 43, 11, 0, 0, 48, 11, 0, 0},
		{"a column past the line's end", 3, 10, 0, 0, 3, 10, 0, 0},
		{"a line out of range", 99, 1, 99, 5, 52, 9, 0, 0},
	}
	for _, c := range cases {
		tl, tc, tel, tec := m.Position(c.line, c.c, c.endLine, c.endC)
		if tl != c.tline || tc != c.tcol || tel != c.tendLine || tec != c.tendC {
			t.Errorf("%s: Position(%d, %d, %d, %d) = %d, %d, %d, %d; want %d, %d, %d, %d", c.name,
				c.line, c.c, c.endLine, c.endC, tl, tc, tel, tec, c.tline, c.tcol, c.tendLine, c.tendC)
		}
	}
}

func TestJoinedAndInlinePositions(t *testing.T) {
	tmpl := "name: {{ .Values.name -}}\n  {{ .Values.suffix }}\ntier: {{ if .Values.fe }}frontend{{ else }}backend{{ end }}\n"
	m := MapTemplate(tmpl, "name: webx\ntier: backend\n")
	if l, c, _, _ := m.Position(1, 10, 0, 0); (l != 2 || c != 3) && (l != 1 || c != 7) {
		t.Errorf("the joined actions' output: got %d:%d, want 1:7 or 2:3", l, c)
	}
	if l, c, _, _ := m.Position(1, 7, 0, 0); l != 1 || c != 7 {
		t.Errorf("the first action's output: got %d:%d, want 1:7", l, c)
	}
	wantCol := strings.Index(tmpl[strings.Index(tmpl, "tier"):], "backend") + 1
	if l, c, el, ec := m.Position(2, 7, 2, 14); l != 3 || c != wantCol || el != 3 || ec != wantCol+7 {
		t.Errorf("the else branch's literal text: got %d:%d-%d:%d, want 3:%d-3:%d", l, c, el, ec, wantCol, wantCol+7)
	}
}

// A rendered text with lines nothing in the template explains goes to the nearest key above.
func TestOrphans(t *testing.T) {
	tmpl := "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: a\n"
	rendered := "# Source: chart/templates/pod.yaml\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n        stray: x\n      image: a\n"
	m := MapTemplate(tmpl, rendered)
	for n, want := range map[int]int{1: 1, 2: 1, 7: 5, 8: 6} {
		if got, _ := m.Line(n); got != want {
			t.Errorf("line %d: got %d, want %d", n, got, want)
		}
	}
}

func TestEdges(t *testing.T) {
	m := MapTemplate("", "a: 1\n")
	if l, lit := m.Line(1); l != 0 || lit {
		t.Errorf("empty template: got %d %v", l, lit)
	}
	if l, c, el, ec := m.Position(1, 1, 1, 2); l != 0 || c != 0 || el != 0 || ec != 0 {
		t.Errorf("empty template position: %d %d %d %d", l, c, el, ec)
	}
	m = MapTemplate("a: 1\n", "")
	if l, _ := m.Line(1); l != 1 {
		t.Errorf("empty rendering: got line %d, want 1", l)
	}
	if l, c, _, _ := m.Position(0, 0, 0, 0); l != 1 || c != 1 {
		t.Errorf("empty rendering position: %d:%d", l, c)
	}
	m = MapTemplate("{{ .Values.x }}", "a\nb\nc")
	for n := 1; n <= 3; n++ {
		if l, _ := m.Line(n); l != 1 {
			t.Errorf("line %d: got %d", n, l)
		}
	}
	m = MapTemplate("{{ if .x }}\n{{ unterminated", "oops\n")
	if l, _ := m.Line(1); l < 1 || l > 2 {
		t.Errorf("unterminated action: line %d", l)
	}
}

func TestClassify(t *testing.T) {
	cases := map[string]actKind{
		" if .x ":                    actIf,
		"- else if .y ":              actElse,
		"else":                       actElse,
		" end":                       actEnd,
		" range $i, $v := .list ":    actRange,
		" with .x ":                  actWith,
		" define \"a\" ":             actDefine,
		" block \"b\" . ":            actBlock,
		" $x := include \"a\" . ":    actSilent,
		" $x = 3 ":                   actSilent,
		" $x ":                       actOutput,
		" $x == 3 ":                  actOutput,
		" .Values.iffy ":             actOutput,
		" include \"a\" . ":          actOutput,
		" template \"a\" . ":         actOutput,
		" break ":                    actSilent,
		" endpoint ":                 actOutput,
		" toYaml . | nindent 4 ":     actOutput,
		" ifx ":                      actOutput,
		" $a, $b := pair ":           actSilent,
		" printf \"%s\" .x | quote ": actOutput,
	}
	for body, want := range cases {
		if got, _, _ := classify(strings.TrimPrefix(body, "-")); got != want {
			t.Errorf("classify(%q) = %d, want %d", body, got, want)
		}
	}
	if _, ind, ml := classify(" toYaml .Values.x | nindent 12 "); ind != 12 || !ml {
		t.Errorf("nindent: got %d %v", ind, ml)
	}
	if _, ind, ml := classify(" .Values.name | quote "); ind != 0 || ml {
		t.Errorf("plain value: got %d %v", ind, ml)
	}
}

func ExampleTemplateMap_Line() {
	tmpl := "metadata:\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n"
	rendered := "metadata:\n  labels:\n    app: web\n    tier: fe\nspec:\n  replicas: 3\n"
	m := MapTemplate(tmpl, rendered)
	for n := 1; n <= m.Lines(); n++ {
		line, literal := m.Line(n)
		fmt.Println(n, "->", line, literal)
	}
	// Output:
	// 1 -> 1 true
	// 2 -> 2 true
	// 3 -> 3 false
	// 4 -> 3 false
	// 5 -> 4 true
	// 6 -> 5 false
}

var ingress = numbered(`
 1|{{- if .Values.ingress.enabled -}}
 2|{{- $fullName := include "web.fullname" . -}}
 3|{{- $svcPort := .Values.service.port -}}
 4|apiVersion: networking.k8s.io/v1
 5|kind: Ingress
 6|metadata:
 7|  name: {{ $fullName }}
 8|  labels:
 9|    {{- include "web.labels" . | nindent 4 }}
10|  {{- with .Values.ingress.annotations }}
11|  annotations:
12|    {{- toYaml . | nindent 4 }}
13|  {{- end }}
14|spec:
15|  {{- if .Values.ingress.className }}
16|  ingressClassName: {{ .Values.ingress.className }}
17|  {{- end }}
18|  {{- if .Values.ingress.tls }}
19|  tls:
20|    {{- range .Values.ingress.tls }}
21|    - hosts:
22|        {{- range .hosts }}
23|        - {{ . | quote }}
24|        {{- end }}
25|      secretName: {{ .secretName }}
26|    {{- end }}
27|  {{- end }}
28|  rules:
29|    {{- range .Values.ingress.hosts }}
30|    - host: {{ .host | quote }}
31|      http:
32|        paths:
33|          {{- range .paths }}
34|          - path: {{ .path }}
35|            pathType: {{ .pathType }}
36|            backend:
37|              service:
38|                name: {{ $fullName }}
39|                port:
40|                  number: {{ $svcPort }}
41|          {{- end }}
42|    {{- end }}
43|{{- end }}
`)

// Nested ranges, as in the ingress "helm create" writes: hosts, and paths in each host.
func TestNestedRanges(t *testing.T) {
	data := chartValues()
	v := data["Values"].(map[string]any)
	v["service"] = map[string]any{"port": 80}
	v["ingress"] = map[string]any{
		"enabled":     true,
		"className":   "nginx",
		"annotations": map[string]any{"cert-manager.io/cluster-issuer": "letsencrypt"},
		"tls":         []any{map[string]any{"secretName": "web-tls", "hosts": []any{"a.example.com", "b.example.com"}}},
		"hosts": []any{
			map[string]any{"host": "a.example.com", "paths": []any{
				map[string]any{"path": "/", "pathType": "Prefix"},
				map[string]any{"path": "/api", "pathType": "Exact"},
			}},
			map[string]any{"host": "b.example.com", "paths": []any{
				map[string]any{"path": "/", "pathType": "Prefix"},
			}},
		},
	}
	path := func(p, typ string) []out {
		return []out{
			{"          - path: " + p, 34, false},
			{"            pathType: " + typ, 35, false},
			{"            backend:", 36, true},
			{"              service:", 37, true},
			{"                name: rel-web", 38, false},
			{"                port:", 39, true},
			{"                  number: 80", 40, false},
		}
	}
	host := func(h string) []out {
		return []out{
			{`    - host: "` + h + `"`, 30, false},
			{"      http:", 31, true},
			{"        paths:", 32, true},
		}
	}
	want := []out{
		{"apiVersion: networking.k8s.io/v1", 4, true},
		{"kind: Ingress", 5, true},
		{"metadata:", 6, true},
		{"  name: rel-web", 7, false},
		{"  labels:", 8, true},
		{"    helm.sh/chart: web-0.1.0", 9, false},
		{"    app.kubernetes.io/name: web", 9, false},
		{"    app.kubernetes.io/instance: rel", 9, false},
		{"    app.kubernetes.io/managed-by: Helm", 9, false},
		{"  annotations:", 11, true},
		{"    cert-manager.io/cluster-issuer: letsencrypt", 12, false},
		{"spec:", 14, true},
		{"  ingressClassName: nginx", 16, false},
		{"  tls:", 19, true},
		{"    - hosts:", 21, true},
		{`        - "a.example.com"`, 23, false},
		{`        - "b.example.com"`, 23, false},
		{"      secretName: web-tls", 25, false},
		{"  rules:", 28, true},
	}
	want = append(want, host("a.example.com")...)
	want = append(want, path("/", "Prefix")...)
	want = append(want, path("/api", "Exact")...)
	want = append(want, host("b.example.com")...)
	want = append(want, path("/", "Prefix")...)
	check(t, ingress, data, want)

	// Disabled, the template writes only the line end after its last action.
	v["ingress"] = map[string]any{"enabled": false}
	check(t, ingress, data, []out{{"", 43, false}})
}
