package policy

import (
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"k8s.io/apimachinery/pkg/api/validate/content"
)

// labelErrors checks a labels map the way the API server does, with its own validation code and
// messages: for each entry whose key or (string) value would be rejected, {key: [...], value: [...]}.
// Valid maps give an empty object, which is the common case and costs one call from Rego instead
// of a few expressions per label.
func labelErrors(labels ast.Object) *ast.Term {
	var items [][2]*ast.Term
	labels.Foreach(func(k, v *ast.Term) {
		ks, ok := k.Value.(ast.String)
		if !ok {
			return
		}
		keyErrs := content.IsLabelKey(string(ks))
		var valueErrs []string
		if vs, ok := v.Value.(ast.String); ok {
			valueErrs = content.IsLabelValue(string(vs))
		}
		if len(keyErrs) == 0 && len(valueErrs) == 0 {
			return
		}
		items = append(items, [2]*ast.Term{k, ast.ObjectTerm(
			ast.Item(key("key"), stringsTerm(keyErrs)),
			ast.Item(key("value"), stringsTerm(valueErrs)),
		)})
	})
	sort.Slice(items, func(i, j int) bool { return items[i][0].Value.Compare(items[j][0].Value) < 0 })
	return ast.ObjectTerm(items...)
}

func stringsTerm(ss []string) *ast.Term {
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = ast.StringTerm(s)
	}
	return ast.ArrayTerm(terms...)
}
