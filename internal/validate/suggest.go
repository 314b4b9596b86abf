package validate

import "strings"

// suggest returns the candidate closest to s by edit distance (ignoring case), when it is close enough
// to be a likely typo, else "". Ties go to the first candidate in order.
func suggest(s string, candidates []string) string {
	if s == "" {
		return ""
	}
	ls := strings.ToLower(s)
	best, bestDist := "", -1
	for _, c := range candidates {
		if c == s {
			continue
		}
		d := distance(ls, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > allowedDistance(len([]rune(s))) {
		return ""
	}
	return best
}

// onlySuggestion is suggest when its answer is the only one: no other candidate is as close. A fix
// may rename a field only then.
func onlySuggestion(s string, candidates []string) (string, bool) {
	best := suggest(s, candidates)
	if best == "" {
		return "", false
	}
	d := distance(strings.ToLower(s), strings.ToLower(best))
	for _, c := range candidates {
		if c != best && c != s && distance(strings.ToLower(s), strings.ToLower(c)) <= d {
			return "", false
		}
	}
	return best, true
}

// allowedDistance grows with the length of the word: one slip in a short name, more in a long one.
func allowedDistance(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// distance is the optimal string alignment distance: insertions, deletions, substitutions and
// transpositions of neighbours each cost one, so "contianers" is one step from "containers".
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
