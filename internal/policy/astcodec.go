package policy

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// A compact binary form of compiled Rego modules. Decoding it builds the same AST that parsing the
// printed modules builds, in a tenth of the time: the parser's cost is most of what is left of
// loading compiled rules. It covers exactly the nodes that compiled modules contain; the encoder
// refuses anything else, so a new kind of node fails `go generate`, never a podlint run.
//
// Layout: the format version, the string table (every name and literal once), then each module:
// its file, package path and rules. Integers are unsigned varints; strings are indexes into the
// table. Locations keep file, row and column (what errors print); terms share their expression's.

const astCodecVersion = 1

// term tags
const (
	tagNull = iota
	tagFalse
	tagTrue
	tagNumber
	tagString
	tagVar
	tagRef
	tagArray
	tagObject
	tagSet
	tagArrayCompr
	tagSetCompr
	tagObjectCompr
	tagCall
)

// expression kinds
const (
	exprTerm = iota
	exprCall
	exprSome
	exprEvery
)

type astEncoder struct {
	strings []string
	index   map[string]int
	body    []byte
}

func (e *astEncoder) uint(n int) {
	if n < 0 {
		panic("negative")
	}
	e.body = binary.AppendUvarint(e.body, uint64(n))
}

func (e *astEncoder) bool(b bool) {
	if b {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

func (e *astEncoder) str(s string) {
	i, ok := e.index[s]
	if !ok {
		i = len(e.strings)
		e.strings = append(e.strings, s)
		e.index[s] = i
	}
	e.uint(i)
}

func (e *astEncoder) loc(l *ast.Location) {
	if l == nil {
		e.uint(0)
		e.uint(0)
		return
	}
	e.uint(l.Row)
	e.uint(l.Col)
}

// encodeModules writes modules (in the given order of names) in the binary form.
func encodeModules(names []string, modules map[string]*ast.Module) ([]byte, error) {
	e := &astEncoder{index: map[string]int{}}
	e.uint(len(names))
	for _, name := range names {
		m := modules[name]
		e.str(name)
		if err := e.terms(m.Package.Path); err != nil {
			return nil, err
		}
		if len(m.Imports) > 0 {
			return nil, fmt.Errorf("%s: compiled module still has imports", name)
		}
		e.uint(len(m.Rules))
		for _, r := range m.Rules {
			if err := e.rule(r); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	out := binary.AppendUvarint(nil, astCodecVersion)
	out = binary.AppendUvarint(out, uint64(len(e.strings)))
	for _, s := range e.strings {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, e.body...), nil
}

func (e *astEncoder) rule(r *ast.Rule) error {
	e.loc(r.Location)
	e.bool(r.Default)
	h := r.Head
	e.loc(h.Location)
	e.str(string(h.Name))
	if err := e.terms(h.Reference); err != nil {
		return err
	}
	if err := e.terms(h.Args); err != nil {
		return err
	}
	if err := e.optTerm(h.Key); err != nil {
		return err
	}
	if err := e.optTerm(h.Value); err != nil {
		return err
	}
	e.bool(h.Assign)
	if err := e.body_(r.Body); err != nil {
		return err
	}
	if r.Else == nil {
		e.uint(0)
		return nil
	}
	e.uint(1)
	return e.rule(r.Else)
}

func (e *astEncoder) body_(b ast.Body) error {
	e.uint(len(b))
	for _, x := range b {
		if x.Index < 0 {
			return fmt.Errorf("expression with a negative index")
		}
		e.loc(x.Location)
		e.uint(x.Index)
		e.bool(x.Negated)
		e.bool(x.Generated)
		e.uint(len(x.With))
		for _, w := range x.With {
			if err := e.term(w.Target); err != nil {
				return err
			}
			if err := e.term(w.Value); err != nil {
				return err
			}
		}
		switch t := x.Terms.(type) {
		case *ast.Term:
			e.uint(exprTerm)
			if err := e.term(t); err != nil {
				return err
			}
		case []*ast.Term:
			e.uint(exprCall)
			if err := e.terms(t); err != nil {
				return err
			}
		case *ast.SomeDecl:
			e.uint(exprSome)
			if err := e.terms(t.Symbols); err != nil {
				return err
			}
		case *ast.Every:
			e.uint(exprEvery)
			for _, x := range []*ast.Term{t.Key, t.Value, t.Domain} {
				if err := e.optTerm(x); err != nil {
					return err
				}
			}
			if err := e.body_(t.Body); err != nil {
				return err
			}
		default:
			return fmt.Errorf("expression of type %T", x.Terms)
		}
	}
	return nil
}

func (e *astEncoder) optTerm(t *ast.Term) error {
	if t == nil {
		e.uint(0)
		return nil
	}
	e.uint(1)
	return e.term(t)
}

func (e *astEncoder) terms(ts []*ast.Term) error {
	e.uint(len(ts))
	for _, t := range ts {
		if err := e.term(t); err != nil {
			return err
		}
	}
	return nil
}

func (e *astEncoder) term(t *ast.Term) error {
	switch v := t.Value.(type) {
	case ast.Null:
		e.uint(tagNull)
	case ast.Boolean:
		if v {
			e.uint(tagTrue)
		} else {
			e.uint(tagFalse)
		}
	case ast.Number:
		e.uint(tagNumber)
		e.str(string(v))
	case ast.String:
		e.uint(tagString)
		e.str(string(v))
	case ast.Var:
		e.uint(tagVar)
		e.str(string(v))
	case ast.Ref:
		e.uint(tagRef)
		return e.terms(v)
	case ast.Call:
		e.uint(tagCall)
		return e.terms(v)
	case *ast.Array:
		e.uint(tagArray)
		e.uint(v.Len())
		var err error
		v.Foreach(func(x *ast.Term) {
			if err == nil {
				err = e.term(x)
			}
		})
		return err
	case ast.Set:
		e.uint(tagSet)
		return e.terms(v.Slice())
	case ast.Object:
		e.uint(tagObject)
		e.uint(v.Len())
		var err error
		v.Foreach(func(k, x *ast.Term) {
			if err == nil {
				err = e.term(k)
			}
			if err == nil {
				err = e.term(x)
			}
		})
		return err
	case *ast.ArrayComprehension:
		e.uint(tagArrayCompr)
		if err := e.term(v.Term); err != nil {
			return err
		}
		return e.body_(v.Body)
	case *ast.SetComprehension:
		e.uint(tagSetCompr)
		if err := e.term(v.Term); err != nil {
			return err
		}
		return e.body_(v.Body)
	case *ast.ObjectComprehension:
		e.uint(tagObjectCompr)
		if err := e.term(v.Key); err != nil {
			return err
		}
		if err := e.term(v.Value); err != nil {
			return err
		}
		return e.body_(v.Body)
	default:
		return fmt.Errorf("term of type %T", t.Value)
	}
	return nil
}

var errCorrupt = errors.New("corrupt compiled rules")

type astDecoder struct {
	buf     []byte
	strings []string
	file    string
	err     error
	// Terms, locations, expressions and term slices are handed out from blocks: one allocation
	// for many small objects, which is most of what decoding costs otherwise.
	termBlock     []ast.Term
	locationBlock []ast.Location
	exprBlock     []ast.Expr
	sliceBlock    []*ast.Term
}

const decodeBlock = 512

func (d *astDecoder) newTerm(v ast.Value, l *ast.Location) *ast.Term {
	if len(d.termBlock) == 0 {
		d.termBlock = make([]ast.Term, decodeBlock)
	}
	t := &d.termBlock[0]
	d.termBlock = d.termBlock[1:]
	t.Value, t.Location = v, l
	return t
}

func (d *astDecoder) uint() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf)
	if n <= 0 || v > 1<<31 {
		d.err = errCorrupt
		return 0
	}
	d.buf = d.buf[n:]
	return int(v)
}

// count reads a length, refusing one larger than what is left of the input (each element takes at
// least a byte), so that corrupt input cannot make the decoder allocate without bound.
func (d *astDecoder) count() int {
	n := d.uint()
	if n > len(d.buf) {
		d.err = errCorrupt
		return 0
	}
	return n
}

func (d *astDecoder) str() string {
	i := d.uint()
	if i >= len(d.strings) {
		d.err = errCorrupt
		return ""
	}
	return d.strings[i]
}

func (d *astDecoder) loc() *ast.Location {
	row, col := d.uint(), d.uint()
	if len(d.locationBlock) == 0 {
		d.locationBlock = make([]ast.Location, decodeBlock)
	}
	l := &d.locationBlock[0]
	d.locationBlock = d.locationBlock[1:]
	l.File, l.Row, l.Col = d.file, row, col
	return l
}

// decodeModules reads what encodeModules wrote.
func decodeModules(data []byte) (map[string]*ast.Module, error) {
	d := &astDecoder{buf: data}
	if d.uint() != astCodecVersion {
		return nil, fmt.Errorf("compiled rules: format version is not %d", astCodecVersion)
	}
	n := d.count()
	d.strings = make([]string, n)
	for i := range d.strings {
		l := d.count()
		if d.err != nil {
			break
		}
		d.strings[i] = string(d.buf[:l])
		d.buf = d.buf[l:]
	}
	modules := map[string]*ast.Module{}
	nm := d.count()
	for i := 0; i < nm && d.err == nil; i++ {
		d.file = d.str()
		m := &ast.Module{}
		m.SetRegoVersion(ast.RegoV1)
		pkgLoc := &ast.Location{File: d.file, Row: 1, Col: 1}
		m.Package = &ast.Package{Path: ast.Ref(d.terms(pkgLoc)), Location: pkgLoc}
		nr := d.count()
		m.Rules = make([]*ast.Rule, 0, nr)
		for j := 0; j < nr && d.err == nil; j++ {
			m.Rules = append(m.Rules, d.rule(m))
		}
		modules[d.file] = m
	}
	if d.err == nil && len(d.buf) != 0 {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, d.err
	}
	return modules, nil
}

func (d *astDecoder) rule(m *ast.Module) *ast.Rule {
	r := &ast.Rule{Module: m, Location: d.loc()}
	r.Default = d.uint() == 1
	hl := d.loc()
	h := &ast.Head{Location: hl, Name: ast.Var(d.str())}
	h.Reference = ast.Ref(d.terms(hl))
	h.Args = ast.Args(d.terms(hl))
	h.Key = d.optTerm(hl)
	h.Value = d.optTerm(hl)
	h.Assign = d.uint() == 1
	r.Head = h
	r.Body = d.body()
	if d.uint() == 1 && d.err == nil {
		r.Else = d.rule(m)
	}
	return r
}

func (d *astDecoder) body() ast.Body {
	n := d.count()
	b := make(ast.Body, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		if len(d.exprBlock) == 0 {
			d.exprBlock = make([]ast.Expr, decodeBlock)
		}
		x := &d.exprBlock[0]
		d.exprBlock = d.exprBlock[1:]
		x.Location = d.loc()
		x.Index = d.uint()
		x.Negated = d.uint() == 1
		x.Generated = d.uint() == 1
		if nw := d.count(); nw > 0 {
			x.With = make([]*ast.With, nw)
			for j := range x.With {
				x.With[j] = &ast.With{Target: d.term(x.Location), Value: d.term(x.Location), Location: x.Location}
			}
		}
		switch d.uint() {
		case exprTerm:
			x.Terms = d.term(x.Location)
		case exprCall:
			x.Terms = d.terms(x.Location)
		case exprSome:
			x.Terms = &ast.SomeDecl{Symbols: d.terms(x.Location), Location: x.Location}
		case exprEvery:
			ev := &ast.Every{Location: x.Location}
			ev.Key, ev.Value, ev.Domain = d.optTerm(x.Location), d.optTerm(x.Location), d.optTerm(x.Location)
			ev.Body = d.body()
			x.Terms = ev
		default:
			d.err = errCorrupt
		}
		b = append(b, x)
	}
	return b
}

func (d *astDecoder) optTerm(l *ast.Location) *ast.Term {
	if d.uint() == 0 {
		return nil
	}
	return d.term(l)
}

func (d *astDecoder) terms(l *ast.Location) []*ast.Term {
	n := d.count()
	if n == 0 {
		return nil
	}
	if len(d.sliceBlock) < n {
		d.sliceBlock = make([]*ast.Term, max(n, decodeBlock))
	}
	ts := d.sliceBlock[:n:n] // full slice expression: an append by OPA copies rather than overwrites
	d.sliceBlock = d.sliceBlock[n:]
	for i := range ts {
		ts[i] = d.term(l)
	}
	return ts
}

func (d *astDecoder) term(l *ast.Location) *ast.Term {
	var v ast.Value
	switch d.uint() {
	case tagNull:
		v = ast.Null{}
	case tagFalse:
		v = ast.Boolean(false)
	case tagTrue:
		v = ast.Boolean(true)
	case tagNumber:
		v = ast.Number(d.str())
	case tagString:
		v = ast.String(d.str())
	case tagVar:
		v = ast.Var(d.str())
	case tagRef:
		v = ast.Ref(d.terms(l))
	case tagCall:
		v = ast.Call(d.terms(l))
	case tagArray:
		v = ast.NewArray(d.terms(l)...)
	case tagSet:
		v = ast.NewSet(d.terms(l)...)
	case tagObject:
		n := d.count()
		items := make([][2]*ast.Term, n)
		for i := range items {
			items[i] = [2]*ast.Term{d.term(l), d.term(l)}
		}
		v = ast.NewObject(items...)
	case tagArrayCompr:
		v = &ast.ArrayComprehension{Term: d.term(l), Body: d.body()}
	case tagSetCompr:
		v = &ast.SetComprehension{Term: d.term(l), Body: d.body()}
	case tagObjectCompr:
		v = &ast.ObjectComprehension{Key: d.term(l), Value: d.term(l), Body: d.body()}
	default:
		d.err = errCorrupt
		v = ast.Null{}
	}
	return d.newTerm(v, l)
}
