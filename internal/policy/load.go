package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/podlint/podlint/internal/safefile"
	"github.com/podlint/podlint/rules"
)

// source is one Rego file to load.
type source struct {
	name    string // as shown in errors and test results
	text    string
	builtin bool
}

func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.rego") }

// builtinSources reads the embedded rules; tests only when asked, since linting never needs them.
func builtinSources(withTests bool) ([]source, error) {
	var out []source
	err := fs.WalkDir(rules.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || (!withTests && isTestFile(p)) {
			return nil
		}
		b, err := fs.ReadFile(rules.FS, p)
		if err != nil {
			return err
		}
		out = append(out, source{name: "rules/" + p, text: string(b), builtin: true})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read built-in rules: %w", err)
	}
	return out, nil
}

// libSources are the built-in sources of the rule library (rules/lib), which user policies may import.
func libSources(srcs []source) []source {
	var out []source
	for _, s := range srcs {
		if s.builtin && strings.HasPrefix(s.name, "rules/lib/") {
			out = append(out, s)
		}
	}
	return out
}

// MaxPolicyFileSize is the largest policy file podlint reads.
const MaxPolicyFileSize = 1 << 20

// readPolicy reads one policy file: a regular file (a FIFO would wait forever) of at most
// MaxPolicyFileSize bytes.
func readPolicy(path string) ([]byte, error) {
	b, err := safefile.ReadFile(path, MaxPolicyFileSize)
	var tl *safefile.TooLargeError
	if errors.As(err, &tl) {
		return nil, fmt.Errorf("%v (a policy file is at most %d bytes)", err, MaxPolicyFileSize)
	}
	return b, err
}

// dirSources reads the .rego files of a user's policy folder, recursively, skipping hidden folders.
func dirSources(dir string, withTests bool) ([]source, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", dir, unwrapPath(err))
	}
	if !info.IsDir() {
		if !strings.HasSuffix(dir, ".rego") {
			return nil, fmt.Errorf("policy %s: not a folder or a .rego file", dir)
		}
		b, err := readPolicy(dir)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", dir, unwrapPath(err))
		}
		if !withTests && isTestFile(dir) {
			return nil, nil
		}
		return []source{{name: dir, text: string(b)}}, nil
	}
	var out []source
	found := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".rego") {
			return nil
		}
		found++
		if !withTests && isTestFile(p) {
			return nil
		}
		b, err := readPolicy(p)
		if err != nil {
			return errors.New(p + ": " + unwrapPath(err).Error())
		}
		out = append(out, source{name: p, text: string(b)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", dir, unwrapPath(err))
	}
	if found == 0 {
		return nil, fmt.Errorf("policy %s: no .rego files in this folder", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseSources parses every file, keeping METADATA. Policies are Rego v1; a file that only parses
// as Rego v0 (conftest policies written before OPA 1.0) is accepted as v0 so that it works unchanged.
//
// OPA's parser is a good part of podlint's start-up time, so files are parsed in parallel.
func parseSources(srcs []source) (map[string]*ast.Module, error) {
	type parsed struct {
		m   *ast.Module
		err error
	}
	results := make([]parsed, len(srcs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(srcs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i].m, results[i].err = parseSource(srcs[i])
			}
		}()
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()

	modules := make(map[string]*ast.Module, len(srcs))
	var errs ast.Errors
	for i, s := range srcs {
		m, err := results[i].m, results[i].err
		if err != nil {
			var astErrs ast.Errors
			if errors.As(err, &astErrs) {
				errs = append(errs, astErrs...)
			} else {
				errs = append(errs, &ast.Error{Code: "rego_parse_error", Message: err.Error(), Location: &ast.Location{File: s.name}})
			}
			continue
		}
		modules[s.name] = m
	}
	if len(errs) > 0 {
		return nil, &Error{Errors: errs}
	}
	return modules, nil
}

func parseSource(s source) (*ast.Module, error) {
	m, err := ast.ParseModuleWithOpts(s.name, s.text, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil && !s.builtin {
		if m0, err0 := ast.ParseModuleWithOpts(s.name, s.text, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV0}); err0 == nil {
			return m0, nil
		}
	}
	return m, err
}

// Error is a policy that does not parse or compile: each problem with its file, line and OPA's message.
type Error struct {
	Errors ast.Errors
}

// Error lists the problems one per line as file:line:col: message.
func (e *Error) Error() string {
	errs := append(ast.Errors(nil), e.Errors...)
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Location, errs[j].Location
		if a == nil || b == nil {
			return b != nil
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Row < b.Row
	})
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("\n")
		}
		if l := e.Location; l != nil {
			switch {
			case l.Row > 0 && l.Col > 0:
				fmt.Fprintf(&b, "%s:%d:%d: ", l.File, l.Row, l.Col)
			case l.Row > 0:
				fmt.Fprintf(&b, "%s:%d: ", l.File, l.Row)
			case l.File != "":
				fmt.Fprintf(&b, "%s: ", l.File)
			}
		}
		b.WriteString(e.Message)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
		if e.Details != nil {
			for _, line := range e.Details.Lines() {
				b.WriteString("\n\t")
				b.WriteString(line)
			}
		}
	}
	return b.String()
}

// newCompiler returns a compiler with podlint's capabilities. Print statements are kept only for
// tests, where the runner shows their output.
func newCompiler(print bool) *ast.Compiler {
	return ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithEnablePrintStatements(print).
		WithDefaultRegoVersion(ast.RegoV1)
}

// checkStages are compiler stages that only check policies (types, recursion, conflicts, unknown
// functions...) and change nothing that evaluation uses.
var checkStages = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls, ast.StageCheckRuleConflicts, ast.StageCheckUndefinedFuncs,
	ast.StageCheckSafetyRuleHeads, ast.StageCheckRecursion, ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins, ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
}

// compile parses and compiles sources into one compiler. When every source is built in, the check
// stages are skipped: the built-in rules pass them in podlint's own tests, which compile them with
// every stage, and skipping them takes a few milliseconds off every start. User policies always
// get every check.
func compile(srcs []source) (*ast.Compiler, map[string]*ast.Module, error) {
	modules, err := parseSources(srcs)
	if err != nil {
		return nil, nil, err
	}
	c := newCompiler(false)
	if allBuiltin(srcs) && !fullCompile {
		c = c.WithSkipStages(checkStages...)
	}
	if c.Compile(modules); c.Failed() {
		return nil, nil, &Error{Errors: c.Errors}
	}
	return c, modules, nil
}

// fullCompile forces every compiler stage; tests set it to check that skipping changes nothing.
var fullCompile = false

func allBuiltin(srcs []source) bool {
	for _, s := range srcs {
		if !s.builtin {
			return false
		}
	}
	return true
}

func asASTErrors(err error) (ast.Errors, bool) {
	var errs ast.Errors
	if errors.As(err, &errs) {
		return errs, true
	}
	return nil, false
}
