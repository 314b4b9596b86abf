# METADATA
# title: A Service's targetPort names a port that no selected container declares
# description: |
#   A Service may send traffic to a container port by name (`targetPort: http`). The name is
#   looked up in the ports of each pod the Service selects, for the Service port's protocol; a pod
#   without such a port gets no endpoint for it, and when no selected pod declares it, traffic to
#   that Service port fails everywhere, silently: the Service exists and resolves, and nothing
#   answers. podlint resolves the name against the pods of every object the Service's selector
#   picks in its namespace, across all files of the run (and, when the run names only some files,
#   the repository's other manifests).
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
#     description: Service ports, and targetPort by name
# custom:
#   id: unresolved-target-port
#   severity: error
#   scope: run
#   remediation: |
#     Name the port in the containers that serve it (`ports: [{name: http, containerPort: 8080}]`),
#     or set targetPort to the name or number they do declare.
package podlint.rules.unresolved_target_port

import data.podlint.lib

deny contains finding if {
	some svc in lib.referrers
	svc.service.type != "ExternalName"
	count(svc.selector.selected) > 0
	not _templated(svc.selector.selected)
	some p in svc.service.ports
	is_string(p.targetPort)
	not _declared(svc.selector.selected, p.targetPort, p.protocol)
	finding := {
		"msg": sprintf("targetPort %q of %s names no %s port of the pods it selects (%s): %s; traffic to port %v has nowhere to go", [
			p.targetPort, lib.describe(svc), p.protocol, lib.names(svc.selector.selected),
			_declared_text(svc.selector.selected, p.protocol), p.port,
		]),
		"at": p.at,
		"related": [{"at": input.objects[i].pods[0].at, "msg": sprintf("pods of %s, selected by %s", [lib.describe(input.objects[i]), lib.describe(svc)])} |
			some i in svc.selector.selected
		],
	}
}

# Pods with placeholders (${PORT}, a containerPort written as a word) have ports nobody knows yet.
_templated(ids) if {
	some i in ids
	input.objects[i].templated
}

_declared(ids, name, protocol) if {
	some i in ids
	some pod in input.objects[i].pods
	some port in pod.ports
	port.name == name
	port.protocol == protocol
}

_declared_text(ids, protocol) := sprintf("they declare %s", [concat(", ", names)]) if {
	names := sort({sprintf("%s (%v/%s)", [port.name, port.containerPort, port.protocol]) |
		some i in ids
		some pod in input.objects[i].pods
		some port in pod.ports
		port.name != ""
	})
	count(names) > 0
} else := "they declare no named port"
