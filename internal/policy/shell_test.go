package policy

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// cmdSummary is the part of a parsed command most tests check.
type cmdSummary struct {
	Program    string
	Args       []string
	Background bool
	Exec       bool
	Operator   string
	Pipeline   int
	Loop       int
	Nested     []string
}

func summarize(t *testing.T, res map[string]any) []cmdSummary {
	t.Helper()
	var out []cmdSummary
	for _, c := range res["commands"].([]any) {
		m := c.(map[string]any)
		s := cmdSummary{Program: m["program"].(string), Background: m["background"].(bool), Exec: m["exec"].(bool),
			Operator: m["operator"].(string), Pipeline: m["pipeline"].(int), Loop: m["loop"].(int)}
		for _, a := range m["args"].([]any) {
			s.Args = append(s.Args, a.(string))
		}
		for _, n := range m["nested"].([]any) {
			s.Nested = append(s.Nested, n.(string))
		}
		out = append(out, s)
	}
	return out
}

func TestParseShellCommands(t *testing.T) {
	tests := []struct {
		script string
		want   []cmdSummary
	}{
		{"nginx -g 'daemon off;'", []cmdSummary{{Program: "nginx", Args: []string{"-g", "daemon off;"}}}},
		{"a & b", []cmdSummary{{Program: "a", Background: true}, {Program: "b"}}},
		{"a && b || c", []cmdSummary{{Program: "a"}, {Program: "b", Operator: "&&"}, {Program: "c", Operator: "||"}}},
		{"setup; exec /app/server --port 80", []cmdSummary{{Program: "setup"}, {Program: "server", Args: []string{"--port", "80"}, Exec: true}}},
		{`echo "a & b" 'c & d' e\&f`, []cmdSummary{{Program: "echo", Args: []string{"a & b", "c & d", "e&f"}}}},
		{"ps aux | grep x | wc -l", []cmdSummary{{Program: "ps", Args: []string{"aux"}, Pipeline: 1}, {Program: "grep", Args: []string{"x"}, Pipeline: 1}, {Program: "wc", Args: []string{"-l"}, Pipeline: 1}}},
		{"(a; b) &", []cmdSummary{{Program: "a", Background: true, Nested: []string{"subshell"}}, {Program: "b", Background: true, Nested: []string{"subshell"}}}},
		{"while true; do sleep 1; done", []cmdSummary{{Program: "true", Loop: 1, Nested: []string{"while"}}, {Program: "sleep", Args: []string{"1"}, Loop: 1, Nested: []string{"while"}}}},
		{"for f in *; do while read l; do echo $l; done < $f; done; until a; do b; done", []cmdSummary{
			{Program: "read", Args: []string{"l"}, Loop: 1, Nested: []string{"for", "while"}},
			{Program: "echo", Args: []string{"$l"}, Loop: 1, Nested: []string{"for", "while"}},
			{Program: "a", Loop: 2, Nested: []string{"until"}},
			{Program: "b", Loop: 2, Nested: []string{"until"}},
		}},
		{"if [ -f x ]; then exec a; else exec b; fi", []cmdSummary{
			{Program: "[", Args: []string{"-f", "x", "]"}, Nested: []string{"if"}},
			{Program: "a", Exec: true, Nested: []string{"if"}},
			{Program: "b", Exec: true, Nested: []string{"if"}},
		}},
		{"exec gosu app env A=1 /bin/server", []cmdSummary{{Program: "server", Args: []string{"app", "env", "A=1", "/bin/server"}, Exec: true}}},
		{"FOO=bar\n$CMD --flag", []cmdSummary{{Program: "$CMD", Args: []string{"--flag"}}}},
		{"f() { a & }\nf", []cmdSummary{{Program: "a", Background: true, Nested: []string{"function", "block"}}, {Program: "f"}}},
	}
	for _, tc := range tests {
		t.Run(tc.script, func(t *testing.T) {
			res := parseShell("sh", tc.script)
			if e, ok := res["error"]; ok {
				t.Fatalf("error: %v", e)
			}
			if got := summarize(t, res); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseShellDetails(t *testing.T) {
	res := parseShell("/bin/bash", "trap 'kill -TERM $pid' TERM SIGINT 2\nexec > /var/log/app.log 2>&1\n{ server & } >> out.log\npid=$!\nwait $pid")
	b, _ := json.Marshal(res)
	var got struct {
		Dialect  string
		Last     int
		Traps    []map[string]any
		Commands []struct {
			Name      string
			Program   string
			Job       int
			Redirects []map[string]string
			Line      int
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Dialect != "bash" {
		t.Errorf("dialect %q", got.Dialect)
	}
	wantTraps := []map[string]any{{"action": "kill -TERM $pid", "signals": []any{"TERM", "INT", "INT"}}}
	if !reflect.DeepEqual(got.Traps, wantTraps) {
		t.Errorf("traps %v", got.Traps)
	}
	if len(got.Commands) != 4 {
		t.Fatalf("commands %+v", got.Commands)
	}
	if c := got.Commands[1]; c.Name != "exec" || c.Program != "" || !reflect.DeepEqual(c.Redirects, []map[string]string{
		{"op": ">", "fd": "", "target": "/var/log/app.log"}, {"op": ">&", "fd": "2", "target": "1"},
	}) {
		t.Errorf("exec with redirections only: %+v", c)
	}
	if c := got.Commands[2]; c.Program != "server" || c.Job != 1 || c.Line != 3 || len(c.Redirects) != 1 || c.Redirects[0]["target"] != "out.log" {
		t.Errorf("background job in a redirected block: %+v", c)
	}
	if got.Last != 3 || got.Commands[3].Program != "wait" {
		t.Errorf("last %d", got.Last)
	}
}

func TestParseShellDialects(t *testing.T) {
	tests := []struct {
		interpreter, script, dialect string
		wantErr                      bool
		programs                     []string
	}{
		{"sh", "a && b", "posix", false, []string{"a", "b"}},
		{"/bin/dash", "x=(1 2) && exec a", "posix", true, []string{"a"}}, // read as bash after the error
		{"bash", "x=(1 2) && exec a", "bash", false, []string{"a"}},
		{"mksh", "print -r x", "mksh", false, []string{"print"}},
		{"ash", "if then fi", "posix", true, nil},
		{"python3", "a & b", "bash", false, []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.interpreter+" "+tc.script, func(t *testing.T) {
			res := parseShell(tc.interpreter, tc.script)
			if res["dialect"] != tc.dialect {
				t.Errorf("dialect %v", res["dialect"])
			}
			if _, hasErr := res["error"]; hasErr != tc.wantErr {
				t.Errorf("error %v", res["error"])
			}
			var programs []string
			for _, c := range summarize(t, res) {
				programs = append(programs, c.Program)
			}
			if !reflect.DeepEqual(programs, tc.programs) {
				t.Errorf("programs %v", programs)
			}
		})
	}
	if res := parseShell("sh", strings.Repeat("a", maxScript+1)); res["error"] == nil {
		t.Error("an oversized script was parsed")
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		argv        []string
		program     string
		index       int
		wrappers    []any
		scriptIndex int // -1: no script
	}{
		{[]string{"nginx"}, "nginx", 0, []any{}, -1},
		{[]string{"/usr/local/bin/tini", "-s", "-g", "--", "/app/server", "-v"}, "server", 4, []any{"tini"}, -1},
		{[]string{"tini", "-p", "SIGTERM", "--", "server"}, "server", 4, []any{"tini"}, -1},
		{[]string{"dumb-init", "--rewrite", "15:2", "gosu", "app:app", "env", "-u", "HOME", "A=1", "B=2", "supervisord"}, "supervisord", 10, []any{"dumb-init", "gosu", "env"}, -1},
		{[]string{"su-exec", "nobody", "sh", "-c", "x"}, "sh", 2, []any{"su-exec"}, 4},
		{[]string{"sh", "-c", "x", "name", "arg"}, "sh", 0, []any{}, 2},
		{[]string{"bash", "-euo", "pipefail", "-c", "x"}, "bash", 0, []any{}, 4},
		{[]string{"bash", "--login", "-xc", "x"}, "bash", 0, []any{}, 3},
		{[]string{"/bin/sh", "-e", "/entrypoint.sh"}, "sh", 0, []any{}, -1},
		{[]string{"sh", "-c"}, "sh", 0, []any{}, -1},
		{[]string{"busybox", "sh", "-c", "x"}, "sh", 1, []any{"busybox"}, 3},
		{[]string{"npx", "-y", "concurrently", "a", "b"}, "concurrently", 2, []any{"npx"}, -1},
		{[]string{"tini", "--"}, "", -1, []any{"tini"}, -1},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.argv, " "), func(t *testing.T) {
			res := parseCommand(tc.argv)
			if res["program"] != tc.program || res["index"] != tc.index || !reflect.DeepEqual(res["wrappers"], tc.wrappers) {
				t.Errorf("program %v index %v wrappers %v", res["program"], res["index"], res["wrappers"])
			}
			si, ok := res["script_index"]
			if tc.scriptIndex < 0 {
				if ok {
					t.Errorf("script_index %v, want none", si)
				}
				return
			}
			if si != tc.scriptIndex || res["script"] != tc.argv[tc.scriptIndex] || res["parsed"] == nil {
				t.Errorf("script_index %v script %v", si, res["script"])
			}
		})
	}
}
