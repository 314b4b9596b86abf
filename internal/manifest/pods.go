package manifest

import (
	"fmt"
	"sort"
	"strings"
)

// PodKind says where the objects of one kind keep their pod.
type PodKind struct {
	// Group is the kind's API group, the apiVersion without its version: "" for the core group
	// (apiVersion v1), "apps", "argoproj.io".
	Group string
	Kind  string
	// Template is the path of the pod template, the mapping whose metadata and spec are the pod's;
	// empty when the object is itself the pod (a Pod: its own metadata and spec).
	Template Path
	// Completes is true for kinds whose pods run to completion (a Job's) rather than until they are
	// stopped.
	Completes bool
	// Custom is true for a custom resource, false for Kubernetes' own kinds. The table sets it.
	Custom bool
}

// Pod is where an object of the kind keeps its pod.
func (k PodKind) Pod() Pod {
	return Pod{Spec: k.Template.Append("spec"), Metadata: k.Template.Append("metadata")}
}

// kubernetesPodKinds are Kubernetes' own kinds that carry a pod, at the group that serves them.
var kubernetesPodKinds = []PodKind{
	{Group: "", Kind: "Pod"},
	{Group: "", Kind: "PodTemplate", Template: Path{"template"}},
	{Group: "", Kind: "ReplicationController", Template: Path{"spec", "template"}},
	{Group: "apps", Kind: "Deployment", Template: Path{"spec", "template"}},
	{Group: "apps", Kind: "StatefulSet", Template: Path{"spec", "template"}},
	{Group: "apps", Kind: "DaemonSet", Template: Path{"spec", "template"}},
	{Group: "apps", Kind: "ReplicaSet", Template: Path{"spec", "template"}},
	{Group: "batch", Kind: "Job", Template: Path{"spec", "template"}, Completes: true},
	{Group: "batch", Kind: "CronJob", Template: Path{"spec", "jobTemplate", "spec", "template"}, Completes: true},
}

// customPodKinds are widely used custom resources whose pod template sits at one known path.
// Resources with several pod templates (a list of tasks, a map of replica types) are not here: one
// path cannot name them.
var customPodKinds = []PodKind{
	{Group: "argoproj.io", Kind: "Rollout", Template: Path{"spec", "template"}},
	{Group: "serving.knative.dev", Kind: "Service", Template: Path{"spec", "template"}},
	{Group: "serving.knative.dev", Kind: "Configuration", Template: Path{"spec", "template"}},
	{Group: "serving.knative.dev", Kind: "Revision"},
	{Group: "sources.knative.dev", Kind: "ContainerSource", Template: Path{"spec", "template"}},
	{Group: "keda.sh", Kind: "ScaledJob", Template: Path{"spec", "jobTargetRef", "template"}, Completes: true},
	{Group: "apps.kruise.io", Kind: "CloneSet", Template: Path{"spec", "template"}},
	{Group: "apps.kruise.io", Kind: "StatefulSet", Template: Path{"spec", "template"}},
	{Group: "apps.kruise.io", Kind: "DaemonSet", Template: Path{"spec", "template"}},
	{Group: "apps.kruise.io", Kind: "BroadcastJob", Template: Path{"spec", "template"}, Completes: true},
	{Group: "apps.openshift.io", Kind: "DeploymentConfig", Template: Path{"spec", "template"}},
}

type groupKind struct{ group, kind string }

// PodKinds is a table of the kinds that carry a pod, by API group and kind. It does not change once
// made, so one table is shared by every file and goroutine of a run.
type PodKinds struct {
	byKey map[groupKind]PodKind
	// kubernetes holds Kubernetes' own kinds by name, for objects at another Kubernetes group.
	kubernetes map[string]PodKind
}

var builtinPodKinds = func() *PodKinds {
	t, err := NewPodKinds(nil)
	if err != nil {
		panic(err)
	}
	return t
}()

// BuiltinPodKinds returns podlint's own table: Kubernetes' kinds and well-known custom resources.
func BuiltinPodKinds() *PodKinds { return builtinPodKinds }

