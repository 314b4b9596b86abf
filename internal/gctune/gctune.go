// Package gctune sets how podlint collects garbage: not at all while the heap is small, which is
// every ordinary run, and in proportion to the live heap once it is large.
//
// A fixed memory limit with proportional collection off made the collector run back to back once
// the live heap passed the limit: a file of 40,000 pods took minutes. A limit moved after each
// collection lagged behind a live heap that grows through the run (the index of a run's objects
// does): it was set by a finalizer that ran late, so the collector ran with little room, often.
// Here collection stays proportional, and only its percentage moves: high enough that the heap
// grows to the floor before the first collection, then enough that the heap may grow by the floor
// above what is live, and 100 (GOGC's default: it may double) once the live heap is larger than
// the floor. The runtime applies the percentage to the live heap it has just measured, so a late
// update costs nothing. The room matters when the live heap grows through a run (the index of a
// run's objects does): the collector marks what is live each time, so it should not run often.
package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Floor is the heap size below which podlint never collects, and the least room it leaves above
// the live heap after a collection.
const Floor = 64 << 20

// minimumHeap is the runtime's smallest heap goal at GOGC=100; it scales with the percentage.
const minimumHeap = 4 << 20

// Start sets the first percentage and arms its updates. It does nothing when the user sets GOGC
// or GOMEMLIMIT (getenv is the environment lookup, os.Getenv in main).
func Start(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(PercentFor(0))
	if !active.Swap(true) {
		arm()
	}
}

// active says whether the percentage follows the heap; Stop clears it.
var active atomic.Bool

// Stop gives the collector back its defaults (GOGC=100), for benchmarks and tests that
// run other work in the same process afterwards.
func Stop() {
	active.Store(false)
	debug.SetGCPercent(100)
}

// PercentFor is the GC percentage to use after a collection that left live bytes on the heap (0:
// before the first): the next collection comes when the heap has grown by the floor, or by the
// live heap once that is more.
func PercentFor(live uint64) int {
	if live == 0 {
		return Floor / minimumHeap * 100
	}
	if live >= Floor {
		return 100
	}
	return int(Floor * 100 / live)
}

// sentinel is garbage from the moment it is made: its finalizer runs after each collection.
type sentinel struct {
	_ *int // a pointer, so that it is not batched with other tiny objects (their finalizers may never run)
	_ [16]byte
}

// adjusted, when set (by tests), receives each new percentage.
var adjusted func(int)

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		if !active.Load() {
			return
		}
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > 0 {
			percent := PercentFor(sample[0].Value.Uint64())
			debug.SetGCPercent(percent)
			if adjusted != nil {
				adjusted(percent)
			}
		}
		arm()
	})
}
