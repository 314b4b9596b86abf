package manifest

import (
	"testing"
)

func TestApplyFile(t *testing.T) {
	tests := []struct {
		name, in string
		edits    []Edit
		want     string
	}{
		{"replace", "a: tcp\n", []Edit{{1, 4, 1, 7, "TCP"}}, "a: TCP\n"},
		{"characters, not bytes", "é: ñ, b: yes\n", []Edit{{1, 10, 1, 13, `"yes"`}}, "é: ñ, b: \"yes\"\n"},
		{"tab counts one", "a:\tyes # c\n", []Edit{{1, 4, 1, 7, `"yes"`}}, "a:\t\"yes\" # c\n"},
		{"CRLF kept, inserted break too", "a: 1\r\nb:\r\n  - x: 1\r\n", []Edit{{3, 5, 3, 5, "n: y\n    "}}, "a: 1\r\nb:\r\n  - n: y\r\n    x: 1\r\n"},
		{"BOM kept", "\xef\xbb\xbfa: b\n", []Edit{{1, 1, 1, 2, "c"}}, "\xef\xbb\xbfc: b\n"},
		{"no final newline", "a: b", []Edit{{1, 4, 1, 5, "c"}}, "a: c"},
		{"several, any order", "a: b\nc: d\n", []Edit{{2, 4, 2, 5, "D"}, {1, 4, 1, 5, "B"}}, "a: B\nc: D\n"},
		{"touching", "ab\n", []Edit{{1, 1, 1, 2, "x"}, {1, 2, 1, 3, "y"}}, "xy\n"},
	}
	for _, tt := range tests {
		got, err := ApplyFile([]byte(tt.in), tt.edits)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	for _, bad := range [][]Edit{
		{{1, 1, 1, 3, "x"}, {1, 2, 1, 4, "y"}}, // overlapping
		{{1, 2, 1, 2, "x"}, {1, 2, 1, 2, "y"}}, // two insertions at one place
		{{1, 1, 1, 2, "x"}, {1, 2, 1, 2, "y"}}, // an insertion at the edge of a replacement
		{{4, 1, 4, 1, "x"}},                    // no such line
		{{1, 9, 1, 9, "x"}},                    // no such column
	} {
		if got, err := ApplyFile([]byte("abc\ndef\n"), bad); err == nil {
			t.Errorf("%v: applied (%q), want an error", bad, got)
		}
	}
}

func TestDocumentEdits(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    image: x
    imagePullPolice: 'always'
    env:
    - {name: A, value: yes}
    - name: B
      value: &v on
    - name: C
      value: *v
    ports:
    -   containerPort: "80"
    command:
    - sh
    - -c
    - |
      one
      two three
---
apiVersion: v1
kind: Pod
metadata: {name: "second"}
`
	f := Load("p.yaml", []byte(src))
	if len(f.Documents) != 2 {
		t.Fatalf("%d documents", len(f.Documents))
	}
	d := f.Documents[0]
	c := Path{"spec", "containers", "0"}
	check := func(what string, e Edit, ok bool, want Edit, value map[string]any) {
		t.Helper()
		if !ok || e != want {
			t.Errorf("%s: %+v, %v; want %+v", what, e, ok, want)
			return
		}
		if !d.Verify([]Edit{e}, value) {
			t.Errorf("%s: the edit does not verify", what)
		}
	}
	e, ok := d.RenameKey(c.Append("imagePullPolice"), "imagePullPolicy")
	want, _ := Renamed(d.Value, c.Append("imagePullPolice"), "imagePullPolicy")
	check("rename", e, ok, Edit{7, 5, 7, 20, "imagePullPolicy"}, want.(map[string]any))
	e, ok = d.ReplaceValue(c.Append("imagePullPolice"), "Always")
	want, _ = With(d.Value, c.Append("imagePullPolice"), "Always")
	check("single quotes kept", e, ok, Edit{7, 22, 7, 30, "'Always'"}, want.(map[string]any))
	e, ok = d.ReplaceValue(c.Append("env", "0", "value"), "yes")
	want, _ = With(d.Value, c.Append("env", "0", "value"), "yes")
	check("quote", e, ok, Edit{9, 24, 9, 27, `"yes"`}, want.(map[string]any))
	e, ok = d.ReplaceValue(c.Append("ports", "0", "containerPort"), int64(80))
	want, _ = With(d.Value, c.Append("ports", "0", "containerPort"), int64(80))
	check("unquote", e, ok, Edit{15, 24, 15, 28, "80"}, want.(map[string]any))
	e, ok = d.InsertFirst(c.Append("ports", "0"), "name", "http")
	want, _ = With(d.Value, c.Append("ports", "0", "name"), "http")
	check("insert in a block mapping", e, ok, Edit{15, 9, 15, 9, "name: http\n        "}, want.(map[string]any))
	e, ok = d.InsertFirst(c.Append("env", "0"), "x", "y")
	want, _ = With(d.Value, c.Append("env", "0", "x"), "y")
	check("insert in a flow mapping", e, ok, Edit{9, 8, 9, 8, `x: "y", `}, want.(map[string]any))
	e, ok = d.InsertInString(c.Append("command", "2"), 2, 1, "exec ")
	want, _ = With(d.Value, c.Append("command", "2"), "one\nexec two three\n")
	check("insert in a block scalar", e, ok, Edit{21, 7, 21, 7, "exec "}, want.(map[string]any))

	// shared text is never edited
	if _, ok := d.ReplaceValue(c.Append("env", "1", "value"), "on"); ok {
		t.Error("edited an anchored value")
	}
	if _, ok := d.ReplaceValue(c.Append("env", "2", "value"), "on"); ok {
		t.Error("edited an alias")
	}
	// an edit that changes more than it says does not verify
	wrong, _ := With(d.Value, c.Append("env", "0", "value"), "no")
	if d.Verify([]Edit{{9, 24, 9, 27, `"yes"`}}, wrong.(map[string]any)) {
		t.Error("verified an edit against the wrong value")
	}
	if d.Verify([]Edit{{9, 24, 9, 27, `"yes`}}, d.Value) {
		t.Error("verified an edit that breaks the YAML")
	}
	if d.Verify([]Edit{{24, 1, 24, 1, "x"}}, d.Value) {
		t.Error("verified an edit outside the document")
	}
	// the second document is found again in its own text
	d2 := f.Documents[1]
	e, ok = d2.ReplaceValue(Path{"metadata", "name"}, "2nd")
	want, _ = With(d2.Value, Path{"metadata", "name"}, "2nd")
	if !ok || e != (Edit{25, 18, 25, 26, `"2nd"`}) || !d2.Verify([]Edit{e}, want.(map[string]any)) {
		t.Errorf("second document: %+v %v", e, ok)
	}
}
