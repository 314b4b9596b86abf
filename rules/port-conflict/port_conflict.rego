# METADATA
# title: Containers that run at the same time declare the same port
# description: |
#   All containers of a pod share one network namespace, so two of them cannot listen on the same
#   port and protocol at once. The rule reports a containerPort (with its protocol, TCP when unset)
#   declared twice in one container, or by two containers that run at the same time, and a hostPort
#   that two such containers claim on the same host address.
#
#   Regular containers and native sidecars (init containers with restartPolicy Always) run
#   concurrently. Ordinary init containers run one after another, before the regular containers, so
#   they clash only with the sidecars declared before them, which are already running.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/#resource-sharing-and-communication
#     description: Containers in a pod share its network namespace and port space
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
#     description: Native sidecar containers and when they run
# custom:
#   id: port-conflict
#   severity: error
#   remediation: |
#     Give each container that runs at the same time its own port (and hostPort). If the same port
#     really belongs to two containers, only one of them can bind it: remove the port from the other,
#     or move one of them into a pod of its own.
package podlint.rules.port_conflict

import data.podlint.lib

_where(pod, a, b) := sprintf("earlier in the same container (%s)", [lib.format_path(a.path)]) if {
	a.container == b.container
} else := sprintf("by %s (%s)", [pod.containers[a.container].label, lib.format_path(a.path)])

# _label(pod, b, a) names b's container; when a's has the same name (the API server rejects that,
# but the manifest says it), it adds where it is, so that the message tells them apart.
_label(pod, b, a) := sprintf("%s at %s", [c.label, lib.format_path(c.path)]) if {
	a.container != b.container
	c := pod.containers[b.container]
	c.label == pod.containers[a.container].label
} else := pod.containers[b.container].label

# Each port that clashes with an earlier one carries the index of the first such port (repeats,
# host_repeats; see podlint.lib.pods), found in one pass: comparing every pair would be quadratic in
# the number of ports.
deny contains finding if {
	some pod in lib.pods
	pod.repeated_ports # cheap guard first: most pods declare each port once
	some b in pod.ports
	a := pod.ports[b.repeats]
	finding := {
		"msg": sprintf("containerPort %v/%s of %s is also declared %s; containers that run at the same time share the pod's network and only one can listen on it", [b.port, b.protocol, _label(pod, b, a), _where(pod, a, b)]),
		"path": array.concat(b.path, ["containerPort"]),
		"related": [{
			"path": array.concat(a.path, ["containerPort"]),
			"msg": sprintf("containerPort %v/%s first declared here", [b.port, b.protocol]),
		}],
	}
}

deny contains finding if {
	some pod in lib.pods
	pod.repeated_host_ports # likewise
	some b in pod.ports
	a := pod.ports[b.host_repeats]
	finding := {
		"msg": sprintf("hostPort %v/%s of %s is also claimed %s; the node can give it to only one of them", [b.host_port, b.protocol, _label(pod, b, a), _where(pod, a, b)]),
		"path": array.concat(b.path, ["hostPort"]),
		"related": [{
			"path": array.concat(a.path, ["hostPort"]),
			"msg": sprintf("hostPort %v/%s first claimed here", [b.host_port, b.protocol]),
		}],
	}
}
