package policy

import (
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Marking repeated ports in Go keeps port-conflict linear: the rule reads each port's mark instead
// of comparing every port with every earlier one, which took minutes for a pod of a few thousand
// containers all declaring port 80.

// portEntry is one declared port with what the marks need to know about its container.
type portEntry struct {
	container  int
	concurrent bool // the container runs beside the pod's other concurrent containers
	sidecar    bool // a native sidecar: already running when later init containers start
	port       *ast.Term
	protocol   *ast.Term
	hostPort   *ast.Term
	hostIP     *ast.Term
	name       *ast.Term
	index      int // in its container's ports list
	path       *ast.Term
	// repeats and hostRepeats are the index (in the pod's ports) of the first earlier port this one
	// clashes with, or -1.
	repeats, hostRepeats int
}

// first remembers the first entry of a set of ports and the first one whose port differs from it,
// which answers "the first entry whose port is not p" for any p.
type first struct{ any, other int }

func newFirst() *first { return &first{-1, -1} }

func (f *first) add(i int, ports []portEntry) {
	switch {
	case f.any < 0:
		f.any = i
	case f.other < 0 && ast.Compare(ports[f.any].port.Value, ports[i].port.Value) != 0:
		f.other = i
	}
}

// firstNot is the first entry whose port is not p (or the first entry at all when anyPort).
func (f *first) firstNot(p *ast.Term, anyPort bool, ports []portEntry) int {
	if f.any < 0 || anyPort || ast.Compare(ports[f.any].port.Value, p.Value) != 0 {
		return f.any
	}
	return f.other
}

// byAddress splits a set of ports by the host address they bind: every address (hostIP unset or
// 0.0.0.0) or one address.
type byAddress struct {
	all, wildcard *first
	address       map[string]*first
}

func newByAddress() *byAddress {
	return &byAddress{all: newFirst(), wildcard: newFirst(), address: map[string]*first{}}
}

func wildcardIP(t *ast.Term) bool {
	s, ok := t.Value.(ast.String)
	return ok && (s == "" || s == "0.0.0.0")
}

func (b *byAddress) add(i int, ports []portEntry) {
	b.all.add(i, ports)
	ip := ports[i].hostIP
	if wildcardIP(ip) {
		b.wildcard.add(i, ports)
		return
	}
	orNew(b.address, ip.Value.String(), newFirst).add(i, ports)
}

// clash is the first entry bound to an address that overlaps ip, whose port is not p.
func (b *byAddress) clash(ip, p *ast.Term, anyPort bool, ports []portEntry) int {
	if wildcardIP(ip) {
		return b.all.firstNot(p, anyPort, ports)
	}
	best := b.wildcard.firstNot(p, anyPort, ports)
	if f := b.address[ip.Value.String()]; f != nil {
		best = earliest(best, f.firstNot(p, anyPort, ports))
	}
	return best
}

func earliest(a, b int) int {
	if a < 0 || (b >= 0 && b < a) {
		return b
	}
	return a
}

// timeline holds the ports seen so far of one group (one port and protocol, or one hostPort and
// protocol) by when their containers run: an earlier port clashes with a later one when both are in
// the same container, both containers are concurrent, or the earlier is a native sidecar and the
// later an ordinary init container (which starts while the sidecar runs).
type timeline struct {
	concurrent, sidecars, current *byAddress
	container                     int
}

func newTimeline() *timeline {
	return &timeline{concurrent: newByAddress(), sidecars: newByAddress(), container: -1}
}

// clash is the first earlier port that runs at the same time as ports[i] (and, for host ports, binds
// an overlapping address with a different containerPort; anyPort and the address test off for
// containerPorts, whose whole group binds the pod's one network namespace).
func (t *timeline) clash(i int, ports []portEntry, host bool) int {
	e := ports[i]
	ip := e.hostIP
	if !host {
		ip = ast.InternedTerm("") // every containerPort shares the pod's address
	}
	best := -1
	if t.container == e.container {
		best = t.current.clash(ip, e.port, !host, ports)
	}
	if e.concurrent {
		best = earliest(best, t.concurrent.clash(ip, e.port, !host, ports))
	} else {
		best = earliest(best, t.sidecars.clash(ip, e.port, !host, ports))
	}
	return best
}

func (t *timeline) add(i int, ports []portEntry) {
	e := ports[i]
	if t.container != e.container {
		t.container, t.current = e.container, newByAddress()
	}
	t.current.add(i, ports)
	if e.concurrent {
		t.concurrent.add(i, ports)
	}
	if e.sidecar {
		t.sidecars.add(i, ports)
	}
}

// markRepeats sets repeats and hostRepeats of every entry, in one pass.
func markRepeats(ports []portEntry) {
	for i := range ports {
		ports[i].repeats, ports[i].hostRepeats = -1, -1
	}
	if !mayRepeat(ports) {
		return // the common case: every port declared once, no maps to build
	}
	byPort := map[string]*timeline{}
	byHost := map[string]*timeline{}
	for i := range ports {
		e := &ports[i]
		t := orNew(byPort, groupKey(e.port)+"/"+groupKey(e.protocol), newTimeline)
		e.repeats = t.clash(i, ports, false)
		t.add(i, ports)
		if ast.Compare(e.hostPort.Value, ast.Number("0")) == 0 {
			continue
		}
		h := orNew(byHost, groupKey(e.hostPort)+"/"+groupKey(e.protocol), newTimeline)
		e.hostRepeats = h.clash(i, ports, true)
		h.add(i, ports)
	}
}

// groupKey names a value so that values Rego finds equal share it (8080 and 8080.0 are one port).
func groupKey(t *ast.Term) string {
	if n, ok := t.Value.(ast.Number); ok {
		if i, ok := n.Int64(); ok {
			return strconv.FormatInt(i, 10)
		}
	}
	return t.Value.String()
}

// mayRepeat says whether two entries share a port and protocol, or a hostPort: only then can
// anything clash. Pods declare a handful of ports, so pairs are compared directly.
func mayRepeat(ports []portEntry) bool {
	if len(ports) > 32 {
		return true // let the maps find out
	}
	for i := range ports {
		for j := range i {
			a, b := &ports[j], &ports[i]
			if ast.Compare(a.port.Value, b.port.Value) == 0 && ast.Compare(a.protocol.Value, b.protocol.Value) == 0 {
				return true
			}
			if ast.Compare(a.hostPort.Value, b.hostPort.Value) == 0 && ast.Compare(b.hostPort.Value, ast.Number("0")) != 0 {
				return true
			}
		}
	}
	return false
}

// orNew returns m[k], first storing a new value there when there is none.
func orNew[T any](m map[string]*T, k string, make func() *T) *T {
	v := m[k]
	if v == nil {
		v = make()
		m[k] = v
	}
	return v
}
