package policy

import (
	"path"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// This file is what Rego cannot do well: reading a container's command line and the shell scripts
// inside it. The builtins in builtins.go hand the results to rules as plain objects; the field names
// here are the documented contract (docs/architecture.md), so change them only with the rules.

// maxScript bounds the scripts podlint parses; a longer "script" is almost surely data.
const maxScript = 64 << 10

// parseShell describes a shell script: every simple command in source order with how it runs.
// The dialect comes from the interpreter (sh, ash, dash: POSIX; bash; mksh and ksh; zsh). A script
// that does not parse in its dialect gets "error", and its commands as bash, the most lenient
// dialect, would read them (busybox ash, for one, accepts some bash syntax).
func parseShell(interpreter, script string) map[string]any {
	lang, dialect := dialectFor(interpreter)
	res := map[string]any{"dialect": dialect, "commands": []any{}, "traps": []any{}, "last": -1}
	if len(script) > maxScript {
		res["error"] = "script is longer than " + strconv.Itoa(maxScript) + " bytes"
		return res
	}
	f, err := parseScript(lang, script)
	if err != nil {
		res["error"] = err.Error()
		f = nil
		if lang != syntax.LangBash {
			f, _ = parseScript(syntax.LangBash, script)
		}
	}
	if f == nil {
		return res
	}
	w := &walker{last: -1}
	for _, s := range f.Stmts {
		start := len(w.commands)
		w.stmt(s, scope{})
		if _, isFunc := s.Cmd.(*syntax.FuncDecl); !isFunc && len(w.commands) > start {
			w.last = len(w.commands) - 1
		}
	}
	cmds := make([]any, len(w.commands))
	for i, c := range w.commands {
		cmds[i] = c
	}
	res["commands"] = cmds
	res["traps"] = w.traps
	res["last"] = w.last
	return res
}

func parseScript(lang syntax.LangVariant, script string) (f *syntax.File, err error) {
	defer func() {
		if r := recover(); r != nil { // a parser bug must not take the whole run down
			f, err = nil, errParserPanic
		}
	}()
	return syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(script), "")
}

type parserPanic struct{}

func (parserPanic) Error() string { return "the shell parser failed on this script" }

var errParserPanic error = parserPanic{}

// dialectFor picks the shell language from the interpreter's name. Unknown shells are read as bash,
// which accepts the most.
func dialectFor(interpreter string) (syntax.LangVariant, string) {
	switch path.Base(interpreter) {
	case "sh", "ash", "dash", "busybox", "posix":
		return syntax.LangPOSIX, "posix"
	case "mksh", "ksh", "lksh", "pdksh", "oksh":
		return syntax.LangMirBSDKorn, "mksh"
	case "zsh":
		return syntax.LangZsh, "zsh"
	}
	return syntax.LangBash, "bash"
}

// scope is what a command inherits from the statements around it.
type scope struct {
	background bool
	job        int
	pipeline   int
	operator   string
	loop       int // the outermost loop around the command, numbered from 1 in source order
	// nested and redirects are linked lists, innermost first, so that entering a scope costs the
	// same at any depth: copying them at each level made deeply nested scripts quadratic.
	nested    *frame
	redirects *frame
}

// frame is one entry of a scope's list, sharing the entries of the scopes around it.
type frame struct {
	value  any
	parent *frame
	// kinds are the distinct nesting kinds of this frame and its parents, outermost first: a
	// command carries them, not the whole stack, which deep nesting would make quadratic.
	kinds []any
}

func (s scope) nest(kind string) scope {
	f := &frame{value: kind, parent: s.nested}
	f.kinds = []any{}
	if s.nested != nil {
		f.kinds = s.nested.kinds
	}
	seen := false
	for _, k := range f.kinds {
		seen = seen || k == kind
	}
	if !seen { // at most one entry per kind: fresh copy only when a kind first appears
		f.kinds = append(append(make([]any, 0, len(f.kinds)+1), f.kinds...), kind)
	}
	s.nested = f
	return s
}

