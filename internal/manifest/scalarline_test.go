package manifest

import (
	"fmt"
	"testing"
)

func TestLinePosition(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: literal
    image: busybox
    command:
    - sh
    - -c
    - |
      echo one

      exec server
  - name: double
    image: busybox
    args: ["sh", "-c", "echo one\nexec server"]
  - name: folded-quotes
    image: busybox
    args:
    - "echo one

      exec server"
  - name: single
    image: busybox
    args:
    - 'a ''b''

      c'
  - name: plain
    image: busybox
    args:
    - echo one

      exec server
  - name: escape-at-end
    image: busybox
    args:
    - "echo one\n
      exec server"
  - name: folded
    image: busybox
    args:
    - >
      echo one
      two

      exec server
`
	f := Load("p.yaml", []byte(src))
	if len(f.Documents) != 1 {
		t.Fatalf("documents: %d, problems %v", len(f.Documents), f.Problems)
	}
	d := f.Documents[0]
	tests := []struct {
		path string
		n    int
		want string
	}{
		{"/spec/containers/0/command/2", 1, "13:7-13:15"},
		{"/spec/containers/0/command/2", 2, "12:7-0:0"}, // a blank line: the scalar itself
		{"/spec/containers/0/command/2", 3, "15:7-15:18"},
		{"/spec/containers/1/args/2", 2, "18:35-18:48"},
		{"/spec/containers/2/args/0", 2, "24:7-24:19"},
		{"/spec/containers/3/args/0", 2, "30:7-30:9"},
		{"/spec/containers/4/args/0", 2, "36:7-36:18"},
		{"/spec/containers/5/args/0", 2, "41:7-41:19"},
		{"/spec/containers/6/args/0", 1, "46:7-46:15"},
		{"/spec/containers/6/args/0", 2, "49:7-49:18"},
		{"/spec/containers/0/image", 2, "8:12-8:19"}, // out of range: the value itself
	}
	for _, tt := range tests {
		p := d.LinePosition(ParsePointer(tt.path), tt.n)
		got := fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Column, p.EndLine, p.EndColumn)
		if got != tt.want {
			t.Errorf("LinePosition(%s, %d) = %s, want %s", tt.path, tt.n, got, tt.want)
		}
	}
}
