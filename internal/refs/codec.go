package refs

import (
	"encoding/binary"
	"errors"
	"sort"
)

// The repository cache is read on every run that names some files of a repository, so its form is
// made for reading fast: a table of strings, then each file's objects as varints that index it. A
// reflection-based encoder (gob) took most of a one-file run in a repository of 2,000 files.

type encoder struct {
	buf     []byte
	strings map[string]int
	table   []string
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int)     { e.buf = binary.AppendVarint(e.buf, int64(v)) }
func (e *encoder) bool(v bool) {
	if v {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

func (e *encoder) str(s string) {
	i, ok := e.strings[s]
	if !ok {
		i = len(e.table)
		e.strings[s] = i
		e.table = append(e.table, s)
	}
	e.uint(uint64(i))
}

func (e *encoder) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) labels(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e.uint(uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

// intOrString writes nil, an int or a string.
func (e *encoder) intOrString(v any) {
	switch x := v.(type) {
	case int:
		e.uint(1)
		e.int(x)
	case string:
		e.uint(2)
		e.str(x)
	default:
		e.uint(0)
	}
}

func (e *encoder) object(o *Object) {
	e.str(o.APIVersion)
	e.str(o.Kind)
	e.str(o.Name)
	e.str(o.Namespace)
	e.bool(o.NamespaceSet)
	e.labels(o.Labels)
	e.int(o.At)
	e.uint(uint64(len(o.Pods)))
	for _, p := range o.Pods {
		e.labels(p.Labels)
		e.int(p.At)
		e.bool(p.Templated)
		e.uint(uint64(len(p.Ports)))
		for _, pt := range p.Ports {
			e.str(pt.Name)
			e.int(pt.Number)
			e.str(pt.Protocol)
			e.str(pt.Container)
		}
	}
	e.bool(o.Selector != nil)
	if s := o.Selector; s != nil {
		e.str(s.Field)
		e.labels(s.MatchLabels)
		e.int(s.At)
		e.uint(uint64(len(s.Expressions)))
		for _, r := range s.Expressions {
			e.str(r.Key)
			e.str(r.Operator)
			e.strs(r.Values)
		}
	}
	e.bool(o.Service != nil)
	if s := o.Service; s != nil {
		e.str(s.Type)
		e.str(s.ClusterIP)
		e.uint(uint64(len(s.Ports)))
		for _, p := range s.Ports {
			e.str(p.Name)
			e.int(p.Port)
			e.str(p.Protocol)
			e.intOrString(p.TargetPort)
			e.int(p.At)
		}
	}
	e.uint(uint64(len(o.Refs)))
	for _, r := range o.Refs {
		e.str(r.Field)
		e.str(r.APIVersion)
		e.str(r.Kind)
		e.str(r.Name)
		e.intOrString(r.Port)
		e.int(r.At)
		e.int(r.PortAt)
	}
	e.bool(o.Templated)
	e.strs(o.Ignore)
	e.uint(uint64(len(o.Locs)))
	for _, l := range o.Locs {
		// repository objects are only pointed at (related locations): positions are enough
		e.int(l.Line)
		e.int(l.Column)
		e.int(l.EndLine)
		e.int(l.EndColumn)
	}
}

// encodeCache writes a cache file: format, key, root, then the files sorted by path.
func encodeCache(c *cacheFile) []byte {
	body := &encoder{strings: map[string]int{}}
	body.str(c.Format)
	body.str(c.Key)
	body.str(c.Root)
	rels := make([]string, 0, len(c.Files))
	for rel := range c.Files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	body.uint(uint64(len(rels)))
	for _, rel := range rels {
		f := c.Files[rel]
		body.str(rel)
		body.int(int(f.Size))
		body.buf = binary.AppendVarint(body.buf, f.ModTime)
		body.bool(f.Broken)
		body.uint(uint64(len(f.Objects)))
		for _, o := range f.Objects {
			body.object(o)
		}
	}
	var out []byte
	out = append(out, cacheFormat...)
	out = append(out, '\n')
	out = binary.AppendUvarint(out, uint64(len(body.table)))
	for _, s := range body.table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, body.buf...)
}

var errCorrupt = errors.New("corrupt cache")

type decoder struct {
	buf   []byte
	table []string
	err   error
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) int() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.buf = d.buf[n:]
	return int(v)
}

func (d *decoder) bool() bool { return d.uint() == 1 }

func (d *decoder) str() string {
	i := d.uint()
	if i >= uint64(len(d.table)) {
		d.err = errCorrupt
		return ""
	}
	return d.table[i]
}

// count reads a length, refusing one larger than what is left (each entry takes a byte at least).
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.buf)) {
		d.err = errCorrupt
		return 0
	}
	return int(n)
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) labels() map[string]string {
	n := d.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *decoder) intOrString() any {
	switch d.uint() {
	case 1:
		return d.int()
	case 2:
		return d.str()
	}
	return nil
}

