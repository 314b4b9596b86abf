package fix

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/validate"
)

// proposals makes every fix podlint could offer on a file, without the Rego rules: the schema's
// fixes, a port name for every unnamed port, and exec before the last command of every shell
// script (the fixers check the rest themselves).
func proposals(file *manifest.File) map[*manifest.Document][]*proposal {
	v := validator()
	out := map[*manifest.Document][]*proposal{}
	for _, doc := range file.Documents {
		violations, _, err := v.Validate(doc)
		if err == nil {
			for _, x := range violations {
				if p := schemaProposal(doc, x); p != nil {
					out[doc] = append(out[doc], p)
				}
			}
		}
		for _, pod := range doc.Pods {
			for _, field := range []string{"containers", "initContainers"} {
				list, _ := manifest.Get(doc.Value, pod.Spec.Append(field))
				items, _ := list.([]any)
				for i := range items {
					c := pod.Spec.Append(field, strconv.Itoa(i))
					ports, _ := manifest.Get(doc.Value, c.Append("ports"))
					for j := range asList(ports) {
						is := lint.Issue{Path: c.Append("ports", strconv.Itoa(j), "containerPort")}
						if p := portNameProposal(doc, is); p != nil {
							out[doc] = append(out[doc], p)
						}
					}
					for _, argv := range []string{"command", "args"} {
						words, _ := manifest.Get(doc.Value, c.Append(argv))
						for k, w := range asList(words) {
							script, ok := w.(string)
							if !ok || k == 0 || asList(words)[k-1] != "-c" {
								continue // only a shell's -c script
							}
							call, ok := finalCall(script)
							if !ok {
								continue
							}
							name, _ := literal(call.Args[0])
							is := lint.Issue{Path: c.Append(argv, strconv.Itoa(k)), Line: int(call.Args[0].Pos().Line()),
								Message: "the sh script starts " + filepath.Base(name) + " without exec: ..."}
							if p := execProposal(doc, is); p != nil {
								out[doc] = append(out[doc], p)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// validator is shared by the fuzz runs: each kind's schema compiles once.
var validator = sync.OnceValue(func() *validate.Validator { return validate.New(validate.Options{}) })

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// checkProposal applies one fix to the file and checks that the file parses to what it did, apart
// from the fixed value: every other document is unchanged, and the fixed one is what the fix wants.
func checkProposal(t *testing.T, data []byte, file *manifest.File, doc *manifest.Document, p *proposal) {
	t.Helper()
	edits := make([]manifest.Edit, len(p.fix.Edits))
	for i, e := range p.fix.Edits {
		edits[i] = manifest.Edit(e)
	}
	after, err := manifest.ApplyFile(data, edits)
	if err != nil {
		t.Fatalf("%s: %v", p.fix.Description, err)
	}
	nf := manifest.Load(file.Name, after)
	if len(nf.Documents) != len(file.Documents) {
		t.Fatalf("%s: %d documents after the fix, %d before:\n%s", p.fix.Description, len(nf.Documents), len(file.Documents), after)
	}
	for i, nd := range nf.Documents {
		od := file.Documents[i]
		want := any(od.Value)
		if od == doc {
			want = p.want
		}
		if !reflect.DeepEqual(any(nd.Value), want) {
			t.Fatalf("%s: document %d parses to\n%v\nwant\n%v\ntext:\n%s", p.fix.Description, i, nd.Value, want, after)
		}
	}
	if parses(file.Name, data) && !parses(file.Name, after) {
		t.Fatalf("%s: the file no longer parses:\n%s", p.fix.Description, after)
	}
	if len(data) > 3 && string(data[:3]) == "\xef\xbb\xbf" && string(after[:3]) != "\xef\xbb\xbf" {
		t.Fatalf("%s: the byte-order mark is gone", p.fix.Description)
	}
	if strings.Count(string(data), "\r\n") > 0 && strings.Count(string(after), "\n") != strings.Count(string(after), "\r\n") &&
		strings.Count(string(data), "\n") == strings.Count(string(data), "\r\n") {
		t.Fatalf("%s: a CRLF file got a bare LF:\n%q", p.fix.Description, after)
	}
}

// FuzzFix checks the fixes' promise on any input: a fix never makes a file that parses differently,
// apart from the value it fixes.
func FuzzFix(f *testing.F) {
	seeds, _ := filepath.Glob("../cli/testdata/fix/*.*")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n    imagePullPolice: always\n    env: [{name: A, value: on}, {name: B, value: \"x\"}]\n"))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - {name: a, image: x, ports: [{containerPort: \"80\"}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16<<10 {
			return
		}
		file := manifest.Load("fuzz.yaml", data)
		for doc, ps := range proposals(file) {
			for _, p := range ps {
				checkProposal(t, data, file, doc, p)
			}
		}
	})
}

// TestProposalsOnCases checks the property on the fix cases, and that each offers fixes.
func TestProposalsOnCases(t *testing.T) {
	seeds, _ := filepath.Glob("../cli/testdata/fix/*.*")
	total := 0
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		file := manifest.Load(s, data)
		n := 0
		for doc, ps := range proposals(file) {
			for _, p := range ps {
				checkProposal(t, data, file, doc, p)
				n++
			}
		}
		if strings.HasSuffix(s, ".fixed.yaml") && n > 0 {
			t.Errorf("%s: %d fixes offered on a fixed file", s, n)
			for _, ps := range proposals(file) {
				for _, p := range ps {
					t.Logf("%+v", p.fix)
				}
			}
		}
		total += n
	}
	if total < 20 {
		t.Errorf("only %d fixes offered on the cases", total)
	}
}
