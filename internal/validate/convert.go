package validate

import (
	"encoding/json"
	"maps"
	"strconv"
)

// toJSON gives the schema library the document in the form it reads: numbers as json.Number. A map
// entry whose value is null is left out, because the API server treats `field: null` as an absent
// field (kubectl itself writes `creationTimestamp: null`). The document is never modified: a map or
// list is copied only when something inside it changes, so the strings-only parts that make up most
// of a manifest are shared, not copied.
func toJSON(v any) any {
	out, _ := convert(v)
	return out
}

// convert returns the converted value and whether it differs from v.
func convert(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		var m map[string]any // the copy, made on the first change
		for k, e := range x {
			if e == nil {
				if m == nil {
					m = maps.Clone(x)
				}
				delete(m, k)
				continue
			}
			c, changed := convert(e)
			if !changed {
				continue
			}
			if m == nil {
				m = maps.Clone(x)
			}
			m[k] = c
		}
		if m == nil {
			return x, false
		}
		return m, true
	case []any:
		var s []any
		for i, e := range x {
			c, changed := convert(e)
			if !changed {
				continue
			}
			if s == nil {
				s = make([]any, len(x))
				copy(s, x)
			}
			s[i] = c
		}
		if s == nil {
			return x, false
		}
		return s, true
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), true
	case float64:
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64)), true
	}
	return v, false
}
