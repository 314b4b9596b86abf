package helmrender

import (
	"path/filepath"

	"github.com/podlint/podlint/internal/safefile"
	"go.yaml.in/yaml/v4"
)

// mappingValue returns the value of key in a mapping node, and the key node.
func mappingValue(n *yaml.Node, key string) (k, v *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// readRoot parses a YAML file into its top node (nil when it cannot be read or parsed).
func readRoot(file string) *yaml.Node {
	b, err := safefile.ReadFile(file, maxFileSize)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// yamlKeyLine is the line of a top-level key of a YAML file (0 when not found).
func yamlKeyLine(file, key string) int {
	if k, _ := mappingValue(readRoot(file), key); k != nil {
		return k.Line
	}
	return 0
}

// dependencyLine finds the line of the name: of the i-th dependency of the chart in dir: in
// Chart.yaml, or in requirements.yaml for a chart of apiVersion v1 that lists them there. It returns
// the file too.
func dependencyLine(dir string, i int, name string) (string, int) {
	chartFile := filepath.Join(dir, "Chart.yaml")
	for _, file := range []string{chartFile, filepath.Join(dir, "requirements.yaml")} {
		_, deps := mappingValue(readRoot(file), "dependencies")
		if deps == nil || deps.Kind != yaml.SequenceNode {
			continue
		}
		// The i-th entry, if it is the one named; else the first entry of that name.
		if i < len(deps.Content) {
			if k, v := mappingValue(deps.Content[i], "name"); k != nil && v.Value == name {
				return file, k.Line
			}
		}
		for _, d := range deps.Content {
			if k, v := mappingValue(d, "name"); k != nil && v.Value == name {
				return file, k.Line
			}
		}
		return file, deps.Line
	}
	return chartFile, 0
}
