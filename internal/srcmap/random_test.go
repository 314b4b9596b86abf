package srcmap

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/template"
)

// chartGen writes random chart-like templates whose rendered lines tell where they come from: a
// literal line carries a key k<id> found on exactly one template line, and every line an action
// writes carries "@<line>", the template line of the action. The template is executed with Go's
// text/template, so the rendering is exactly what the engine writes, and the map must send each
// rendered line to the line it names.
type chartGen struct {
	r       *rand.Rand
	lines   []string
	keyLine map[int]int // key id → template line
	literal map[int]bool
	id      int
	size    int
}

func (g *chartGen) add(s string) int {
	g.lines = append(g.lines, s)
	return len(g.lines)
}

func (g *chartGen) key() int {
	g.id++
	return g.id
}

func (g *chartGen) seq(depth int, ind string) {
	n := 1 + g.r.IntN(5)
	for i := 0; i < n && len(g.lines) < g.size; i++ {
		g.element(depth, ind)
	}
}

func (g *chartGen) element(depth int, ind string) {
	trim := "-"
	if g.r.IntN(4) == 0 {
		trim = "" // no trim marker: control lines leave blank lines
	}
	choice := g.r.IntN(12)
	if depth >= 3 && choice >= 6 && choice <= 9 {
		choice = g.r.IntN(6)
	}
	switch choice {
	case 0, 1:
		k := g.key()
		g.keyLine[k] = g.add(fmt.Sprintf("%sk%d: v", ind, k))
		g.literal[k] = true
	case 2:
		k := g.key()
		l := len(g.lines) + 1
		g.keyLine[k] = g.add(fmt.Sprintf("%sk%d: {{ one %d }}", ind, k, l))
	case 3:
		k := g.key()
		g.keyLine[k] = g.add(fmt.Sprintf("%sk%d:", ind, k))
		g.literal[k] = true
		l := len(g.lines) + 1
		n := len(ind) + 2
		if g.r.IntN(3) == 0 {
			g.add(fmt.Sprintf("{{ many %d %d | indent %d }}", l, g.r.IntN(4), n))
		} else {
			g.add(fmt.Sprintf("%s  {{- many %d %d | nindent %d }}", ind, l, 1+g.r.IntN(3), n))
		}
	case 4:
		k := g.key()
		g.keyLine[k] = g.add(fmt.Sprintf("%s# note k%d", ind, k))
		g.literal[k] = true
	case 5:
		if g.r.IntN(2) == 0 {
			g.add(ind + "{{" + strings.ReplaceAll(trim, "-", "- ") + "/* a comment */}}")
		} else {
			g.add(ind + "{{" + trim + " $x := 1 }}")
		}
	case 6, 7:
		cond := []string{"$.T", "$.F"}[g.r.IntN(2)]
		g.add(fmt.Sprintf("%s{{%s if %s }}", ind, trim, cond))
		g.seq(depth+1, ind)
		if g.r.IntN(2) == 0 {
			g.add(fmt.Sprintf("%s{{%s else }}", ind, trim))
			g.seq(depth+1, ind)
		}
		g.add(fmt.Sprintf("%s{{%s end }}", ind, trim))
	case 8:
		g.add(fmt.Sprintf("%s{{%s range $.L%d }}", ind, trim, g.r.IntN(4)))
		g.seq(depth+1, ind+"  ")
		g.add(fmt.Sprintf("%s{{%s end }}", ind, trim))
	case 9:
		g.add(fmt.Sprintf("%s{{%s with $.W }}", ind, trim))
		g.seq(depth+1, ind)
		g.add(fmt.Sprintf("%s{{%s end }}", ind, trim))
	case 10:
		// An inline condition.
		k := g.key()
		cond := []string{"$.T", "$.F"}[g.r.IntN(2)]
		g.keyLine[k] = g.add(fmt.Sprintf("%sk%d: {{ if %s }}yes{{ else }}no{{ end }}", ind, k, cond))
	case 11:
		// -}} joins the next line's output to this one.
		k := g.key()
		l := len(g.lines) + 1
		g.keyLine[k] = g.add(fmt.Sprintf("%sk%d: {{ one %d -}}", ind, k, l))
		g.add(fmt.Sprintf("%s  {{ one %d }}", ind, l+1))
	}
}

