package config

import (
	"path/filepath"
	"regexp"

	yaml "go.yaml.in/yaml/v4"
)

// Helm holds how charts are rendered: the inputs `helm template` takes.
type Helm struct {
	// ReleaseName is .Release.Name; Namespace is .Release.Namespace.
	ReleaseName string `yaml:"releaseName,omitempty" json:"releaseName,omitempty"`
	Namespace   string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
	// KubeVersion is .Capabilities.KubeVersion (default: the version of the embedded schema).
	KubeVersion string `yaml:"kubeVersion,omitempty" json:"kubeVersion,omitempty"`
	// Values are values files merged over each chart's values.yaml, relative to the config's folder.
	Values []string `yaml:"values,omitempty" json:"values,omitempty"`
	// Set and SetString are --set and --set-string values.
	Set       []string `yaml:"set,omitempty" json:"set,omitempty"`
	SetString []string `yaml:"setString,omitempty" json:"setString,omitempty"`
	// Charts holds settings for one chart, by its folder relative to the config's folder; they are
	// applied over the settings above (values files and --set values are added after them).
	Charts map[string]*Helm `yaml:"charts,omitempty" json:"charts,omitempty"`
}

var kubeVersionRE = regexp.MustCompile(`^v?[0-9]+\.[0-9]+(\.[0-9]+)?([-+].*)?$`)

// ValidKubeVersion says whether s is a Kubernetes version Helm accepts (v1.37.2, 1.30).
func ValidKubeVersion(s string) bool { return kubeVersionRE.MatchString(s) }

// helm reads the helm key.
func (p *parser) helm(n *yaml.Node, what string, top bool) (*Helm, error) {
	h := &Helm{}
	err := p.mapping(n, what, func(k, v *yaml.Node) error {
		var err error
		switch k.Value {
		case "releaseName":
			h.ReleaseName, err = p.scalar(v, what+".releaseName")
		case "namespace":
			h.Namespace, err = p.scalar(v, what+".namespace")
		case "kubeVersion":
			if h.KubeVersion, err = p.scalar(v, what+".kubeVersion"); err == nil && !kubeVersionRE.MatchString(h.KubeVersion) {
				err = p.errorf(v, "%s.kubeVersion must be a version such as v1.37.2, got %q", what, h.KubeVersion)
			}
		case "values":
			h.Values, err = p.strings(v, what+".values")
		case "set":
			h.Set, err = p.strings(v, what+".set")
		case "setString":
			h.SetString, err = p.strings(v, what+".setString")
		case "charts":
			if !top {
				return p.errorf(k, "unknown key %q in %s (charts are configured under helm.charts only)", k.Value, what)
			}
			h.Charts = map[string]*Helm{}
			err = p.mapping(v, what+".charts", func(ck, cv *yaml.Node) error {
				c, err := p.helm(cv, what+".charts."+ck.Value, false)
				h.Charts[filepath.Clean(ck.Value)] = c
				return err
			})
		default:
			want := "releaseName, namespace, kubeVersion, values, set, setString"
			if top {
				want += " or charts"
			}
			return p.errorf(k, "unknown key %q in %s (want %s)", k.Value, what, want)
		}
		return err
	})
	return h, err
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, p.errorf(n, "%s must be true or false, got %s", what, kind(n))
	}
	var b bool
	err := n.Decode(&b)
	return b, err
}

// HelmFor returns the settings for one chart: the file's general settings with the chart's own over
// them, and the flags' over both. Values files named in the file are resolved against its folder.
func (c *Config) HelmFor(chart string, flags *Helm) Helm {
	var out Helm
	merge := func(h *Helm, base string) {
		if h == nil {
			return
		}
		if h.ReleaseName != "" {
			out.ReleaseName = h.ReleaseName
		}
		if h.Namespace != "" {
			out.Namespace = h.Namespace
		}
		if h.KubeVersion != "" {
			out.KubeVersion = h.KubeVersion
		}
		for _, v := range h.Values {
			if base != "" && !filepath.IsAbs(v) {
				v = filepath.Join(base, v)
			}
			out.Values = append(out.Values, v)
		}
		out.Set = append(out.Set, h.Set...)
		out.SetString = append(out.SetString, h.SetString...)
	}
	if c != nil && c.Helm != nil {
		merge(c.Helm, c.Dir())
		if rel, ok := c.relative(chart); ok {
			merge(c.Helm.Charts[rel], c.Dir())
		}
	}
	merge(flags, "")
	return out
}

// relative names a path relative to the config's folder.
func (c *Config) relative(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	base, err := filepath.Abs(c.Dir())
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil {
		return "", false
	}
	return filepath.Clean(rel), true
}
