# Helpers for rules of the whole run (METADATA custom.scope: run), whose input is the run's index
# of objects rather than one document. The index, as `input`:
#   objects     every object of the run (and, for a run that names only some files of a
#               repository, the repository's other manifests, with context true). Each has
#               id (its position in objects), apiVersion, group, kind, name, namespace (where it
#               lands: its own, else the default of the run or of its chart), namespaceSet,
#               labels, file, line, at (the position of its name), context, templated
#               (placeholders such as ${VAR} or {{ }} in its names, labels or ports, or a port
#               written as a word: what the cluster sees is not known), nameTemplated and
#               namespaceTemplated (a placeholder in the name, in the namespace), and:
#     pods      the pods it makes: labels, ports ([{name, containerPort, protocol, container}]
#               of regular containers and native sidecars) and at (the pod's labels)
#     selector  for a Service, PodDisruptionBudget or NetworkPolicy: field, matchLabels,
#               matchExpressions, empty, at, selected (ids of the objects of its namespace with a
#               pod it picks) and elsewhere (ids of such objects in other namespaces)
#     service   for a Service: type, clusterIP, headless, ports ([{name, port, protocol,
#               targetPort, at}], at on targetPort)
#     refs      references by name: [{field, apiVersion, kind, name, at}], with port and portAt
#               for an Ingress backend that names a Service port
#   complete    false when the run may lack objects that exist (a chart that did not render, a
#               file that does not parse, charts or kustomizations of the repository outside the
#               run); incomplete says why
# A result of such a rule is an object with msg and at (one of the index's at values), and
# optionally severity and related ([{at, msg}]: other places the finding involves).
package podlint.lib

# referrers are the objects of the run (not context, not templated) that select or name others:
# the objects the built-in rules judge. Rules that iterate them rather than every object of the
# index read the index once between them.
referrers := [o |
	some o in input.objects
	not o.context
	not o.templated
	_refers(o)
]

_refers(o) if o.selector

_refers(o) if count(o.refs) > 0

# templated are the objects with placeholders: what the cluster sees of them is not known.
templated := [o | some o in input.objects; o.templated]

# may_be says whether a templated object's name or namespace (field) may be want: it is, or it is
# a placeholder.
may_be(o, field, want) if o[field] == want

may_be(o, field, _) if object.get(o, sprintf("%sTemplated", [field]), false)

# describe names an object as messages do: "Service web" (with its namespace when it sets one).
describe(o) := sprintf("%s %s/%s", [o.kind, o.namespace, o.name]) if {
	o.namespaceSet
} else := sprintf("%s %s", [o.kind, o.name])

# selector_text writes a selector as kubectl takes it: app=web,tier in (db,cache).
selector_text(sel) := concat(",", array.concat(
	sort([sprintf("%s=%s", [k, v]) | some k, v in sel.matchLabels]),
	[_requirement_text(r) | some r in sel.matchExpressions],
))

_requirement_text(r) := sprintf("%s in (%s)", [r.key, concat(",", r.values)]) if r.operator == "In"

_requirement_text(r) := sprintf("%s notin (%s)", [r.key, concat(",", r.values)]) if r.operator == "NotIn"

_requirement_text(r) := r.key if r.operator == "Exists"

_requirement_text(r) := sprintf("!%s", [r.key]) if r.operator == "DoesNotExist"

# names lists objects for a message: "Deployment web, StatefulSet db".
names(ids) := concat(", ", sort({describe(input.objects[i]) | some i in ids}))

# group_of is the API group of an apiVersion ("" for v1).
group_of(api) := split(api, "/")[0] if contains(api, "/")

else := ""
