package policy

import (
	"errors"
	"slices"
	"strconv"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/podlint/podlint/internal/manifest"
)

// blockedBuiltins reach outside the process: the network, DNS, or the environment and configuration
// of the running program. Linting a repository must give the same answer on any machine and must
// never be a way to send its contents somewhere, so no policy may call them (they fail to compile).
var blockedBuiltins = []string{"http.send", "net.lookup_ip_addr", "opa.runtime"}

var objectResult = types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))

// parseShellFunc declares podlint.parse_shell(interpreter, script).
var parseShellFunc = &rego.Function{
	Name:        "podlint.parse_shell",
	Description: "Parses a shell script in the dialect of the interpreter (sh, bash, mksh...) and describes its commands.",
	Decl: types.NewFunction(
		types.Args(
			types.Named("interpreter", types.S).Description("the shell: sh, ash, dash, bash, mksh, zsh, or a path to one"),
			types.Named("script", types.S).Description("the script, as given to -c"),
		),
		types.Named("result", objectResult).Description("dialect, commands, traps, last, and error when the script does not parse"),
	),
}

// parseCommandFunc declares podlint.parse_command(argv).
var parseCommandFunc = &rego.Function{
	Name:        "podlint.parse_command",
	Description: "Describes a command line (a container's command followed by its args): the program behind init wrappers, and the script of sh -c.",
	Decl: types.NewFunction(
		types.Args(types.Named("argv", types.NewArray(nil, types.A)).Description("the command line, one word per element")),
		types.Named("result", objectResult).Description("program, index, args, wrappers; shell, script_index, script and parsed for sh -c"),
	),
}

// podsFunc declares podlint.pods(document).
var podsFunc = &rego.Function{
	Name:        "podlint.pods",
	Description: "Finds the pods of a Kubernetes object and their containers, with their paths; data.podlint.lib documents the fields.",
	Decl: types.NewFunction(
		types.Args(types.Named("document", types.A).Description("a Kubernetes object, usually input")),
		types.Named("pods", types.NewArray(nil, objectResult)).Description("one entry per pod; empty for kinds without one"),
	),
}

// podsImpl is podlint.pods over a table of pod-bearing kinds (nil: the built-in one). Each engine
// registers its own, so that the table a configuration makes is passed, not shared by the process.
func podsImpl(kinds *manifest.PodKinds) rego.Builtin1 {
	return func(_ rego.BuiltinContext, doc *ast.Term) (*ast.Term, error) {
		return podsOf(kinds, doc.Value), nil
	}
}

// labelErrorsFunc declares podlint.label_errors(labels).
var labelErrorsFunc = &rego.Function{
	Name:        "podlint.label_errors",
	Description: "Checks label keys and values as the API server does; returns the rejected entries with its messages.",
	Decl: types.NewFunction(
		types.Args(types.Named("labels", types.NewObject(nil, types.NewDynamicProperty(types.A, types.A))).Description("a labels map")),
		types.Named("errors", objectResult).Description("for each rejected entry, {key: [messages], value: [messages]}; {} when all are valid"),
	),
}

func labelErrorsImpl(_ rego.BuiltinContext, labels *ast.Term) (*ast.Term, error) {
	obj, ok := labels.Value.(ast.Object)
	if !ok {
		return nil, errors.New("expected an object")
	}
	return labelErrors(obj), nil
}

var errNotString = errors.New("expected a string")

func parseShellImpl(_ rego.BuiltinContext, interp, script *ast.Term) (*ast.Term, error) {
	i, ok1 := interp.Value.(ast.String)
	s, ok2 := script.Value.(ast.String)
	if !ok1 || !ok2 {
		return nil, errNotString
	}
	return toTerm(parseShell(string(i), string(s)))
}

func parseCommandImpl(_ rego.BuiltinContext, argv *ast.Term) (*ast.Term, error) {
	arr, ok := argv.Value.(*ast.Array)
	if !ok {
		return nil, errors.New("expected an array")
	}
	return commandTerm(arr)
}

// commandTerm describes a command line (podlint.parse_command's result), as an OPA term.
func commandTerm(argv *ast.Array) (*ast.Term, error) {
	words := make([]string, 0, argv.Len())
	for i := range argv.Len() {
		words = append(words, wordOf(argv.Elem(i).Value))
	}
	return toTerm(parseCommand(words))
}

// wordOf spells a command-line element; a number or boolean written unquoted in YAML is still the
// word the user meant.
func wordOf(v ast.Value) string {
	switch x := v.(type) {
	case ast.String:
		return string(x)
	case ast.Number:
		return string(x)
	case ast.Boolean:
		return strconv.FormatBool(bool(x))
	}
	return v.String()
}

// regoBuiltins are the implementations, for evaluation, with podlint.pods finding pods with kinds.
func regoBuiltins(kinds *manifest.PodKinds) []func(*rego.Rego) {
	return []func(*rego.Rego){
		rego.Function2(parseShellFunc, parseShellImpl),
		rego.Function1(parseCommandFunc, parseCommandImpl),
		rego.Function1(podsFunc, podsImpl(kinds)),
		rego.Function1(labelErrorsFunc, labelErrorsImpl),
		rego.Function2(imageMatchesFunc, imageMatchesImpl),
	}
}

// testerBuiltins are the same builtins for OPA's test runner.
func testerBuiltins(kinds *manifest.PodKinds) []*tester.Builtin {
	return []*tester.Builtin{
		{Decl: builtinDecl(parseShellFunc), Func: rego.Function2(parseShellFunc, parseShellImpl)},
		{Decl: builtinDecl(parseCommandFunc), Func: rego.Function1(parseCommandFunc, parseCommandImpl)},
		{Decl: builtinDecl(podsFunc), Func: rego.Function1(podsFunc, podsImpl(kinds))},
		{Decl: builtinDecl(labelErrorsFunc), Func: rego.Function1(labelErrorsFunc, labelErrorsImpl)},
		{Decl: builtinDecl(imageMatchesFunc), Func: rego.Function2(imageMatchesFunc, imageMatchesImpl)},
	}
}

func builtinDecl(f *rego.Function) *ast.Builtin {
	return &ast.Builtin{Name: f.Name, Description: f.Description, Decl: f.Decl}
}

// capabilities are what policies may use: this OPA's builtins minus the blocked ones, plus
// podlint's own, and no network for anything (JSON Schema $refs included).
var capabilities = sync.OnceValue(func() *ast.Capabilities {
	installLimits()
	c := ast.CapabilitiesForThisVersion()
	c.Builtins = slices.DeleteFunc(c.Builtins, func(b *ast.Builtin) bool {
		return slices.Contains(blockedBuiltins, b.Name)
	})
	c.Builtins = append(c.Builtins, builtinDecl(parseShellFunc), builtinDecl(parseCommandFunc), builtinDecl(podsFunc), builtinDecl(labelErrorsFunc),
		builtinDecl(imageMatchesFunc))
	c.AllowNet = []string{}
	return c
})
