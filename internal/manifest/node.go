package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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
	if len(data) > MaxFileSize {
		s.Problems = append(s.Problems, Problem{Rule: RuleUnreadableFile, Pos: Position{Line: 1, Column: 1},
			Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit", len(data), MaxFileSize)})
		return s
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	bad := bytes.IndexByte(data, 0)
	if bad < 0 && !utf8.Valid(data) {
		bad = invalidUTF8Offset(data)
	}
	if bad >= 0 {
		line, col := offsetPosition(data, bad)
		s.Problems = append(s.Problems, Problem{Rule: RuleUnreadableFile, Pos: Position{Line: line, Column: col},
			Message: "file is not UTF-8 text"})
		return s
	}
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	text := string(data)
	s.Lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	index := 0
	for _, c := range splitDocuments(s.Lines, strings.HasSuffix(text, "\n")) {
		if strings.TrimSpace(c.text) == "" {
			continue
		}
		dec := yaml.NewDecoder(strings.NewReader(c.text))
		for {
			var root yaml.Node
			if err := dec.Decode(&root); err != nil {
				if !errors.Is(err, io.EOF) {
					s.Problems = append(s.Problems, parseProblem(err, c, s.Lines))
				}
				break
			}
			if root.Kind == 0 {
				break // nothing more the decoder can make progress on
			}
			if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
				continue
			}
			node := root.Content[0]
			if node.Kind == yaml.ScalarNode && node.Tag == "!!null" && node.Style&yaml.TaggedStyle == 0 {
				continue // an empty document, or one holding only comments
			}
			src := source{lines: s.Lines, off: c.firstLine - 1}
			d := &decoder{src: src}
			value, ok := d.decode(node)
			s.Problems = append(s.Problems, d.problems...)
			if ok {
				lines := LineRange{c.firstLine, c.lastLine}
				s.Trees = append(s.Trees, &Tree{Index: index, Value: value, Lines: lines,
					doc: Document{File: name, Index: index, Item: -1, Lines: lines, node: resolveAlias(node), src: src}})
			}
			index++
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
