package fix

import (
	"bytes"
	"fmt"
	"strings"
)

// contextLines is how many unchanged lines a hunk shows around a change, as diff -u does.
const contextLines = 3

// Diff writes the change of one file as a unified diff (a/NAME, b/NAME), the way `diff -u` and
// `git diff` write it, so that `patch -p1` or `git apply` can apply it. Line breaks are kept as
// they are, CR included.
func Diff(name string, before, after []byte) string {
	a, aFinal := splitLines(before)
	b, bFinal := splitLines(after)
	ops := diffLines(a, b)
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	// group the operations into hunks with their context
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-contextLines, 0)
		for start < i && ops[start].kind != ' ' {
			start++
		}
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*contextLines {
				end = min(end+contextLines, run)
				break
			}
			end = run
		}
		aStart, bStart := ops[start].a, ops[start].b
		aCount, bCount := 0, 0
		var body strings.Builder
		for _, op := range ops[start:end] {
			var text string
			final := false
			switch op.kind {
			case ' ':
				aCount++
				bCount++
				text, final = a[op.a], op.a == len(a)-1 && !aFinal
			case '-':
				aCount++
				text, final = a[op.a], op.a == len(a)-1 && !aFinal
			case '+':
				bCount++
				text, final = b[op.b], op.b == len(b)-1 && !bFinal
			}
			body.WriteByte(op.kind)
			body.WriteString(text)
			body.WriteByte('\n')
			if final {
				body.WriteString("\\ No newline at end of file\n")
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n%s", hunkRange(aStart, aCount), hunkRange(bStart, bCount), body.String())
		i = end
	}
	return out.String()
}

func hunkRange(start, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if count == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

// splitLines cuts text into lines without their \n (a \r stays), and says whether the text ends
// with a line break.
func splitLines(data []byte) ([]string, bool) {
	if len(data) == 0 {
		return nil, true
	}
	final := bytes.HasSuffix(data, []byte("\n"))
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), final
}

// op is one line of an edit script: kept (' '), removed ('-') or added ('+'), with its index in the
// old (a) and new (b) text (for a kept line both; for the others, where it would go in the other).
type op struct {
	kind byte
	a, b int
}

// diffLines computes a shortest edit script between two line lists with Myers' algorithm, after
// taking off the common start and end (fixes change a few lines of a file).
func diffLines(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []op
	for i := 0; i < pre; i++ {
		ops = append(ops, op{' ', i, i})
	}
	for _, o := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		o.a += pre
		o.b += pre
		ops = append(ops, o)
	}
	for i := 0; i < suf; i++ {
		ops = append(ops, op{' ', len(a) - suf + i, len(b) - suf + i})
	}
	return ops
}

func myers(a, b []string) []op {
	n, m := len(a), len(b)
	maxD := n + m
	if maxD == 0 {
		return nil
	}
	offset := maxD + 1
	v := make([]int, 2*maxD+4)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		// the furthest points after d-1 steps, for diagonals -d-1 .. d+1: all the backtrack reads
		trace = append(trace, append([]int(nil), v[offset-d-1:offset+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1]
			} else {
				x = v[offset+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, d, k)
			}
		}
	}
	return nil
}

func backtrack(trace [][]int, a, b []string, d, k int) []op {
	var rev []op
	x, y := len(a), len(b)
	for ; d > 0; d-- {
		snap := trace[d]
		at := func(k int) int { return snap[k+d+1] } // snap starts at diagonal -d-1
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, op{' ', x, y})
		}
		if x == prevX {
			y--
			rev = append(rev, op{'+', x, y})
		} else {
			x--
			rev = append(rev, op{'-', x, y})
		}
		k = prevK
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, op{' ', x, y})
	}
	ops := make([]op, len(rev))
	for i, o := range rev {
		ops[len(rev)-1-i] = o
	}
	return ops
}
