package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 1600}, // the runtime's 4 MiB minimum heap, times 16: the floor
		{8 << 20, 800},
		{16 << 20, 400},
		{48 << 20, 133},
		{64 << 20, 100},
		{100 << 20, 100},
		{1 << 30, 100},
	} {
		if got := PercentFor(c.live); got != c.want {
			t.Errorf("PercentFor(%d) = %d, want %d", c.live, got, c.want)
		}
		// the heap may grow by at least the floor (up to rounding) before the next collection
		if c.live > 0 {
			if room := c.live * uint64(PercentFor(c.live)) / 100; room+c.live/100 < Floor {
				t.Errorf("live %d: room %d, less than the floor", c.live, room)
			}
		}
	}
}

func TestStartRespectsEnvironment(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	Start(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set by the user, yet Start changed the GC percent to %d", got)
	}
}

// After a collection that leaves a large live heap, the percentage comes down to 100, so the heap
// grows in proportion; the test waits for the finalizer, it does not time anything.
func TestPercentFollowsLiveHeap(t *testing.T) {
	defer Stop()
	limits := make(chan int, 16)
	adjusted = func(l int) {
		select {
		case limits <- l:
		default:
		}
	}
	defer func() { adjusted = nil }()
	Start(func(string) string { return "" })
	if got := debug.SetGCPercent(-1); got != PercentFor(0) {
		t.Fatalf("Start set the GC percent to %d, want %d", got, PercentFor(0))
	}
	debug.SetGCPercent(PercentFor(0))
	live := make([][]byte, 0, 160)
	for range 160 {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.After(time.Minute)
	for {
		runtime.GC()
		select {
		case l := <-limits:
			if l == 100 {
				runtime.KeepAlive(live)
				return
			}
		case <-deadline:
			t.Fatal("the percentage never came down to 100 with 160 MiB live")
		case <-time.After(100 * time.Millisecond):
		}
	}
}