// NewPodKinds returns the built-in table with more kinds, such as a configuration adds. An added kind
// replaces a built-in custom resource of the same group and kind; one of Kubernetes' own kinds
// cannot be changed, and a kind added twice is an error.
func NewPodKinds(extra []PodKind) (*PodKinds, error) {
	t := &PodKinds{byKey: map[groupKind]PodKind{}, kubernetes: map[string]PodKind{}}
	for _, k := range kubernetesPodKinds {
		k.Custom = false
		t.byKey[groupKind{k.Group, k.Kind}] = k
		t.kubernetes[k.Kind] = k
	}
	for _, k := range customPodKinds {
		k.Custom = true
		t.byKey[groupKind{k.Group, k.Kind}] = k
	}
	added := map[groupKind]bool{}
	for _, k := range extra {
		if k.Kind == "" {
			return nil, fmt.Errorf("a pod kind needs a kind")
		}
		if IsKubernetesPodKind(k.Group, k.Kind) {
			return nil, fmt.Errorf("%s is one of Kubernetes' own kinds: podlint knows where its pod is", k.Name())
		}
		key := groupKind{k.Group, k.Kind}
		if added[key] {
			return nil, fmt.Errorf("%s is added twice", k.Name())
		}
		added[key] = true
		k.Custom = true
		k.Template = k.Template.Append() // a copy the caller cannot change
		t.byKey[key] = k
	}
	return t, nil
}

// Name names the kind with its group, the way kubectl names resources: Rollout.argoproj.io, or
// Pod for the core group.
func (k PodKind) Name() string {
	if k.Group == "" {
		return k.Kind
	}
	return k.Kind + "." + k.Group
}

// APIGroup returns the group of an apiVersion: "apps" for apps/v1, "" for v1.
func APIGroup(apiVersion string) string {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// IsKubernetesGroup reports whether an API group is one of Kubernetes' own, served by the API
// server itself: the core group, a name without a dot (apps, batch, extensions), or one under
// k8s.io. A custom resource's group always has a dot (a domain its authors own).
func IsKubernetesGroup(group string) bool {
	return !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io")
}

// IsKubernetesPodKind reports whether group and kind name one of Kubernetes' pod-bearing kinds: at
// its own group, or at another Kubernetes group, where it is the same kind at an apiVersion the
// server does not serve it at (extensions/v1beta1 Deployment, or a slip such as v1 Deployment).
func IsKubernetesPodKind(group, kind string) bool {
	if !IsKubernetesGroup(group) {
		return false
	}
	for _, k := range kubernetesPodKinds {
		if k.Kind == kind {
			return true
		}
	}
	return false
}

// Lookup returns the kind of an object, from its apiVersion and kind, and whether it carries a pod.
// The group and kind must match an entry of the table, except that one of Kubernetes' kinds at
// another Kubernetes group is still that kind (see IsKubernetesPodKind). A kind of the same name in
// a custom resource's group (OpenKruise's StatefulSet in apps.kruise.io) is a different kind.
func (t *PodKinds) Lookup(apiVersion, kind string) (PodKind, bool) {
	if t == nil {
		t = builtinPodKinds
	}
	group := APIGroup(apiVersion)
	if k, ok := t.byKey[groupKind{group, kind}]; ok {
		return k, true
	}
	if IsKubernetesGroup(group) {
		k, ok := t.kubernetes[kind]
		return k, ok
	}
	return PodKind{}, false
}

// List returns the table's kinds: Kubernetes' own first, then the custom resources, each sorted by
// group and kind.
func (t *PodKinds) List() []PodKind {
	if t == nil {
		t = builtinPodKinds
	}
	out := make([]PodKind, 0, len(t.byKey))
	for _, k := range t.byKey {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Custom != b.Custom {
			return !a.Custom
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		return a.Kind < b.Kind
	})
	return out
}

// KubernetesPodKinds lists the names of Kubernetes' own kinds that carry a pod, for documentation
// and tests.
func KubernetesPodKinds() []string {
	names := make([]string, len(kubernetesPodKinds))
	for i, k := range kubernetesPodKinds {
		names[i] = k.Kind
	}
	return names
}

// Load reads one source, finding pods with this table (nil: the built-in one). See the package's
// Load.
func (t *PodKinds) Load(name string, data []byte) *File {
	if t == nil {
		t = builtinPodKinds
	}
	return loadFile(name, data, t)
}

// findPods returns the pod of a pod-bearing kind. A pod-bearing object whose spec is missing or not
// a mapping still has its pod slot, so that schema validation can say what is wrong with it.
func (t *PodKinds) findPods(o Object) []Pod {
	k, ok := t.Lookup(o.APIVersion, o.Kind)
	if !ok {
		return nil
	}
	return []Pod{k.Pod()}
}

// Get returns the value at p, and whether it exists.
func Get(v any, p Path) (any, bool) {
	for _, seg := range p {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i := 0
			for _, r := range seg {
				if r < '0' || r > '9' {
					return nil, false
				}
				i = i*10 + int(r-'0')
				if i > len(c) {
					return nil, false
				}
			}
			if seg == "" || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
