// Package gctune sets how podlint collects garbage: not at all while the heap is small, which is
// every ordinary run, and in proportion to the live heap once it is large.
//
// A fixed memory limit with proportional collection off made the collector run back to back once
// the live heap passed the limit: a file of 40,000 pods took minutes. Here the limit moves: after
// each collection it is set to twice the live heap (what GOGC=100 gives), and never below the floor.
package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Floor is the heap size below which podlint never collects.
const Floor = 64 << 20

// overhead is room for what the memory limit counts besides the heap: stacks, runtime structures.
const overhead = 8 << 20

// Start turns proportional collection off and sets the moving limit. It does nothing when the user
// sets GOGC or GOMEMLIMIT (getenv is the environment lookup, os.Getenv in main).
func Start(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(Floor)
	if !active.Swap(true) {
		arm()
	}
}

// active says whether the limit follows the heap; Stop clears it.
var active atomic.Bool

// Stop gives the collector back its defaults (GOGC=100, no limit), for benchmarks and tests that
// run other work in the same process afterwards.
func Stop() {
	active.Store(false)
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(-1 >> 1)
}

// LimitFor is the memory limit to use after a collection that left live bytes on the heap.
func LimitFor(live uint64) int64 {
	if l := int64(2*live + overhead); l > Floor {
		return l
	}
	return Floor
}

// sentinel is garbage from the moment it is made: its finalizer runs after each collection.
type sentinel struct {
	_ *int // a pointer, so that it is not batched with other tiny objects (their finalizers may never run)
	_ [16]byte
}

// adjusted, when set (by tests), receives each new limit.
var adjusted func(int64)

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		if !active.Load() {
			return
		}
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			limit := LimitFor(sample[0].Value.Uint64())
			debug.SetMemoryLimit(limit)
			if adjusted != nil {
				adjusted(limit)
			}
		}
		arm()
	})
}