func genChart(seed uint64, size int) *chartGen {
	g := &chartGen{r: rand.New(rand.NewPCG(seed, 7)), keyLine: map[int]int{}, literal: map[int]bool{}, size: size}
	for len(g.lines) < size/2 {
		g.seq(0, "")
	}
	return g
}

func (g *chartGen) render(t testing.TB) (string, string) {
	tmpl := strings.Join(g.lines, "\n") + "\n"
	tp, err := template.New("t").Funcs(template.FuncMap{
		"one": func(l int) string { return fmt.Sprintf("@%d", l) },
		"many": func(l, n int) string {
			var b strings.Builder
			for i := 0; i < n; i++ {
				if i > 0 {
					b.WriteString("\n")
				}
				fmt.Fprintf(&b, "x@%d-%d: y", l, i)
			}
			return b.String()
		},
		"indent":  indentText,
		"nindent": func(n int, s string) string { return "\n" + indentText(n, s) },
	}).Parse(tmpl)
	if err != nil {
		t.Fatalf("%v\n%s", err, tmpl)
	}
	var b strings.Builder
	data := map[string]any{"T": true, "F": false, "W": "w", "L0": []int{}, "L1": []int{1}, "L2": []int{1, 2}, "L3": []int{1, 2, 3}}
	if err := tp.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return tmpl, b.String()
}

var (
	reAt  = regexp.MustCompile(`@(\d+)`)
	reKey = regexp.MustCompile(`\bk(\d+)\b`)
)

// wrong counts the rendered lines the map sends elsewhere than they name.
func (g *chartGen) wrong(t testing.TB, m *TemplateMap, rendered string, report bool) int {
	bad := 0
	for i, s := range splitLines(rendered) {
		want, lit := 0, false
		if a := reAt.FindStringSubmatch(s); a != nil && !strings.Contains(s, "k") {
			want, _ = strconv.Atoi(a[1])
		} else if k := reKey.FindStringSubmatch(s); k != nil {
			id, _ := strconv.Atoi(k[1])
			want, lit = g.keyLine[id], g.literal[id]
		}
		if want == 0 {
			continue
		}
		if got, gotLit := m.Line(i + 1); got != want || gotLit != lit {
			bad++
			if report {
				t.Errorf("rendered line %d %q: got %d %v, want %d %v", i+1, s, got, gotLit, want, lit)
			}
		}
	}
	return bad
}

// TestGeneratedCharts checks the exact alignment on random templates: every line goes where it says.
func TestGeneratedCharts(t *testing.T) {
	for seed := uint64(1); seed <= 1000; seed++ {
		g := genChart(seed, 60)
		tmpl, rendered := g.render(t)
		m := MapTemplate(tmpl, rendered)
		if g.wrong(t, m, rendered, false) > 0 {
			t.Errorf("seed %d:\n%s\n--- rendered\n%s", seed, numberLines(tmpl), numberLines(rendered))
			g.wrong(t, m, rendered, true)
			return
		}
	}
}

// TestGreedyFallback runs the linear alignment that large inputs get on the same random templates:
// it must stay in range and place nearly every line right.
func TestGreedyFallback(t *testing.T) {
	defer func(c int) { maxCells = c }(maxCells)
	maxCells = 0
	total, bad := 0, 0
	for seed := uint64(1); seed <= 200; seed++ {
		g := genChart(seed, 60)
		tmpl, rendered := g.render(t)
		m := MapTemplate(tmpl, rendered)
		checkRanges(t, m, len(splitLines(tmpl)))
		bad += g.wrong(t, m, rendered, false)
		total += m.Lines()
	}
	if bad*20 > total {
		t.Errorf("greedy alignment: %d of %d lines misplaced", bad, total)
	}
	t.Logf("greedy alignment: %d of %d lines misplaced", bad, total)
	// The deployment comes out as the exact alignment places it.
	var b strings.Builder
	for _, w := range deploymentOut {
		b.WriteString(w.text + "\n")
	}
	m := MapTemplate(deployment, b.String())
	for i, w := range deploymentOut {
		if l, lit := m.Line(i + 1); l != w.line || lit != w.literal {
			t.Errorf("greedy, deployment line %d %q: got %d %v, want %d %v", i+1, w.text, l, lit, w.line, w.literal)
		}
	}
}