func (d *decoder) object(file string) *Object {
	o := &Object{APIVersion: d.str(), Kind: d.str(), Name: d.str(), Namespace: d.str(), NamespaceSet: d.bool(), Labels: d.labels(), At: d.int()}
	for range d.count() {
		p := Pod{Labels: d.labels(), At: d.int(), Templated: d.bool()}
		for range d.count() {
			p.Ports = append(p.Ports, Port{Name: d.str(), Number: d.int(), Protocol: d.str(), Container: d.str()})
		}
		o.Pods = append(o.Pods, p)
	}
	if d.bool() {
		s := &Selector{Field: d.str(), MatchLabels: d.labels(), At: d.int()}
		for range d.count() {
			s.Expressions = append(s.Expressions, Requirement{Key: d.str(), Operator: d.str(), Values: d.strs()})
		}
		o.Selector = s
	}
	if d.bool() {
		s := &Service{Type: d.str(), ClusterIP: d.str()}
		for range d.count() {
			s.Ports = append(s.Ports, ServicePort{Name: d.str(), Port: d.int(), Protocol: d.str(), TargetPort: d.intOrString(), At: d.int()})
		}
		o.Service = s
	}
	for range d.count() {
		o.Refs = append(o.Refs, Ref{Field: d.str(), APIVersion: d.str(), Kind: d.str(), Name: d.str(), Port: d.intOrString(), At: d.int(), PortAt: d.int()})
	}
	o.Templated = d.bool()
	o.Ignore = d.strs()
	n := d.count()
	o.Locs = make([]Loc, n)
	for i := range o.Locs {
		o.Locs[i] = Loc{File: file, Line: d.int(), Column: d.int(), EndLine: d.int(), EndColumn: d.int()}
	}
	if d.err == nil && (o.At < 0 || o.At >= len(o.Locs)) {
		d.err = errCorrupt
	}
	return o
}

// decodeCache reads what encodeCache wrote. Positions name files by their path relative to the
// root, as they were written.
func decodeCache(data []byte) (*cacheFile, error) {
	head := []byte(cacheFormat + "\n")
	if len(data) < len(head) || string(data[:len(head)]) != string(head) {
		return nil, errCorrupt
	}
	d := &decoder{buf: data[len(head):]}
	n := d.count()
	d.table = make([]string, 0, n)
	for range n {
		l := d.count()
		if d.err != nil {
			return nil, d.err
		}
		d.table = append(d.table, string(d.buf[:l]))
		d.buf = d.buf[l:]
	}
	c := &cacheFile{Format: d.str(), Key: d.str(), Root: d.str(), Files: map[string]cachedFile{}}
	for range d.count() {
		rel := d.str()
		f := cachedFile{Size: int64(d.int())}
		if d.err != nil {
			return nil, d.err
		}
		mt, k := binary.Varint(d.buf)
		if k <= 0 {
			return nil, errCorrupt
		}
		d.buf = d.buf[k:]
		f.ModTime = mt
		f.Broken = d.bool()
		for range d.count() {
			f.Objects = append(f.Objects, d.object(rel))
		}
		c.Files[rel] = f
	}
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}
