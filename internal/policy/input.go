package policy

import (
	"fmt"
	"math"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toTerm converts a decoded document (map[string]any, []any, string, bool, int64, float64, nil) to an
// OPA term directly. Going through JSON (or OPA's reflection-based converter) would cost a marshal and
// a parse per document; this walk allocates only the terms themselves.
func toTerm(v any) (*ast.Term, error) {
	switch x := v.(type) {
	case nil:
		return ast.NullTerm(), nil
	case string:
		return key(x), nil
	case bool:
		return ast.BooleanTerm(x), nil
	case int64:
		return ast.InternedTerm(x), nil
	case int:
		return ast.InternedTerm(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("number %v has no JSON form", x)
		}
		return ast.FloatNumberTerm(x), nil
	case []any:
		terms := make([]*ast.Term, len(x))
		for i, e := range x {
			t, err := toTerm(e)
			if err != nil {
				return nil, err
			}
			terms[i] = t
		}
		return ast.ArrayTerm(terms...), nil
	case []string:
		terms := make([]*ast.Term, len(x))
		for i, e := range x {
			terms[i] = ast.StringTerm(e)
		}
		return ast.ArrayTerm(terms...), nil
	case map[string]any:
		items := make([][2]*ast.Term, 0, len(x))
		for k, e := range x {
			t, err := toTerm(e)
			if err != nil {
				return nil, err
			}
			items = append(items, [2]*ast.Term{key(k), t})
		}
		return ast.ObjectTerm(items...), nil // OPA sorts keys itself when it iterates
	}
	return nil, fmt.Errorf("unsupported value of type %T", v)
}
