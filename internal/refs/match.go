package refs

import "sort"

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
	}
	return m
}

// match returns the objects with a pod the selector picks: those of its namespace, and those of
// other namespaces.
func (m *matcher) match(sel *Object) (selected, elsewhere []int) {
	s := sel.Selector
	candidates := m.all
	for k, v := range s.MatchLabels {
		if c := m.byPair[[2]string{k, v}]; len(c) < len(candidates) {
			candidates = c
		}
	}
	for _, i := range candidates {
		o := m.objects[i]
		hit := false
		for _, p := range o.Pods {
			if s.Matches(p.Labels) {
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
	for k, v := range s.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, r := range s.Expressions {
		v, ok := labels[r.Key]
		switch r.Operator {
		case "In":
			if !ok || !has(r.Values, v) {
				return false
			}
		case "NotIn":
			if ok && has(r.Values, v) {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
