# METADATA
# title: A selector matches no pod
# description: |
#   Services, PodDisruptionBudgets and NetworkPolicies find their pods by labels. A selector that
#   matches no pod of its namespace is accepted by the API server and does nothing: a Service with
#   no endpoints, a disruption budget that protects nothing, a network policy that isolates nothing.
#   The cause is usually a typo (`app: wbe`), labels changed on one side only, or the right labels
#   in the wrong namespace: a selector picks pods of its own namespace only, and an object without
#   a namespace lands in the default one (a chart's objects in its release namespace). The message
#   says whether pods with these labels exist in another namespace.
#
#   Pods carry the labels their controller adds as well as their template's: a Job's pods its
#   name (`job-name`, `batch.kubernetes.io/job-name`), a StatefulSet's pods their own names
#   (`statefulset.kubernetes.io/pod-name: web-0`, `web-1`, ...) and indexes, and revision hashes.
#   A selector on those picks the pods that will exist; one on a value known only in the cluster
#   (a hash, a uid, the name of a CronJob's next Job) is taken to match.
#
#   The rule judges what the run shows: every file of the run and, when the run names only some
#   files, the repository's other manifests. It says nothing when that view may be incomplete (a
#   chart or kustomization that did not render or, for a run of some files, charts and
#   kustomizations elsewhere in the repository whose output is not known), and nothing in a
#   namespace that holds custom resources that may make pods (an operator's database cluster),
#   except those of the groups listed in the parameter inert_groups. An ExternalName Service, a
#   Service without a selector and an empty selector (every pod) are left alone.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
#     description: Label selectors
# custom:
#   id: selector-matches-nothing
#   severity: warning
#   scope: run
#   remediation: |
#     Make the selector and the pod template's labels agree, and put the object in the namespace of
#     the pods it is for.
#   params:
#     inert_groups:
#       - cert-manager.io
#       - gateway.networking.k8s.io
#       - networking.istio.io
#       - security.istio.io
#       - telemetry.istio.io
#       - policy.linkerd.io
#       - traefik.io
#       - traefik.containo.us
package podlint.rules.selector_matches_nothing

import data.podlint.lib

_params := lib.params("selector-matches-nothing")

_inert := {g | some g in object.get(_params, "inert_groups", [])}

deny contains finding if {
	input.complete
	some o in lib.referrers
	o.selector
	not o.selector.empty
	not _templated_pods(o.namespace)
	object.get(o, ["service", "type"], "") != "ExternalName"
	count(o.selector.selected) == 0
	not _may_make_pods[o.namespace]
	finding := {
		"msg": sprintf("%s of %s (%s) matches no pod in namespace %s%s", [
			o.selector.field, lib.describe(o), lib.selector_text(o.selector), o.namespace, _elsewhere(o),
		]),
		"at": o.selector.at,
		"related": [{"at": input.objects[i].pods[0].at, "msg": sprintf("pods of %s in namespace %s match", [lib.describe(input.objects[i]), input.objects[i].namespace])} |
			some i in o.selector.elsewhere
		],
	}
}

_elsewhere(o) := sprintf("; pods with these labels exist in namespace %s (%s)", [
	concat(", ", sort({input.objects[i].namespace | some i in o.selector.elsewhere})),
	lib.names(o.selector.elsewhere),
]) if {
	count(o.selector.elsewhere) > 0
} else := "; no pod of the run has these labels"

# Pods of a templated object (${APP} in its labels) may carry any labels, in its namespace (in
# any, if that is a placeholder too).
_templated_pods(ns) if {
	some x in lib.templated
	count(x.pods) > 0
	lib.may_be(x, "namespace", ns)
}

# A custom resource that is not known to carry a pod template may make pods through its operator.
# (A set built once: a partial set looked up by key would be evaluated again for every selector.)
_may_make_pods := {x.namespace |
	some x in input.objects
	contains(x.group, ".")
	not endswith(x.group, ".k8s.io")
	count(x.pods) == 0
	not _inert[x.group]
}
