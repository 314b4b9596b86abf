package manifest

import (
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// Stream is a YAML or JSON stream whose documents may be anything, not only Kubernetes objects: a
// partial object (a strategic merge patch), a list of JSON patch operations, a kustomization file.
// Load keeps only Kubernetes objects and reports everything else as a problem; ParseStream keeps every
// document that decodes, with the same values and positions as Load would give.
type Stream struct {
	Name string
	// Lines holds the text split into lines (without line breaks).
	Lines []string
	// Trees are the documents that decoded, in order.
	Trees []*Tree
	// Problems are what kept a document from parsing or decoding.
	Problems []Problem
}

// Tree is one decoded YAML document of any shape, with a position for each of its values.
type Tree struct {
	// Index counts the stream's non-empty YAML documents from 0, as Document.Index does.
	Index int
	// Value is the document decoded exactly as kubectl decodes it (map[string]any, []any, string,
	// bool, int64, float64, nil).
	Value any
	// Lines is the range of lines of the YAML document.
	Lines LineRange

	doc Document // carries the node and its source, so positions use Document's code
}

// ParseStream reads a stream of documents of any shape. Like Load it never fails: a document that
// does not parse or decode is a Problem of the stream, and the documents before it are kept.
func ParseStream(name string, data []byte) *Stream {
	s := &Stream{Name: name}
	lines, finalNewline, problem := readText(data)
	if problem != nil {
		s.Problems = append(s.Problems, *problem)
		return s
	}
	s.Lines = lines
	index := 0
	cols := &columns{}
	for _, c := range splitDocuments(s.Lines, finalNewline) {
		if strings.TrimSpace(c.text) == "" {
			continue
		}
		p := eachDocument(c, s.Lines, cols, func(node *yaml.Node, src source) {
			d := &decoder{src: src}
			value, ok := d.decode(node)
			s.Problems = append(s.Problems, d.problems...)
			if ok {
				lines := LineRange{c.firstLine, c.lastLine}
				s.Trees = append(s.Trees, &Tree{Index: index, Value: value, Lines: lines,
					doc: Document{File: name, Index: index, Item: -1, Lines: lines, node: resolveAlias(node), src: src}})
			}
			index++
		})
		if p != nil {
			s.Problems = append(s.Problems, *p)
		}
	}
	return s
}

// Position resolves a path of the tree to the place it was written, exactly as Document.Position
// does: a path that goes past what exists resolves to the nearest existing parent, and a block
// mapping or list resolves to the key that names it.
func (t *Tree) Position(p Path) Position { return t.doc.Position(p) }

// KeyPosition resolves the key of the map entry at p, as Document.KeyPosition does.
func (t *Tree) KeyPosition(p Path) Position { return t.doc.KeyPosition(p) }
