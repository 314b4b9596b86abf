package srcmap

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"
)

// The tests write the rendered text of each template by hand, as Helm would write it, and check it
// here against Go's text/template (the engine Helm runs) with the few chart functions the test charts
// use. That keeps the hand-written expectations honest about trim markers and blank lines without
// depending on Helm.

// execute renders tmpl with the named templates of helpers defined, and data as the dot.
func execute(t testing.TB, helpers, tmpl string, data map[string]any) string {
	t.Helper()
	root := template.New("root")
	root.Funcs(template.FuncMap{
		"include": func(name string, dot any) (string, error) {
			var b strings.Builder
			err := root.ExecuteTemplate(&b, name, dot)
			return b.String(), err
		},
		"indent":  indentText,
		"nindent": func(n int, s string) string { return "\n" + indentText(n, s) },
		"toYaml":  func(v any) string { return strings.TrimSuffix(toYaml(v, 0), "\n") },
		"toJson": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"quote": func(v any) string { return strconv.Quote(fmt.Sprint(v)) },
		"default": func(d any, v ...any) any {
			if len(v) == 0 || v[0] == nil || v[0] == "" || v[0] == false || v[0] == 0 {
				return d
			}
			return v[0]
		},
	})
	if _, err := root.New("_helpers.tpl").Parse(helpers); err != nil {
		t.Fatalf("helpers: %v", err)
	}
	main, err := root.New("template.yaml").Parse(tmpl)
	if err != nil {
		t.Fatalf("template: %v", err)
	}
	var b strings.Builder
	if err := main.Execute(&b, data); err != nil {
		t.Fatalf("execute: %v", err)
	}
	return b.String()
}

func indentText(n int, s string) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// toYaml writes maps (keys sorted), lists and scalars as YAML, enough for the test values.
func toYaml(v any, ind int) string {
	pad := strings.Repeat(" ", ind)
	var b strings.Builder
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch c := v[k].(type) {
			case map[string]any, []any:
				fmt.Fprintf(&b, "%s%s:\n%s", pad, k, toYaml(c, ind+2))
			default:
				fmt.Fprintf(&b, "%s%s: %v\n", pad, k, c)
			}
		}
	case []any:
		for _, e := range v {
			if _, ok := e.(map[string]any); ok {
				s := toYaml(e, ind+2)
				fmt.Fprintf(&b, "%s- %s", pad, s[ind+2:])
				continue
			}
			fmt.Fprintf(&b, "%s- %v\n", pad, e)
		}
	default:
		fmt.Fprintf(&b, "%s%v\n", pad, v)
	}
	return b.String()
}

const helpers = `{{/* Names and labels, as "helm create" writes them. */}}
{{- define "web.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}
{{- end }}

{{- define "web.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "web.labels" -}}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{ include "web.selectorLabels" . }}
app.kubernetes.io/managed-by: Helm
{{- end }}
`

// chartValues are the values the test charts render with.
func chartValues() map[string]any {
	return map[string]any{
		"Release": map[string]any{"Name": "rel"},
		"Chart":   map[string]any{"Name": "web", "Version": "0.1.0", "AppVersion": "1.25"},
		"Values": map[string]any{
			"annotations":  nil,
			"autoscaling":  map[string]any{"enabled": false},
			"replicaCount": 3,
			"serviceAccount": map[string]any{
				"create":      true,
				"name":        "web-sa",
				"annotations": map[string]any{"eks.amazonaws.com/role-arn": "arn:x"},
			},
			"image":   map[string]any{"repository": "nginx", "tag": "", "pullPolicy": "IfNotPresent"},
			"command": nil,
			"ports": []any{
				map[string]any{"name": "http", "port": 8080},
				map[string]any{"name": "metrics", "port": 9090, "protocol": "UDP"},
			},
			"env": map[string]any{"TZ": "UTC", "LOG_LEVEL": "debug"},
			"resources": map[string]any{
				"limits":   map[string]any{"cpu": "500m", "memory": "128Mi"},
				"requests": map[string]any{"cpu": "100m"},
			},
			"nodeSelector": map[string]any{"disktype": "ssd"},
			"service":      map[string]any{"enabled": true, "type": "ClusterIP"},
			"migrate":      map[string]any{"args": []any{"--all", "--verbose"}},
		},
	}
}