// maxRedirects bounds the enclosing redirections a command carries: the innermost ones, which are
// those that decide where its output goes.
const maxRedirects = 32

// list returns up to n of the entries, outermost first.
func (f *frame) list(n int) []any {
	var out []any
	for ; f != nil && len(out) < n; f = f.parent {
		out = append(out, f.value)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	if out == nil {
		out = []any{}
	}
	return out
}

type walker struct {
	commands  []map[string]any
	traps     []any
	jobs      int
	pipelines int
	loops     int
	last      int
	printer   *syntax.Printer
}

// enterLoop numbers a loop that no other loop encloses.
func (w *walker) enterLoop(sc scope) scope {
	if sc.loop == 0 {
		w.loops++
		sc.loop = w.loops
	}
	return sc
}

func (w *walker) stmts(list []*syntax.Stmt, sc scope) {
	for _, s := range list {
		w.stmt(s, sc)
	}
}

func (w *walker) stmt(s *syntax.Stmt, sc scope) {
	if s == nil {
		return
	}
	if s.Background || s.Coprocess || s.Disown {
		if !sc.background {
			w.jobs++
			sc.job = w.jobs
		}
		sc.background = true
	}
	for _, r := range s.Redirs {
		sc.redirects = &frame{value: w.redirect(r), parent: sc.redirects}
	}
	switch x := s.Cmd.(type) {
	case *syntax.CallExpr:
		w.call(x, s, sc)
	case *syntax.BinaryCmd:
		switch x.Op {
		case syntax.Pipe, syntax.PipeAll:
			if sc.pipeline == 0 {
				w.pipelines++
				sc.pipeline = w.pipelines
			}
			w.stmt(x.X, sc)
			w.stmt(x.Y, sc)
		default: // && and ||
			w.stmt(x.X, sc)
			right := sc
			right.operator = x.Op.String()
			w.stmt(x.Y, right)
		}
	case *syntax.Subshell:
		w.stmts(x.Stmts, sc.nest("subshell"))
	case *syntax.Block:
		w.stmts(x.Stmts, sc.nest("block"))
	case *syntax.IfClause:
		in := sc.nest("if")
		for c := x; c != nil; c = c.Else {
			w.stmts(c.Cond, in)
			w.stmts(c.Then, in)
		}
	case *syntax.WhileClause:
		kind := "while"
		if x.Until {
			kind = "until"
		}
		in := w.enterLoop(sc).nest(kind)
		w.stmts(x.Cond, in)
		w.stmts(x.Do, in)
	case *syntax.ForClause:
		w.stmts(x.Do, w.enterLoop(sc).nest("for"))
	case *syntax.CaseClause:
		in := sc.nest("case")
		for _, it := range x.Items {
			w.stmts(it.Stmts, in)
		}
	case *syntax.FuncDecl:
		w.stmt(x.Body, sc.nest("function"))
	case *syntax.TimeClause:
		w.stmt(x.Stmt, sc)
	case *syntax.CoprocClause:
		if !sc.background {
			w.jobs++
			sc.job = w.jobs
		}
		sc.background = true
		w.stmt(x.Stmt, sc)
	case *syntax.DeclClause:
		words := []string{x.Variant.Value}
		for _, a := range x.Args {
			words = append(words, w.node(a))
		}
		w.add(words, false, s, sc)
	}
}

func (w *walker) call(x *syntax.CallExpr, s *syntax.Stmt, sc scope) {
	if len(x.Args) == 0 {
		return // only variable assignments
	}
	words := make([]string, len(x.Args))
	for i, a := range x.Args {
		words[i] = w.word(a)
	}
	isExec := false
	if words[0] == "exec" {
		rest := skipOptions(words[1:], map[string]bool{"-a": true})
		if len(rest) > 0 {
			words, isExec = rest, true
		}
	}
	w.add(words, isExec, s, sc)
	if words[0] == "trap" && !isExec {
		if t := trapOf(words[1:]); t != nil {
			w.traps = append(w.traps, t)
		}
	}
}

func (w *walker) add(words []string, isExec bool, s *syntax.Stmt, sc scope) {
	idx, wrappers := unwrap(words)
	program := ""
	if idx < len(words) {
		program = path.Base(words[idx])
	}
	args := make([]any, len(words)-1)
	for i, a := range words[1:] {
		args[i] = a
	}
	nested := []any{}
	if sc.nested != nil {
		nested = sc.nested.kinds
	}
	redirects := sc.redirects.list(maxRedirects)
	w.commands = append(w.commands, map[string]any{
		"name":       words[0],
		"args":       args,
		"program":    program,
		"wrappers":   wrappers,
		"exec":       isExec,
		"background": sc.background,
		"job":        sc.job,
		"pipeline":   sc.pipeline,
		"operator":   sc.operator,
		"loop":       sc.loop,
		"nested":     nested,
		"top_level":  sc.nested == nil,
		"redirects":  redirects,
		"line":       int(s.Pos().Line()),
		"column":     int(s.Pos().Col()),
	})
}

func (w *walker) redirect(r *syntax.Redirect) map[string]any {
	fd := ""
	if r.N != nil {
		fd = r.N.Value
	}
	target := ""
	if r.Word != nil && r.Hdoc == nil {
		target = w.word(r.Word)
	}
	return map[string]any{"op": r.Op.String(), "fd": fd, "target": target}
}

// word returns a word's value when it is literal (quotes removed), else its source text ($VAR).
func (w *walker) word(wd *syntax.Word) string {
	if s, ok := literal(wd); ok {
		return s
	}
	return w.node(wd)
}

func (w *walker) node(n syntax.Node) string {
	if w.printer == nil {
		w.printer = syntax.NewPrinter()
	}
	var b strings.Builder
	if err := w.printer.Print(&b, n); err != nil {
		return ""
	}
	return b.String()
}

// literal unquotes a word made only of literal text and quotes.
func literal(wd *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range wd.Parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(x.Value, false))
		case *syntax.SglQuoted:
			if x.Dollar {
				return "", false
			}
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(unescape(lit.Value, true))
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape removes the backslashes the shell would: any escaped character outside quotes, and only
// $ ` " \ and newline inside double quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		switch {
		case next == '\n':
			i++
		case !quoted || strings.IndexByte("$`\"\\", next) >= 0:
			b.WriteByte(next)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// trapOf reads `trap ACTION SIGNAL...`; signals are named without SIG, upper case (TERM, INT, EXIT).
func trapOf(args []string) map[string]any {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-" {
		return nil // trap, trap -l, trap -p: listing, not setting
	}
	action, sigs := args[0], args[1:]
	if _, err := strconv.Atoi(action); err == nil { // `trap 15 2` resets the listed signals
		action, sigs = "-", args
	}
	if len(sigs) == 0 {
		return nil
	}
	out := make([]any, len(sigs))
	for i, s := range sigs {
		out[i] = signalName(s)
	}
	return map[string]any{"action": action, "signals": out}
}