// TestLarge maps a template of thousands of lines (the greedy alignment) and a big one within the
// table's bound, checking every line.
func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for _, size := range []int{3000, 12000} {
		g := genChart(42, size)
		tmpl, rendered := g.render(t)
		m := MapTemplate(tmpl, rendered)
		checkRanges(t, m, len(g.lines))
		bad := g.wrong(t, m, rendered, false)
		t.Logf("%d template lines, %d rendered: %d misplaced", len(g.lines), m.Lines(), bad)
		if bad*20 > m.Lines() {
			t.Errorf("%d template lines: %d of %d misplaced", len(g.lines), bad, m.Lines())
		}
	}
}

func numberLines(s string) string {
	var b strings.Builder
	for i, l := range splitLines(s) {
		fmt.Fprintf(&b, "%3d|%s\n", i+1, l)
	}
	return b.String()
}

// checkRanges checks that every line and position the map gives is within the template.
func checkRanges(t testing.TB, m *TemplateMap, tlines int) {
	t.Helper()
	for n := -1; n <= m.Lines()+1; n++ {
		l, lit := m.Line(n)
		if tlines == 0 {
			if l != 0 || lit {
				t.Fatalf("empty template: Line(%d) = %d %v", n, l, lit)
			}
			continue
		}
		if l < 1 || l > tlines {
			t.Fatalf("Line(%d) = %d, out of 1..%d", n, l, tlines)
		}
		for c := 0; c <= 6; c++ {
			tl, tc, tel, tec := m.Position(n, c*7, n+c%3, c*5)
			if tl < 1 || tl > tlines || tc < 1 || tel < 0 || tel > tlines || (tel > 0) != (tec > 0) || (tel > 0 && tec < 1) {
				t.Fatalf("Position(%d, %d, %d, %d) = %d, %d, %d, %d (template of %d lines)", n, c*7, n+c%3, c*5, tl, tc, tel, tec, tlines)
			}
		}
	}
}

// garble makes template-looking noise.
func garble(r *rand.Rand, n int) string {
	parts := []string{"{{", "}}", "{{- ", " -}}", "{{/*", "*/}}", "if .x", "end", "else", "range .l", "with .w",
		"define \"d\"", "include \"a\" . | nindent 4", "\"", "`", "'", "\n", "\r\n", " ", "  ", "a: ", "- b", "#", "---", "é", "\t", "$x := 1", ":"}
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// TestGarbage maps noise to noise, and real templates to unrelated renderings: never a panic, every
// line in range.
func TestGarbage(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	defer func(c int) { maxCells = c }(maxCells)
	for i := 0; i < 400; i++ {
		if i == 200 {
			maxCells = 50 // the greedy alignment from here on
		}
		tmpl, rendered := garble(r, r.IntN(80)), garble(r, r.IntN(80))
		switch i % 4 {
		case 1:
			tmpl = deployment
		case 2:
			rendered = strings.ReplaceAll(deployment, "{{", "")
		}
		m := MapTemplate(tmpl, rendered)
		checkRanges(t, m, len(splitLines(strings.ReplaceAll(tmpl, "\r\n", "\n"))))
	}
}

func FuzzMapTemplate(f *testing.F) {
	f.Add(deployment, "apiVersion: apps/v1\nkind: Deployment\n")
	f.Add(services, "---\n# c\n")
	f.Add(job, "\n\n\n")
	f.Add("{{- range .x }}\n- {{ . }}\n{{- end }}", "- a\n- b\n- c\n")
	f.Add("{{ if }", "}}")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, tmpl, rendered string) {
		m := MapTemplate(tmpl, rendered)
		checkRanges(t, m, len(splitLines(strings.ReplaceAll(tmpl, "\r\n", "\n"))))
	})
}
