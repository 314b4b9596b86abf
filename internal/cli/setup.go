package cli

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/podlint/podlint/internal/config"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/report"
)

// configFlags are the flags that adjust the configuration file.
type configFlags struct {
	configFile string
	enable     stringList
	disable    stringList
	exclude    stringList
	selector   string
	noSuppress bool
	policies   stringList
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configFile, "config", "", "read configuration from `FILE` (default: .podlint.yaml in this folder or a parent, up to the repository root)")
	fs.Var(&c.enable, "enable", "turn `RULES` on (comma-separated ids), overriding the configuration; repeatable")
	fs.Var(&c.disable, "disable", "turn `RULES` off (comma-separated ids); repeatable")
	fs.Var(&c.exclude, "exclude", "skip paths matching `GLOB` (** matches folders); repeatable")
	fs.StringVar(&c.selector, "selector", "", "lint only objects whose pod labels match the kubectl label `SELECTOR` (app=web,rel in (beta,canary))")
	fs.StringVar(&c.selector, "l", "", "shorthand for --selector")
	fs.Var(&c.policies, "policy", "also apply the Rego policies in `DIR` (repeatable; added to the configuration's)")
	fs.BoolVar(&c.noSuppress, "no-suppress", false, "report everything, ignoring podlint:ignore comments and podlint.io/ignore annotations")
}

// loadConfig reads the configuration file (named, or found from the current folder) and applies the
// flags over it.
func loadConfig(fl *configFlags, fs *flag.FlagSet) (*config.Config, error) {
	cfg := &config.Config{}
	path := fl.configFile
	if path == "" {
		wd, err := os.Getwd()
		if err == nil {
			path, _ = config.Find(wd)
		}
	}
	if path != "" {
		c, err := config.Load(path)
		if err != nil {
			return nil, err
		}
		cfg = c
	}
	for _, g := range fl.exclude {
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("--exclude: %q is not a valid glob pattern", g)
		}
	}
	cfg.Exclude = append(cfg.Exclude, fl.exclude...)
	cfg.AddPolicies(fl.policies...)
	for _, id := range splitIDs(fl.disable) {
		cfg.SetRule(id, "off")
	}
	for _, id := range splitIDs(fl.enable) {
		if cfg.Severity(id) == "off" {
			cfg.SetRule(id, "") // back to the rule's own severity
		}
	}
	return cfg, nil
}

func splitIDs(list []string) []string {
	var out []string
	for _, s := range list {
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// checkRuleIDs rejects unknown rule ids in the flags and the configuration file.
func checkRuleIDs(fl *configFlags, cfg *config.Config, known func(string) bool) error {
	for _, f := range []struct {
		name string
		ids  []string
	}{{"--enable", splitIDs(fl.enable)}, {"--disable", splitIDs(fl.disable)}} {
		for _, id := range f.ids {
			if !known(id) {
				return fmt.Errorf("%s: unknown rule %q (podlint rules lists them)", f.name, id)
			}
		}
	}
	return cfg.CheckRules(known)
}

// ruleSettings turns the configuration into lint's per-rule hook.
func ruleSettings(cfg *config.Config) func(string, lint.Severity) (lint.Severity, bool) {
	return func(id string, sev lint.Severity) (lint.Severity, bool) {
		switch s := cfg.Severity(id); s {
		case "":
			return sev, true
		case "off":
			return sev, false
		default:
			v, err := lint.ParseSeverity(s)
			if err != nil {
				return sev, true
			}
			return v, true
		}
	}
}

// selectorFilter parses a kubectl label selector. Objects that carry a pod are matched on the pod's
// labels (a Deployment on its template's), other objects on their own.
func selectorFilter(sel string) (func(*manifest.Document) bool, error) {
	if sel == "" {
		return nil, nil
	}
	s, err := labels.Parse(sel)
	if err != nil {
		return nil, fmt.Errorf("--selector: %w", err)
	}
	return func(doc *manifest.Document) bool {
		path := manifest.Path{"metadata", "labels"}
		if len(doc.Pods) > 0 {
			path = doc.Pods[0].Metadata.Append("labels")
		}
		v, _ := manifest.Get(doc.Value, path)
		m, _ := v.(map[string]any)
		set := labels.Set{}
		for k, val := range m {
			if s, ok := val.(string); ok {
				set[k] = s
			} else {
				set[k] = fmt.Sprint(val)
			}
		}
		return s.Matches(set)
	}, nil
}

// knownSet says whether a rule id is in the catalog.
func knownSet(catalog map[string]report.RuleInfo) func(string) bool {
	return func(id string) bool {
		_, ok := catalog[id]
		return ok
	}
}
