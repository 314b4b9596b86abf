package policy

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Limits on one document's evaluation. A user policy can loop for ever (nested iterations over a
// large range) or build huge values (a string doubled thirty times); podlint stops it with an
// error naming the document, and the call, where one is known.
const (
	// DefaultTimeLimit bounds the evaluation of every policy on one document. The built-in rules
	// take well under a millisecond per document.
	DefaultTimeLimit = 5 * time.Second
	// MaxRange is the most numbers numbers.range and numbers.range_step make in one call.
	MaxRange = 1_000_000
	// MaxBuilt is the most bytes (roughly) the builtins that make large values from small ones
	// (concat, sprintf, replace, array.concat, the encoders...) may make for one document.
	MaxBuilt = 64 << 20
)

// bound is the topdown.Cancel of one document's evaluation: it fires when the run is cancelled
// (outer) or the document's time is up, and it carries the document's budget for large values.
type bound struct {
	outer   topdown.Cancel
	expired atomic.Bool
	built   atomic.Int64
	mu      sync.Mutex
	where   string // location of the last limited builtin call
}

func (b *bound) Cancel()         { b.expired.Store(true) }
func (b *bound) Cancelled() bool { return b.expired.Load() || b.outer.Cancelled() }

func (b *bound) at(loc *ast.Location) {
	if loc == nil {
		return
	}
	b.mu.Lock()
	b.where = loc.String()
	b.mu.Unlock()
}

// amplifying are OPA's builtins whose result can be much larger than their arguments.
var amplifying = []string{
	"concat", "sprintf", "replace", "strings.replace_n", "regex.replace", "array.concat",
	"json.marshal", "json.marshal_with_options", "yaml.marshal", "base64.encode", "base64url.encode",
	"base64url.encode_no_pad", "hex.encode", "strings.render_template", "format_int",
	"object.union", "object.union_n", "json.patch", "numbers.range", "numbers.range_step",
}

// schemaBuiltins are OPA's JSON Schema builtins and the argument that is a schema.
var schemaBuiltins = map[string]int{"json.verify_schema": 0, "json.match_schema": 1}

// installLimits replaces, in OPA's table of builtin implementations (process-wide: podlint is the
// only user in its process), the amplifying builtins by versions that count what they make against
// the document's budget, and the JSON Schema builtins by versions that refuse a schema reaching
// outside itself ($ref to a file or a URL), before OPA's loader opens anything.
var installLimits = sync.OnceFunc(func() {
	for _, name := range amplifying {
		orig := topdown.GetBuiltin(name)
		if orig == nil {
			continue
		}
		topdown.RegisterBuiltinFunc(name, limited(name, orig))
	}
	for name, arg := range schemaBuiltins {
		orig := topdown.GetBuiltin(name)
		if orig == nil {
			continue
		}
		topdown.RegisterBuiltinFunc(name, localSchemaOnly(name, arg, orig))
	}
})

func halt(bctx topdown.BuiltinContext, msg string) error {
	return topdown.Halt{Err: &topdown.Error{Code: topdown.BuiltinErr, Message: msg, Location: bctx.Location}}
}

func limited(name string, orig topdown.BuiltinFunc) topdown.BuiltinFunc {
	return func(bctx topdown.BuiltinContext, args []*ast.Term, iter func(*ast.Term) error) error {
		b, _ := bctx.Cancel.(*bound)
		if b != nil {
			b.at(bctx.Location)
		}
		if strings.HasPrefix(name, "numbers.range") {
			if n, ok := rangeCount(args, name == "numbers.range_step"); ok && n > MaxRange {
				return halt(bctx, fmt.Sprintf("%s: %.0f numbers, more than podlint's limit of %d", name, n, MaxRange))
			}
		}
		if b == nil {
			return orig(bctx, args, iter)
		}
		return orig(bctx, args, func(t *ast.Term) error {
			if b.built.Add(sizeOf(t.Value)) > MaxBuilt {
				return halt(bctx, fmt.Sprintf("%s: the values built for this document exceed podlint's limit of %d MiB", name, MaxBuilt>>20))
			}
			return iter(t)
		})
	}
}

// rangeCount is how many numbers a numbers.range or numbers.range_step call would make. args may
// end with the call's output, which is not an operand.
func rangeCount(args []*ast.Term, stepped bool) (float64, bool) {
	num := func(i int) (float64, bool) {
		if i == 2 && !stepped {
			return 1, true
		}
		n, ok := args[i].Value.(ast.Number)
		if !ok {
			return 0, false
		}
		f, ok := n.Float64()
		return f, ok
	}
	x, ok1 := num(0)
	y, ok2 := num(1)
	step, ok3 := num(2)
	if !ok1 || !ok2 || !ok3 || step <= 0 {
		return 0, false // OPA reports it
	}
	d := y - x
	if d < 0 {
		d = -d
	}
	return d/step + 1, true
}

// sizeOf is roughly what a value made by a builtin costs: its length for a string, a few words
// per element for a collection (whose elements were counted when they were made).
func sizeOf(v ast.Value) int64 {
	switch x := v.(type) {
	case ast.String:
		return int64(len(x))
	case *ast.Array:
		return int64(x.Len()) * 16
	case ast.Object:
		return int64(x.Len()) * 32
	case ast.Set:
		return int64(x.Len()) * 32
	}
	return 16
}

func localSchemaOnly(name string, arg int, orig topdown.BuiltinFunc) topdown.BuiltinFunc {
	return func(bctx topdown.BuiltinContext, args []*ast.Term, iter func(*ast.Term) error) error {
		if arg < len(args) {
			if ref := outsideRef(args[arg].Value); ref != "" {
				msg := "podlint loads no schema from files or the network: " + ref
				if name == "json.verify_schema" {
					return iter(ast.ArrayTerm(ast.BooleanTerm(false), ast.StringTerm("jsonschema: "+msg)))
				}
				return fmt.Errorf("%s", msg)
			}
		}
		return orig(bctx, args, iter)
	}
}

// outsideRef finds, in a JSON Schema given as an object or as JSON text, a reference that leaves
// the schema: a $ref that is not a fragment of the schema itself ("#/definitions/x"), or an $id
// or id other than a fragment (references would resolve against it). It returns it as
// written, or "".
func outsideRef(v ast.Value) string {
	var doc any
	switch x := v.(type) {
	case ast.String:
		if json.Unmarshal([]byte(x), &doc) != nil {
			return "" // not JSON: OPA refuses it
		}
	default:
		var err error
		if doc, err = ast.JSON(v); err != nil {
			return ""
		}
	}
	return findRef(doc, 0)
}

func findRef(v any, depth int) string {
	if depth > 10000 {
		return "a schema nested too deeply"
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			s, isString := val.(string)
			switch {
			case isString && k == "$ref" && !strings.HasPrefix(strings.TrimSpace(s), "#"):
				return `"$ref": "` + s + `"`
			case isString && (k == "$id" || k == "id") && !strings.HasPrefix(strings.TrimSpace(s), "#"):
				return `"` + k + `": "` + s + `"`
			}
			if r := findRef(val, depth+1); r != "" {
				return r
			}
		}
	case []any:
		for _, e := range x {
			if r := findRef(e, depth+1); r != "" {
				return r
			}
		}
	}
	return ""
}
