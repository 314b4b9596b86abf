# METADATA
# title: A probe or lifecycle hook uses a port the container does not declare
# description: |
#   The ports list of a container documents what it listens on; Services, network policies and
#   readers rely on it. A probe or lifecycle handler (httpGet, tcpSocket, grpc) that checks a port
#   number the container does not declare points at an undocumented port, or at the wrong one. (A
#   number that another container of the pod declares is documented: the pod shares one network,
#   and some pods check a helper container's health port.) A handler that names a port
#   (`port: http`) the container itself does not declare is worse: the kubelet looks names up in
#   the container's own ports only, cannot resolve it, and the probe or hook fails, so that finding
#   is an error. Handlers with a host set check another machine and are skipped.
#
#   As information, the rule also lists declared container ports without a name: a name documents
#   what the port is for and lets probes and Services refer to it.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
#     description: Probes, and referring to a named port
#   - ref: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
#     description: Lifecycle hooks and their handlers
# custom:
#   id: undocumented-port
#   severity: warning
#   remediation: |
#     Declare every port the container listens on under ports, with a name (`name: http`), and have
#     probes and hooks refer to it by that name. A named port used by a probe must exist in the same
#     container.
package podlint.rules.undocumented_port

import data.podlint.lib

# Messages name the handler: "the readinessProbe httpGet check", "the preStop httpGet hook".
_what(h) := sprintf("the %s %s hook", [h.where, h.type]) if {
	h.hook
} else := sprintf("the %s %s check", [h.where, h.type])

_fails(h) := sprintf("the %s hook fails", [h.where]) if {
	h.hook
} else := sprintf("the %s fails", [h.where])

_declared_number(pod_path, n) if {
	some pod in lib.pods
	pod.path == pod_path
	pod.port_numbers[n]
}

# A handler with a host checks another machine: its port is not the pod's.
deny contains finding if {
	some c in lib.containers
	some h in c.handlers
	h.host == ""
	is_number(h.port)
	not _declared_number(c.pod_path, h.port)
	finding := {
		"msg": sprintf("%s of %s uses port %v, which no container of the pod declares in its ports", [_what(h), c.label, h.port]),
		"path": h.path,
	}
}

# gRPC probes take only a number: a string there is a schema error, not a port name.
deny contains finding if {
	some c in lib.containers
	some h in c.handlers
	h.host == ""
	is_string(h.port)
	h.type != "grpc"
	not c.port_names[h.port]
	finding := {
		"msg": sprintf("%s of %s names port %q, which the container does not declare: %s", [_what(h), c.label, h.port, _consequence(h)]),
		"path": h.path,
		"severity": "error",
	}
}

_consequence(h) := sprintf("a quoted number is read as a port name, so %s; write the number unquoted", [_fails(h)]) if {
	regex.match(`^[0-9]+$`, h.port)
} else := sprintf("the kubelet cannot resolve it and %s", [_fails(h)])

deny contains finding if {
	some pod in lib.pods
	some p in pod.ports
	p.name == ""
	finding := {
		"msg": sprintf("containerPort %v of %s has no name; a name (http, metrics) says what it is for and lets probes and Services use it", [p.port, pod.containers[p.container].label]),
		"path": array.concat(p.path, ["containerPort"]),
		"severity": "info",
	}
}