var signalNumbers = map[string]string{"0": "EXIT", "1": "HUP", "2": "INT", "3": "QUIT", "6": "ABRT",
	"9": "KILL", "10": "USR1", "12": "USR2", "13": "PIPE", "14": "ALRM", "15": "TERM"}

func signalName(s string) string {
	if n, ok := signalNumbers[s]; ok {
		return n
	}
	return strings.TrimPrefix(strings.ToUpper(s), "SIG")
}

// wrapper describes a program that runs another one: what to skip to reach the wrapped command.
type wrapper struct {
	valued      map[string]bool // options that take a value
	positional  int             // arguments before the command (the user of gosu)
	assignments bool            // NAME=value words (env)
}

// wrappers are the init and privilege wrappers podlint looks through to find the real program, and
// npx, which only fetches and runs one.
var wrappers = map[string]wrapper{
	"tini":         {valued: map[string]bool{"-p": true, "-e": true}},
	"tini-static":  {valued: map[string]bool{"-p": true, "-e": true}},
	"dumb-init":    {valued: map[string]bool{"-r": true, "--rewrite": true}},
	"catatonit":    {},
	"env":          {valued: map[string]bool{"-u": true, "--unset": true, "-C": true, "--chdir": true}, assignments: true},
	"exec":         {valued: map[string]bool{"-a": true}},
	"gosu":         {positional: 1},
	"su-exec":      {positional: 1},
	"s6-setuidgid": {positional: 1},
	"nohup":        {},
	"setsid":       {},
	"npx":          {valued: map[string]bool{"-p": true, "--package": true, "-c": true, "--call": true}},
}

