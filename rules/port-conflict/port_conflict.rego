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

# _ports lists every declared port in start order: by container, then by position.
_ports := [p |
	some c in lib.containers
	some j, port in c.container.ports
	is_number(port.containerPort)
	p := {
		"c": c,
		"index": j,
		"port": port.containerPort,
		"protocol": object.get(port, "protocol", "TCP"),
		"host_port": object.get(port, "hostPort", 0),
		"host_ip": object.get(port, "hostIP", ""),
	}
]

# Cheap guards first: most pods declare each port once, and then nothing else runs.
_repeated_ports if count({[p.port, p.protocol] | some p in _ports}) < count(_ports)

_repeated_host_ports if {
	host_ports := [p.host_port | some p in _ports; p.host_port != 0]
	count({h | some h in host_ports}) < count(host_ports)
}

# a is declared before b: in an earlier container, or earlier in the same one.
_before(a, b) if a.c.order < b.c.order

_before(a, b) if {
	a.c.order == b.c.order
	a.index < b.index
}

_same_time(a, b) if a.c.order == b.c.order

_same_time(a, b) if lib.overlap(a.c, b.c)

# A hostIP of 0.0.0.0 (or none) takes the port on every address of the node.
_wildcard(ip) if ip in {"", "0.0.0.0"}

_same_host_ip(a, b) if a.host_ip == b.host_ip

_same_host_ip(a, _) if _wildcard(a.host_ip)

_same_host_ip(_, b) if _wildcard(b.host_ip)

_where(a, b) := sprintf("earlier in the same container (%s)", [lib.format_path(_path(a))]) if {
	a.c.order == b.c.order
} else := sprintf("by %s (%s)", [a.c.label, lib.format_path(_path(a))])

_path(p) := array.concat(p.c.path, ["ports", p.index])

deny contains finding if {
	_repeated_ports
	some b in _ports
	earlier := [a |
		some a in _ports
		a.port == b.port
		a.protocol == b.protocol
		_before(a, b)
		_same_time(a, b)
	]
	count(earlier) > 0
	finding := {
		"msg": sprintf("containerPort %v/%s of %s is also declared %s; containers that run at the same time share the pod's network and only one can listen on it", [b.port, b.protocol, b.c.label, _where(earlier[0], b)]),
		"path": array.concat(_path(b), ["containerPort"]),
	}
}

deny contains finding if {
	_repeated_host_ports
	some b in _ports
	b.host_port != 0
	earlier := [a |
		some a in _ports
		a.host_port == b.host_port
		a.protocol == b.protocol
		_same_host_ip(a, b)
		a.port != b.port # the same containerPort is reported on the containerPort
		_before(a, b)
		_same_time(a, b)
	]
	count(earlier) > 0
	finding := {
		"msg": sprintf("hostPort %v/%s of %s is also claimed %s; the node can give it to only one of them", [b.host_port, b.protocol, b.c.label, _where(earlier[0], b)]),
		"path": array.concat(_path(b), ["hostPort"]),
	}
}
