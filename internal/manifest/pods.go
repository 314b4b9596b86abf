package manifest

// podPaths says where each kind keeps its pod: the spec and the metadata of the pod template.
var podPaths = map[string]Pod{
	"Pod":                   {Spec: Path{"spec"}, Metadata: Path{"metadata"}},
	"PodTemplate":           {Spec: Path{"template", "spec"}, Metadata: Path{"template", "metadata"}},
	"Deployment":            {Spec: Path{"spec", "template", "spec"}, Metadata: Path{"spec", "template", "metadata"}},
	"StatefulSet":           {Spec: Path{"spec", "template", "spec"}, Metadata: Path{"spec", "template", "metadata"}},
	"DaemonSet":             {Spec: Path{"spec", "template", "spec"}, Metadata: Path{"spec", "template", "metadata"}},
	"ReplicaSet":            {Spec: Path{"spec", "template", "spec"}, Metadata: Path{"spec", "template", "metadata"}},
	"ReplicationController": {Spec: Path{"spec", "template", "spec"}, Metadata: Path{"spec", "template", "metadata"}},
	"Job":                   {Spec: Path{"spec", "template", "spec"}, Metadata: Path{"spec", "template", "metadata"}},
	"CronJob": {Spec: Path{"spec", "jobTemplate", "spec", "template", "spec"},
		Metadata: Path{"spec", "jobTemplate", "spec", "template", "metadata"}},
}

// PodKinds lists the kinds that carry a pod, for documentation and tests.
func PodKinds() []string {
	return []string{"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
		"ReplicationController", "Job", "CronJob"}
}

// PodPaths returns where a kind keeps its pod, and whether it has one.
func PodPaths(kind string) (Pod, bool) {
	p, ok := podPaths[kind]
	return p, ok
}

// findPods returns the pod of a pod-bearing kind. A pod-bearing object whose spec is missing or not a
// mapping still has its pod slot, so that schema validation can say what is wrong with it.
func findPods(kind string) []Pod {
	p, ok := podPaths[kind]
	if !ok {
		return nil
	}
	return []Pod{p}
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
