package validate

import (
	"fmt"
	"testing"
)

// TestFixes checks which violations carry the one right correction, and which do not.
func TestFixes(t *testing.T) {
	tests := []struct {
		container string
		want      string // the fix as "key=..." or "value=%T %v", or "" for none
	}{
		{"imagePullPolice: Always", "key=imagePullPolicy"},
		{"imagePullPolicy: always", "value=string Always"},
		{"imagePullPolicy: ALWAYS", "value=string Always"},
		{"imagePullPolicy: Allways", ""}, // a misspelling, not a case: no single answer by case
		{"env: [{name: A, value: yes}]", "value=string yes"},
		{"env: [{name: A, value: 1.10}]", "value=string 1.10"},
		{"env: [{name: A, value: !!bool true}]", ""}, // tagged on purpose
		{"ports: [{containerPort: \"8080\"}]", "value=int64 8080"},
		{"ports: [{containerPort: \"08080\"}]", ""}, // not how the number is written
		{"ports: [{containerPort: \" 80\"}]", ""},
		{"ports: [{containerPort: \"http\"}]", ""},
		{"resources: {limits: {cpu: true}}", ""}, // a quantity: no single reading
		{"flavour: x", ""},                       // no close field
	}
	v := New(Options{})
	for _, tt := range tests {
		doc := load(t, pod(tt.container))
		vs, _, err := v.Validate(doc)
		if err != nil || len(vs) != 1 {
			t.Errorf("%s: %v, %v", tt.container, render(vs), err)
			continue
		}
		got := ""
		if f := vs[0].Fix; f != nil {
			if f.Key != "" {
				got = "key=" + f.Key
			} else {
				got = fmt.Sprintf("value=%T %v", f.Value, f.Value)
			}
		}
		if got != tt.want {
			t.Errorf("%s: fix %q, want %q (%s)", tt.container, got, tt.want, vs[0].Message)
		}
	}
}

func TestOnlySuggestion(t *testing.T) {
	names := []string{"hostIP", "hostPort", "name", "protocol", "containerPort"}
	if s, ok := onlySuggestion("hostport", names); !ok || s != "hostPort" {
		t.Errorf("hostport: %q %v", s, ok)
	}
	// two fields one step away: no single answer
	if s, ok := onlySuggestion("nam", []string{"name", "nad"}); ok {
		t.Errorf("nam: %q offered although name and nad are as close", s)
	}
	if _, ok := onlySuggestion("flavour", names); ok {
		t.Error("flavour: offered a far field")
	}
}
