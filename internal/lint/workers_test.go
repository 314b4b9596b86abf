package lint

import "testing"

func TestWorkerCount(t *testing.T) {
	for _, c := range []struct{ asked, units, procs, want int }{
		{0, 100, 2, 2},
		{1, 100, 2, 1},
		{1000000, 2000, 2, 2}, // -j 1000000 used to start a worker per file
		{8, 3, 16, 3},
		{4, 0, 2, 0},
	} {
		if got := workerCount(c.asked, c.units, c.procs); got != c.want {
			t.Errorf("workerCount(%d, %d, %d) = %d, want %d", c.asked, c.units, c.procs, got, c.want)
		}
	}
}
