# METADATA
# title: The pod is pinned to named nodes
# description: |
#   Tying a pod to particular machines by name defeats the scheduler: when that node is drained,
#   fails or is replaced (node names change with every autoscaled or upgraded node) the pod cannot
#   run anywhere else. The rule reports a nodeSelector on kubernetes.io/hostname, a spec.nodeName
#   set in the manifest, and required node affinity that can only ever match named hosts: every
#   term has a `kubernetes.io/hostname In [...]` expression or a `metadata.name In [...]` field.
#
#   A Pod as the cluster shows it (`kubectl get pod -o yaml`) carries the nodeName the scheduler
#   chose; a Pod with `metadata.ownerReferences` (a controller made it) or with a `status` is such
#   output, and its nodeName is not reported. Its node selector and affinity still are: they come
#   from the author.
#
#   Selecting a group of nodes by what they offer (`gpu: "true"`, a zone, an instance type) is fine
#   and is not reported.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
#     description: Assigning pods to nodes with selectors and affinity
#   - ref: https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetesiohostname
#     description: The kubernetes.io/hostname label
# custom:
#   id: hostname-pinning
#   severity: warning
#   remediation: |
#     Label the nodes by what the pod needs (`disktype: ssd`, `gpu: "true"`) and select on that
#     label, or use preferred rather than required affinity. Leave spec.nodeName to the scheduler.
#     For data that lives on one node, use a local PersistentVolume, whose node affinity the
#     scheduler honours.
package podlint.rules.hostname_pinning

import data.podlint.lib

_hostname := "kubernetes.io/hostname"

deny contains finding if {
	some pod in lib.pods
	value := pod.spec.nodeSelector[_hostname]
	finding := {
		"msg": sprintf("nodeSelector %s=%v pins the pod to one named node; it cannot run anywhere else when that node goes away", [_hostname, value]),
		"path": array.concat(pod.path, ["nodeSelector", _hostname]),
		"at": "key",
	}
}

deny contains finding if {
	some pod in lib.pods
	name := pod.spec.nodeName
	is_string(name)
	name != ""
	not _scheduled(pod)
	finding := {
		"msg": sprintf("nodeName %q binds the pod to one node and bypasses the scheduler; it cannot run anywhere else when that node goes away", [name]),
		"path": array.concat(pod.path, ["nodeName"]),
	}
}

# _scheduled(pod) is true for a pod as the cluster shows it (kubectl get -o yaml): one a controller
# made (ownerReferences) or one with a status. Its nodeName was written by the scheduler, not by the
# author of the manifest.
_scheduled(pod) if {
	pod.metadata_path == ["metadata"]
	count(object.get(input, ["metadata", "ownerReferences"], [])) > 0
}

_scheduled(pod) if {
	pod.metadata_path == ["metadata"]
	object.get(input, "status", null) != null
}

_terms_path := ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]

# _pins lists the requirements of a term that only named hosts satisfy.
_pins(term) := array.concat(
	[p |
		some j, e in _list(term, "matchExpressions")
		e.key == _hostname
		e.operator == "In"
		p := {"field": "matchExpressions", "index": j, "values": _list(e, "values")}
	],
	[p |
		some j, f in _list(term, "matchFields")
		f.key == "metadata.name"
		f.operator == "In"
		p := {"field": "matchFields", "index": j, "values": _list(f, "values")}
	],
)

_list(obj, key) := obj[key] if {
	is_array(obj[key])
} else := []

deny contains finding if {
	some pod in lib.pods
	terms := object.get(pod.spec, _terms_path, null)
	is_array(terms)
	count(terms) > 0
	every term in terms {
		count(_pins(term)) > 0
	}
	first := _pins(terms[0])[0]
	hosts := sort({sprintf("%v", [h]) | some term in terms; some p in _pins(term); some h in p.values})
	finding := {
		"msg": sprintf("required node affinity can only match the named nodes %s; the pod cannot run anywhere else when they go away", [concat(", ", hosts)]),
		"path": array.concat(pod.path, array.concat(_terms_path, [0, first.field, first.index, "key"])),
	}
}
