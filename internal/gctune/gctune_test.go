package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestLimitFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, Floor},
		{10 << 20, Floor},
		{28 << 20, Floor},
		{100 << 20, 200<<20 + overhead},
		{1 << 30, 2<<30 + overhead},
	} {
		if got := LimitFor(c.live); got != c.want {
			t.Errorf("LimitFor(%d) = %d, want %d", c.live, got, c.want)
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

// After a collection that leaves a large live heap, the limit moves above it, so the collector
// does not run back to back; the test waits for the finalizer, it does not time anything.
func TestLimitFollowsLiveHeap(t *testing.T) {
	defer Stop()
	limits := make(chan int64, 16)
	adjusted = func(l int64) {
		select {
		case limits <- l:
		default:
		}
	}
	defer func() { adjusted = nil }()
	Start(func(string) string { return "" })
	live := make([][]byte, 0, 160)
	for range 160 {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.After(time.Minute)
	for {
		runtime.GC()
		select {
		case l := <-limits:
			if l >= 2*160<<20 {
				runtime.KeepAlive(live)
				return
			}
		case <-deadline:
			t.Fatal("the limit never moved above twice the live heap")
		case <-time.After(100 * time.Millisecond):
		}
	}
}
