package refs

import (
	"sort"
	"strings"
)

// matcher finds the pods a selector picks without comparing every selector with every pod: pods
// are indexed by each label pair, and a selector with matchLabels looks only at the pods that
// carry its rarest pair.
type matcher struct {
	objects []*Object
	byPair  map[[2]string][]int // label pair -> ids of objects with a pod carrying it
	all     []int               // ids of objects with pods
	byName  map[[2]string][]int // kind and name -> ids
}

func newMatcher(objs []*Object) *matcher {
	m := &matcher{objects: objs, byPair: map[[2]string][]int{}, byName: map[[2]string][]int{}}
	for i, o := range objs {
		m.byName[[2]string{o.Kind, o.Name}] = append(m.byName[[2]string{o.Kind, o.Name}], i)
		if len(o.Pods) == 0 {
			continue
		}
		m.all = append(m.all, i)
		seen := map[[2]string]bool{}
		for _, p := range o.Pods {
			for k, v := range p.Labels {
				pair := [2]string{k, v}
				if !seen[pair] {
					seen[pair] = true
					m.byPair[pair] = append(m.byPair[pair], i)
				}
			}
		}
		// the labels controllers set are looked up by key (controllerLabels), not indexed: a
		// selector on them narrows nothing here (see match)
	}
	return m
}

// match returns the objects with a pod the selector picks: those of its namespace, and those of
// other namespaces.
func (m *matcher) match(sel *Object) (selected, elsewhere []int) {
	s := sel.Selector
	candidates := m.all
	for k, v := range s.MatchLabels {
		if controllerKeys[k] {
			continue // pods may carry it without their template saying so
		}
		if c := m.byPair[[2]string{k, v}]; len(c) < len(candidates) {
			candidates = c
		}
	}
	for _, i := range candidates {
		o := m.objects[i]
		hit := false
		for _, p := range o.Pods {
			if s.MatchesPod(o, p) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		if o.Namespace == sel.Namespace {
			selected = append(selected, i)
		} else {
			elsewhere = append(elsewhere, i)
		}
	}
	sort.Ints(selected)
	sort.Ints(elsewhere)
	return selected, elsewhere
}

// Matches says whether the selector picks a pod with these labels, as the API server's label
// selectors do: every matchLabels pair, and every requirement (In, NotIn, Exists, DoesNotExist).
// An unknown operator matches nothing (the API server rejects it).
func (s *Selector) Matches(labels map[string]string) bool {
	return s.matches(func(k string) labelValue {
		v, ok := labels[k]
		return labelValue{value: v, ok: ok}
	})
}

// MatchesPod says whether the selector may pick pods of the object: those carry their template's
// labels and those their controller adds (controllerLabel), some of whose values are known only
// in the cluster; such a value may be any the selector asks for.
func (s *Selector) MatchesPod(o *Object, p Pod) bool {
	return s.matches(func(k string) labelValue {
		if v, ok := p.Labels[k]; ok {
			return labelValue{value: v, ok: true}
		}
		return controllerLabel(o, k)
	})
}

// labelValue is a pod's label as a selector sees it: absent (not ok), a value, any value (a hash
// or uid the controller makes up), or a value made of the prefix in value and an ordinal (the pods
// of a StatefulSet are named web-0, web-1, ...).
type labelValue struct {
	value        string
	ok, any, ord bool
}

func (l labelValue) is(v string) bool {
	switch {
	case !l.ok:
		return false
	case l.any:
		return true
	case l.ord:
		n := strings.TrimPrefix(v, l.value)
		return len(n) < len(v) && n != "" && strings.Trim(n, "0123456789") == "" && (n == "0" || n[0] != '0')
	}
	return v == l.value
}

// exact says that the label has one known value (so NotIn can rule it out).
func (l labelValue) exact() bool { return l.ok && !l.any && !l.ord }

func (s *Selector) matches(label func(k string) labelValue) bool {
	for k, v := range s.MatchLabels {
		if !label(k).is(v) {
			return false
		}
	}
	for _, r := range s.Expressions {
		l := label(r.Key)
		switch r.Operator {
		case "In":
			in := false
			for _, v := range r.Values {
				in = in || l.is(v)
			}
			if !in {
				return false
			}
		case "NotIn":
			if l.exact() && has(r.Values, l.value) {
				return false
			}
		case "Exists":
			if !l.ok {
				return false
			}
		case "DoesNotExist":
			if l.ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// controllerKeys are the labels controllers add to the pods they create, beyond the template's.
var controllerKeys = map[string]bool{
	"job-name": true, "batch.kubernetes.io/job-name": true, "controller-uid": true,
	"batch.kubernetes.io/controller-uid": true, "batch.kubernetes.io/job-completion-index": true,
	"statefulset.kubernetes.io/pod-name": true, "apps.kubernetes.io/pod-index": true,
	"controller-revision-hash": true, "pod-template-hash": true, "pod-template-generation": true,
	"rollouts-pod-template-hash": true,
}

// controllerLabel is a label the controller of the object's pods adds to them: a Job's name (and
// its uid, and an Indexed Job's completion index), a CronJob's Jobs' names (made up at each run),
// a StatefulSet's pod names and indexes, and the revision hashes of Deployments, StatefulSets,
// DaemonSets and Argo Rollouts. A Service that selects the pods of a Job by job-name, or one pod of a StatefulSet by
// its name, selects pods that exist.
func controllerLabel(o *Object, key string) labelValue {
	if !controllerKeys[key] {
		return labelValue{}
	}
	group, _ := groupOf(o.APIVersion)
	anyValue := labelValue{ok: true, any: true}
	switch {
	case group == "batch" && o.Kind == "Job":
		switch key {
		case "job-name", "batch.kubernetes.io/job-name":
			return labelValue{value: o.Name, ok: true, any: o.Name == ""} // generateName: not known
		case "controller-uid", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-completion-index":
			return anyValue
		}
	case group == "batch" && o.Kind == "CronJob":
		switch key {
		case "job-name", "batch.kubernetes.io/job-name", "controller-uid", "batch.kubernetes.io/controller-uid",
			"batch.kubernetes.io/job-completion-index":
			return anyValue
		}
	case group == "apps" && o.Kind == "StatefulSet":
		switch key {
		case "statefulset.kubernetes.io/pod-name":
			return labelValue{value: o.Name + "-", ok: true, ord: true, any: o.Name == ""}
		case "apps.kubernetes.io/pod-index", "controller-revision-hash":
			return anyValue
		}
	case group == "apps" && o.Kind == "Deployment":
		if key == "pod-template-hash" {
			return anyValue
		}
	case group == "apps" && o.Kind == "DaemonSet":
		if key == "controller-revision-hash" || key == "pod-template-generation" {
			return anyValue
		}
	case group == "argoproj.io" && o.Kind == "Rollout":
		if key == "rollouts-pod-template-hash" {
			return anyValue
		}
	}
	return labelValue{}
}

// resolve returns the objects a reference names in its namespace (of its API group, when it names
// one), and those of that kind and name in other namespaces.
func (m *matcher) resolve(from *Object, r Ref) (targets, elsewhere []int) {
	group, _ := groupOf(r.APIVersion)
	for _, i := range m.byName[[2]string{r.Kind, r.Name}] {
		o := m.objects[i]
		if og, _ := groupOf(o.APIVersion); r.APIVersion != "" && og != group {
			continue
		}
		if o.Namespace == from.Namespace {
			targets = append(targets, i)
		} else {
			elsewhere = append(elsewhere, i)
		}
	}
	return targets, elsewhere
}
func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
