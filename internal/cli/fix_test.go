package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podlint/podlint/internal/lint"
)

// jsonRules are the rules the JSON cases fix (JSON has no comment to name them in).
var jsonRules = map[string]string{"json-port": "schema,undocumented-port"}

// TestFix runs --fix on each case of testdata/fix: NAME.yaml must become NAME.fixed.yaml byte for
// byte (NAME.json, NAME.fixed.json), a second --fix must change nothing, and the rules the case
// names on its first line ("# fix: RULE,...") must have no finding left. nofix.yaml must stay as
// it is.
func TestFix(t *testing.T) {
	inputs, err := filepath.Glob("testdata/fix/*.*")
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, in := range inputs {
		ext := filepath.Ext(in)
		if strings.HasSuffix(in, ".fixed"+ext) {
			continue
		}
		cases++
		name := strings.TrimSuffix(filepath.Base(in), ext)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			want := src
			rules := map[string]bool{}
			if name != "nofix" {
				if want, err = os.ReadFile(strings.TrimSuffix(in, ext) + ".fixed" + ext); err != nil {
					t.Fatal(err)
				}
				first, _, _ := strings.Cut(strings.TrimPrefix(string(src), "\xef\xbb\xbf"), "\n")
				list, ok := strings.CutPrefix(strings.TrimSpace(first), "# fix:")
				if ext == ".json" {
					list, ok = jsonRules[name]
				}
				if !ok {
					t.Fatalf("%s: the first line must name the fixed rules (# fix: RULE,...)", in)
				}
				for _, r := range strings.Split(list, ",") {
					rules[strings.TrimSpace(r)] = true
				}
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "pod"+ext)
			if err := os.WriteFile(file, src, 0o640); err != nil {
				t.Fatal(err)
			}
			_, out, _ := runIn(t, dir, "", "--fix", "--format", "json", filepath.Base(file))
			got, _ := os.ReadFile(file)
			if string(got) != string(want) {
				t.Fatalf("--fix wrote:\n%q\nwant:\n%q", got, want)
			}
			if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o640 {
				t.Errorf("mode after --fix: %v, %v; want 0640", info.Mode(), err)
			}
			var rep struct{ Findings []lint.Finding }
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("report: %v\n%s", err, out)
			}
			for _, f := range rep.Findings {
				if rules[f.Rule] {
					t.Errorf("after --fix, %s still finds %s:%d: %s", f.Rule, f.File, f.Line, f.Message)
				}
				if len(f.Fixes) > 0 {
					t.Errorf("after --fix, a finding still offers a fix: %s:%d %s", f.File, f.Line, f.Message)
				}
			}
			// a second run changes nothing
			_, _, stderr := runIn(t, dir, "", "--fix", filepath.Base(file))
			again, _ := os.ReadFile(file)
			if string(again) != string(got) || strings.Contains(stderr, "fixed") {
				t.Errorf("a second --fix changed the file (%s):\n%s", strings.TrimSpace(stderr), again)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("--fix left files behind: %v", entries)
			}
		})
	}
	if cases < 8 {
		t.Fatalf("found %d cases in testdata/fix", cases)
	}
}

// TestDiff checks that --diff prints what --fix would change, changes nothing, sends the report to
// standard error and exits as a lint run does.
func TestDiff(t *testing.T) {
	src, err := os.ReadFile("testdata/fix/enum-case.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pod.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runIn(t, dir, "", "--diff", "pod.yaml")
	if code != ExitFindings {
		t.Errorf("exit %d, want %d (the findings are still there)", code, ExitFindings)
	}
	want := `--- a/pod.yaml
+++ b/pod.yaml
@@ -6,13 +6,13 @@
   labels: {app: web, rel: stable}
   ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: 0a1b}]
 spec:
-  restartPolicy: always
+  restartPolicy: Always
   containers:
   - name: web
     image: nginx:1.27
-    imagePullPolicy: 'ifnotpresent'
+    imagePullPolicy: 'IfNotPresent'
     ports:
-    - {name: http, containerPort: 8080, protocol: tcp}
+    - {name: http, containerPort: 8080, protocol: TCP}
     - name: dns
       containerPort: 5353
-      protocol: "udp"      # quotes stay
+      protocol: "UDP"      # quotes stay
`
	if out != want {
		t.Errorf("--diff printed:\n%s\nwant:\n%s", out, want)
	}
	if !strings.Contains(stderr, `got "tcp" (did you mean "TCP"?) [schema]`) {
		t.Errorf("the report is not on standard error:\n%s", stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "pod.yaml")); string(got) != string(src) {
		t.Errorf("--diff changed the file")
	}
	// a lint run offers the same fixes in JSON, and changes nothing
	_, out, _ = runIn(t, dir, "", "--format", "json", "pod.yaml")
	var rep struct{ Findings []lint.Finding }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var tcp *lint.Finding
	for i, f := range rep.Findings {
		if f.Line == 15 && f.Rule == "schema" {
			tcp = &rep.Findings[i]
		}
	}
	wantFix := lint.Fix{Description: "write TCP", Edits: []lint.Edit{{Line: 15, Column: 51, EndLine: 15, EndColumn: 54, Text: "TCP"}}}
	if tcp == nil || len(tcp.Fixes) != 1 || tcp.Fixes[0].Description != wantFix.Description || len(tcp.Fixes[0].Edits) != 1 || tcp.Fixes[0].Edits[0] != wantFix.Edits[0] {
		t.Errorf("JSON fixes of the finding on line 15: %+v, want %+v", tcp, wantFix)
	}
	if !strings.Contains(out, `"fixes": [`) {
		t.Errorf("no fixes field in the JSON report:\n%s", out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "pod.yaml")); string(got) != string(src) {
		t.Errorf("a lint run changed the file")
	}
	for _, args := range [][]string{{"--fix", "--diff", "pod.yaml"}, {"--fix", "-"}} {
		if code, _, stderr := runIn(t, dir, "", args...); code != ExitError || !strings.Contains(stderr, "--fix") {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, stderr)
		}
	}
}
