package fix

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
)

// startsWithoutExec finds the program a signal-unsafe-entrypoint finding names when the shell
// starts it as a child ("... starts server without exec").
// (compiled on first use: package initialisation is every run's cost)
var startsWithoutExec = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(` starts (\S+) without exec[:,]`) })

// shellBuiltins cannot be exec'd: exec looks for a program of that name.
var shellBuiltins = map[string]bool{
	"exec": true, "eval": true, "wait": true, "cd": true, "export": true, "source": true, ".": true,
	"set": true, "trap": true, "read": true, "shift": true, "unset": true, "alias": true,
	"return": true, "exit": true, "break": true, "continue": true, ":": true, "local": true,
	"declare": true, "typeset": true, "readonly": true, "ulimit": true, "umask": true, "builtin": true,
	"command": true, "let": true, "shopt": true, "[[": true, "((": true,
}

// execFix puts exec before the last command of a shell script that the rule found started as a
// child of the shell (`migrate && server` becomes `migrate && exec server`). Only where that is the
// one right answer: the command is the script's last, runs in the foreground, outside any loop,
// subshell, pipeline, condition or function, without variable assignments before it, the script
// sets no trap (exec would skip an EXIT trap), and it is no function a sourced file may define.
func execFix(doc *manifest.Document, is lint.Issue) []lint.Fix { return execProposal(doc, is).fixes() }

func execProposal(doc *manifest.Document, is lint.Issue) *proposal {
	m := startsWithoutExec().FindStringSubmatch(is.Message)
	if m == nil || is.Line < 1 {
		return nil
	}
	named := m[1]
	v, _ := manifest.Get(doc.Value, is.Path)
	script, ok := v.(string)
	if !ok || len(script) > 64<<10 {
		return nil
	}
	call, ok := finalCall(script)
	if !ok {
		return nil
	}
	first := call.Args[0]
	if int(first.Pos().Line()) != is.Line {
		return nil
	}
	// the command the finding names must be this one (directly or behind a wrapper such as gosu)
	names := false
	for _, a := range call.Args {
		if lit, ok := literal(a); ok && path.Base(lit) == named {
			names = true
			break
		}
	}
	if !names {
		return nil
	}
	off := int(first.Pos().Offset())
	if off > len(script) {
		return nil
	}
	col := off - strings.LastIndex(script[:off], "\n") // byte column in the line, from 1
	e, ok := doc.InsertInString(is.Path, is.Line, col, "exec ")
	if !ok {
		return nil
	}
	want, ok := manifest.With(doc.Value, is.Path, script[:off]+"exec "+script[off:])
	if !ok {
		return nil
	}
	return verified(doc, fmt.Sprintf("start %s with exec", named), want, e)
}

// finalCall finds the simple command that ends a script, when nothing can run after it and exec
// would only replace the shell by it.
func finalCall(script string) (*syntax.CallExpr, bool) {
	f, err := parse(script)
	if err != nil || len(f.Stmts) == 0 {
		return nil, false
	}
	// no trap anywhere, and no function whose name the last command could be
	// A script that sources a file or evals text may define functions podlint cannot see: then
	// only a command named by its path is certainly a program.
	funcs := map[string]bool{}
	trap, imports := false, false
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.FuncDecl:
			funcs[x.Name.Value] = true
		case *syntax.CallExpr:
			if len(x.Args) > 0 {
				switch name, _ := literal(x.Args[0]); name {
				case "trap":
					trap = true
				case ".", "source", "eval":
					imports = true
				}
			}
		}
		return true
	})
	if trap {
		return nil, false
	}
	s := f.Stmts[len(f.Stmts)-1]
	for {
		if s.Background || s.Coprocess || s.Disown || s.Negated || len(s.Redirs) > 0 {
			return nil, false
		}
		b, ok := s.Cmd.(*syntax.BinaryCmd)
		if !ok {
			break
		}
		if b.Op != syntax.AndStmt && b.Op != syntax.OrStmt {
			return nil, false // a pipeline
		}
		s = b.Y
	}
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return nil, false
	}
	name, ok := literal(call.Args[0])
	if !ok || name == "" || shellBuiltins[name] || funcs[name] || strings.Contains(name, "=") ||
		(imports && !strings.Contains(name, "/")) {
		return nil, false
	}
	return call, true
}

func parse(script string) (f *syntax.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the shell parser failed")
		}
	}()
	return syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
}

// literal is a word's value when it is made of literal text and quotes only, without escapes
// (`"/usr/bin/server"`, 'server').
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch x := p.(type) {
		case *syntax.Lit:
			if strings.Contains(x.Value, `\`) {
				return "", false
			}
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			if x.Dollar {
				return "", false
			}
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok || strings.Contains(lit.Value, `\`) {
					return "", false
				}
				b.WriteString(lit.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}