// unwrap skips init wrappers (tini -- gosu app env A=1 server) and returns the index of the real
// program in argv (len(argv) when only wrappers remain) and the wrappers' names.
func unwrap(argv []string) (int, []any) {
	found := []any{}
	i := 0
	for i < len(argv) {
		name := path.Base(argv[i])
		wr, ok := wrappers[name]
		if !ok {
			return i, found
		}
		found = append(found, name)
		i++
		i = len(argv) - len(skipOptions(argv[i:], wr.valued))
		if wr.assignments {
			for i < len(argv) && isAssignment(argv[i]) {
				i++
			}
		}
		i = min(i+wr.positional, len(argv))
	}
	return i, found
}

// skipOptions drops leading options (and the values of those in valued) up to and including "--".
func skipOptions(args []string, valued map[string]bool) []string {
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--":
			return args[1:]
		case a == "-" || !strings.HasPrefix(a, "-"):
			if a == "-" { // env -: same as -i
				args = args[1:]
				continue
			}
			return args
		case valued[a]:
			args = args[min(2, len(args)):]
		default:
			args = args[1:]
		}
	}
	return args
}

func isAssignment(s string) bool {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return false
	}
	for i, r := range s[:eq] {
		if r != '_' && !(r >= 'A' && r <= 'Z') && !(r >= 'a' && r <= 'z') && !(i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// shells are the interpreters whose -c script podlint reads.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "ksh": true, "mksh": true,
	"lksh": true, "zsh": true, "rbash": true}

// parseCommand describes a container's command line (command followed by args): the program after
// unwrapping init wrappers, its position, and for `sh -c SCRIPT` the script and its parse.
func parseCommand(argv []string) map[string]any {
	idx, wrapped := unwrap(argv)
	if idx < len(argv) && path.Base(argv[idx]) == "busybox" && idx+1 < len(argv) {
		wrapped = append(wrapped, "busybox")
		idx++
	}
	res := map[string]any{"program": "", "index": idx, "args": []any{}, "wrappers": wrapped}
	if idx >= len(argv) {
		res["index"] = -1
		return res
	}
	program := path.Base(argv[idx])
	res["program"] = program
	args := make([]any, len(argv)-idx-1)
	for i, a := range argv[idx+1:] {
		args[i] = a
	}
	res["args"] = args
	if shells[program] {
		if si := scriptIndex(argv, idx); si >= 0 {
			res["shell"] = program
			res["script_index"] = si
			res["script"] = argv[si]
			res["parsed"] = parseShell(program, argv[si])
		}
	}
	return res
}

// scriptIndex finds the script of `sh [options] -c [options] SCRIPT [name args...]`, or -1 when the
// shell runs a file or reads standard input.
func scriptIndex(argv []string, shell int) int {
	withC := false
	for i := shell + 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--" || a == "-":
			if withC && i+1 < len(argv) {
				return i + 1
			}
			return -1
		case a == "-o" || a == "+o" || a == "-O" || a == "+O" || a == "--rcfile" || a == "--init-file":
			i++ // takes a value
		case strings.HasPrefix(a, "--"):
			// bash long options without a value: --login, --norc, --posix...
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			if a[0] == '-' && strings.ContainsRune(a[1:], 'c') {
				withC = true
			}
			if strings.ContainsAny(a[1:], "oO") { // -euo pipefail
				i++
			}
		default:
			if withC {
				return i
			}
			return -1
		}
	}
	return -1
}
