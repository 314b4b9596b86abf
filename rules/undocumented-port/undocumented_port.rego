# METADATA
# title: A probe or lifecycle hook uses a port the container does not declare
# description: |
#   The ports list of a container documents what it listens on; Services, network policies and
#   readers rely on it. A probe or lifecycle handler (httpGet, tcpSocket, grpc) that checks a port
#   number missing from the list points at an undocumented port, or at the wrong one. A handler that
#   names a port (`port: http`) the container does not declare is worse: the kubelet cannot resolve
#   the name and the probe or hook fails, so that finding is an error. Handlers with a host set
#   check another machine and are skipped.
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

_declares_number(container, n) if {
	some p in container.ports
	p.containerPort == n
}

_declares_name(container, name) if {
	some p in container.ports
	p.name == name
}

# A handler with a host checks another machine: its port is not the pod's.
deny contains finding if {
	some c in lib.containers
	some h in c.handlers
	h.host == ""
	is_number(h.port)
	not _declares_number(c.container, h.port)
	finding := {
		"msg": sprintf("%s of %s uses port %v, which the container does not declare in its ports", [_what(h), c.label, h.port]),
		"path": h.path,
	}
}

deny contains finding if {
	some c in lib.containers
	some h in c.handlers
	h.host == ""
	is_string(h.port)
	not _declares_name(c.container, h.port)
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
