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

# a is declared before b: in an earlier container, or earlier in the same one.
_before(a, b) if a.container < b.container

_before(a, b) if {
	a.container == b.container
	a.index < b.index
}

_same_time(_, a, b) if a.container == b.container

_same_time(pod, a, b) if lib.overlap(pod.containers[a.container], pod.containers[b.container])

# A hostIP of 0.0.0.0 (or none) takes the port on every address of the node.
_wildcard(ip) if ip in {"", "0.0.0.0"}

_same_host_ip(a, b) if a.host_ip == b.host_ip

_same_host_ip(a, _) if _wildcard(a.host_ip)

_same_host_ip(_, b) if _wildcard(b.host_ip)

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

deny contains finding if {
	some pod in lib.pods
	pod.repeated_ports # cheap guard first: most pods declare each port once
	some b in pod.ports
	earlier := [a |
		some a in pod.ports
		a.port == b.port
		a.protocol == b.protocol
		_before(a, b)
		_same_time(pod, a, b)
	]
	count(earlier) > 0
	finding := {
		"msg": sprintf("containerPort %v/%s of %s is also declared %s; containers that run at the same time share the pod's network and only one can listen on it", [b.port, b.protocol, _label(pod, b, earlier[0]), _where(pod, earlier[0], b)]),
		"path": array.concat(b.path, ["containerPort"]),
		"related": [{
			"path": array.concat(earlier[0].path, ["containerPort"]),
			"msg": sprintf("containerPort %v/%s first declared here", [b.port, b.protocol]),
		}],
	}
}

deny contains finding if {
	some pod in lib.pods
	pod.repeated_host_ports # likewise
	some b in pod.ports
	b.host_port != 0
	earlier := [a |
		some a in pod.ports
		a.host_port == b.host_port
		a.protocol == b.protocol
		_same_host_ip(a, b)
		a.port != b.port # the same containerPort is reported on the containerPort
		_before(a, b)
		_same_time(pod, a, b)
	]
	count(earlier) > 0
	finding := {
		"msg": sprintf("hostPort %v/%s of %s is also claimed %s; the node can give it to only one of them", [b.host_port, b.protocol, _label(pod, b, earlier[0]), _where(pod, earlier[0], b)]),
		"path": array.concat(b.path, ["hostPort"]),
		"related": [{
			"path": array.concat(earlier[0].path, ["hostPort"]),
			"msg": sprintf("hostPort %v/%s first claimed here", [b.host_port, b.protocol]),
		}],
	}
}
