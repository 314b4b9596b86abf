package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// enumSet holds the allowed values of the enum fields of each definition, keyed by the definition's
// OpenAPI name and then by a location inside it: the property name, followed by "[]" for the items of
// a list or "{}" for the values of a map ("accessModes[]").
type enumSet map[string]map[string][]string

// readEnums collects the enum values from the generated Go OpenAPI definitions of Kubernetes
// (pkg/generated/openapi/zz_generated.openapi.go). The published swagger.json leaves them out, but
// they are generated from the same "+enum" types, so both files always describe the same API.
func readEnums(src []byte) (enumSet, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "zz_generated.openapi.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse generated definitions: %w", err)
	}
	imports := map[string]string{} // local name -> import path
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			return nil, fmt.Errorf("import path %s: %w", im.Path.Value, err)
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = p
	}
	funcs := map[string]*ast.FuncDecl{}
	var index *ast.FuncDecl
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		funcs[fd.Name.Name] = fd
		if fd.Name.Name == "GetOpenAPIDefinitions" {
			index = fd
		}
	}
	if index == nil {
		return nil, fmt.Errorf("no GetOpenAPIDefinitions in generated definitions")
	}
	enums := enumSet{}
	var walkErr error
	ast.Inspect(index, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok || walkErr != nil {
			return walkErr == nil
		}
		name, err := modelName(kv.Key, imports)
		if err != nil {
			walkErr = err
			return false
		}
		call, ok := kv.Value.(*ast.CallExpr)
		if !ok {
			walkErr = fmt.Errorf("definition %s: value is not a function call", name)
			return false
		}
		fn, ok := call.Fun.(*ast.Ident)
		if !ok || funcs[fn.Name] == nil {
			walkErr = fmt.Errorf("definition %s: cannot find its function", name)
			return false
		}
		found, err := definitionEnums(funcs[fn.Name])
		if err != nil {
			walkErr = fmt.Errorf("definition %s: %w", name, err)
			return false
		}
		if len(found) > 0 {
			enums[name] = found
		}
		return false
	})
	if walkErr != nil {
		return nil, walkErr
	}
	return enums, nil
}

// modelName turns a key of the definitions map (corev1.Pod{}.OpenAPIModelName(), or a string
// literal) into the definition's OpenAPI name (io.k8s.api.core.v1.Pod).
func modelName(key ast.Expr, imports map[string]string) (string, error) {
	switch k := key.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(k.Value)
		if err != nil {
			return "", err
		}
		if i := strings.LastIndex(s, "."); i > 0 && strings.Contains(s, "/") {
			return reverseDomain(s[:i]) + "." + s[i+1:], nil
		}
		return s, nil
	case *ast.CallExpr:
		sel, ok := k.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "OpenAPIModelName" {
			break
		}
		lit, ok := sel.X.(*ast.CompositeLit)
		if !ok {
			break
		}
		typ, ok := lit.Type.(*ast.SelectorExpr)
		if !ok {
			break
		}
		pkg, ok := typ.X.(*ast.Ident)
		if !ok || imports[pkg.Name] == "" {
			break
		}
		return reverseDomain(imports[pkg.Name]) + "." + typ.Sel.Name, nil
	}
	return "", fmt.Errorf("unexpected definition key at offset %d", key.Pos())
}

// reverseDomain turns a Go import path into the prefix of OpenAPI names:
// k8s.io/api/core/v1 -> io.k8s.api.core.v1.
func reverseDomain(importPath string) string {
	parts := strings.Split(importPath, "/")
	host := strings.Split(parts[0], ".")
	for i, j := 0, len(host)-1; i < j; i, j = i+1, j-1 {
		host[i], host[j] = host[j], host[i]
	}
	return strings.Join(append(host, parts[1:]...), ".")
}

// definitionEnums finds the Enum lists inside the top-level properties of one definition function.
func definitionEnums(fd *ast.FuncDecl) (map[string][]string, error) {
	var props *ast.CompositeLit
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if props != nil {
			return false
		}
		if kv, ok := n.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Properties") {
			props, _ = kv.Value.(*ast.CompositeLit)
			return false
		}
		return true
	})
	out := map[string][]string{}
	if props == nil {
		return out, nil
	}
	for _, el := range props.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		lit, ok := kv.Key.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue
		}
		prop, err := strconv.Unquote(lit.Value)
		if err != nil {
			return nil, err
		}
		if err := collectEnums(kv.Value, prop, out); err != nil {
			return nil, fmt.Errorf("property %s: %w", prop, err)
		}
	}
	return out, nil
}

// collectEnums records every Enum under e, at loc extended by "[]" inside Items and "{}" inside
// AdditionalProperties. Nested Properties would be inline objects, which Kubernetes does not use;
// they are refused so that a change in the generator's output is noticed.
func collectEnums(e ast.Expr, loc string, out map[string][]string) error {
	switch x := e.(type) {
	case *ast.UnaryExpr:
		return collectEnums(x.X, loc, out)
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if err := collectEnums(el, loc, out); err != nil {
				return err
			}
		}
	case *ast.KeyValueExpr:
		switch {
		case isIdent(x.Key, "Enum"):
			vals, err := stringList(x.Value)
			if err != nil {
				return err
			}
			out[loc] = vals
		case isIdent(x.Key, "Items"):
			return collectEnums(x.Value, loc+"[]", out)
		case isIdent(x.Key, "AdditionalProperties"):
			return collectEnums(x.Value, loc+"{}", out)
		case isIdent(x.Key, "Properties"):
			var found bool
			ast.Inspect(x.Value, func(n ast.Node) bool {
				if kv, ok := n.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Enum") {
					found = true
				}
				return !found
			})
			if found {
				return fmt.Errorf("enum inside an inline object is not supported")
			}
		default:
			return collectEnums(x.Value, loc, out)
		}
	}
	return nil
}

func stringList(e ast.Expr) ([]string, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("enum is not a literal list")
	}
	var vals []string
	for _, el := range lit.Elts {
		b, ok := el.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return nil, fmt.Errorf("enum value is not a string literal")
		}
		s, err := strconv.Unquote(b.Value)
		if err != nil {
			return nil, err
		}
		vals = append(vals, s)
	}
	sort.Strings(vals)
	return vals, nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
