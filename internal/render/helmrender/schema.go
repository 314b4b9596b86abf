package helmrender

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/podlint/podlint/internal/render"
)

// validate checks the values against the values.schema.json of the chart and of each dependency, as
// Helm does, but offline: a schema that refers to a remote one is a problem, not a download.
func (r *run) validate(c *chart.Chart, values map[string]any) {
	if len(c.Schema) > 0 {
		if err := validateValues(values, c.Schema); err != nil {
			at := r.charts[chartKey(c)]
			file, inArchive := at.problemFile("values.schema.json")
			msg := "values do not meet the chart's schema: " + err.Error()
			if inArchive != "" {
				msg = inArchive + ": " + msg
			}
			r.problem(render.Problem{File: file, Message: msg})
		}
	}
	for _, d := range c.Dependencies() {
		sub, ok := values[d.Name()].(map[string]any)
		if !ok {
			continue
		}
		r.validate(d, sub)
	}
}

// offline is the schema loader for http and https: it refuses.
type offline struct{}

func (offline) Load(url string) (any, error) {
	return nil, fmt.Errorf("remote schema %s is not fetched: podlint never uses the network", url)
}

// permissive resolves urn: references to an empty schema, as Helm does when nothing resolves them.
type permissive struct{}

func (permissive) Load(string) (any, error) { return true, nil }

// validateValues validates values against one schema.
func validateValues(values map[string]any, schemaJSON []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("unable to validate schema: %v", p)
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return err
	}
	comp := jsonschema.NewCompiler()
	comp.UseLoader(jsonschema.SchemeURLLoader{
		"file":  jsonschema.FileLoader{},
		"http":  offline{},
		"https": offline{},
		"urn":   permissive{},
	})
	const url = "file:///values.schema.json"
	if err := comp.AddResource(url, doc); err != nil {
		return err
	}
	sch, err := comp.Compile(url)
	if err != nil {
		return err
	}
	if err := sch.Validate(values); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return errors.New(strings.TrimSpace(ve.Error()))
		}
		return err
	}
	return nil
}
