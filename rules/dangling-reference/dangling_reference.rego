# METADATA
# title: A reference names an object that does not exist
# description: |
#   Some objects name others of their namespace, and nothing checks the name until it is used:
#   a HorizontalPodAutoscaler's `scaleTargetRef` names the workload it scales (a wrong name: no
#   scaling, and the autoscaler only reports it in its status); an Ingress backend names a Service
#   and one of its ports (a wrong one: the controller serves errors for that path); a
#   StatefulSet's `serviceName` names the headless Service that gives its pods their stable DNS
#   names (missing, or a Service with a cluster IP: the names never resolve). The finding is on the
#   name or port that refers.
#
#   A name that matches no object is a warning, reported only when the run shows every object (see
#   selector-matches-nothing): a run of some files of a repository with charts or kustomizations
#   elsewhere, or with a chart that does not render, says nothing about missing objects. A
#   Service that exists but lacks the port, or is not headless, is an error, reported whenever it
#   is seen. Objects with placeholders (${NAME}) are left alone.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
#     description: StatefulSets, headless Services and stable network identities
#   - ref: https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
#     description: Ingress backends
#   - ref: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
#     description: HorizontalPodAutoscaler and scaleTargetRef
# custom:
#   id: dangling-reference
#   severity: error
#   scope: run
#   remediation: |
#     Correct the name, or add the object it names to the same namespace. A StatefulSet's Service
#     must be headless (`clusterIP: None`).
package podlint.rules.dangling_reference

import data.podlint.lib

_elsewhere(r) := sprintf("; a %s %s exists in namespace %s", [r.kind, r.name, concat(", ", nss)]) if {
	nss := sort({input.objects[i].namespace | some i in r.elsewhere})
	count(nss) > 0
} else := ""

# A templated object of the kind whose name or namespace is a placeholder (${NAME}) may be the
# one referred to.
_may_be_target(o, r) if {
	some x in lib.templated
	x.kind == r.kind
	lib.may_be(x, "name", r.name)
	lib.may_be(x, "namespace", o.namespace)
}

_what := {
	"spec.scaleTargetRef": "scales",
	"spec.serviceName": "has as its governing Service (spec.serviceName)",
	"backend.service": "sends traffic to",
	"backend.serviceName": "sends traffic to",
}

_consequence := {
	"spec.scaleTargetRef": "nothing is scaled",
	"spec.serviceName": "its pods' stable DNS names never resolve",
	"backend.service": "requests for this path fail",
	"backend.serviceName": "requests for this path fail",
}

deny contains finding if {
	input.complete
	some o in lib.referrers
	some r in o.refs
	not _may_be_target(o, r)
	count(r.targets) == 0
	finding := {
		"msg": sprintf("%s %s %s %s, which does not exist in namespace %s%s: %s", [
			lib.describe(o), _what[r.field], r.kind, r.name, o.namespace, _elsewhere(r), _consequence[r.field],
		]),
		"at": r.at,
		# what the run does not show may still be applied from elsewhere
		"severity": "warning",
	}
}

# A StatefulSet's governing Service must be headless.
deny contains finding if {
	some o in lib.referrers
	some r in o.refs
	r.field == "spec.serviceName"
	services := [input.objects[i] | some i in r.targets]
	count(services) > 0
	every s in services {
		not s.service.headless
		not s.templated
	}
	s := services[0]
	finding := {
		"msg": sprintf("%s names Service %s as its governing Service, which is not headless (clusterIP: None): the pods' stable DNS names never resolve", [lib.describe(o), r.name]),
		"at": r.at,
		"related": [{"at": s.at, "msg": sprintf("Service %s, without clusterIP: None", [s.name])}],
	}
}

# An Ingress backend's port must be one the Service has.
deny contains finding if {
	some o in lib.referrers
	some r in o.refs
	r.port != null
	services := [input.objects[i] | some i in r.targets]
	count(services) > 0
	every s in services {
		not _has_port(s, r.port)
		not s.templated
	}
	s := services[0]
	finding := {
		"msg": sprintf("%s sends traffic to port %v of Service %s, which has no such port (it has %s)", [lib.describe(o), r.port, r.name, _ports_text(s)]),
		"at": r.portAt,
		"related": [{"at": s.at, "msg": sprintf("Service %s", [s.name])}],
	}
}

_has_port(s, port) if {
	is_number(port)
	some p in s.service.ports
	p.port == port
}

_has_port(s, port) if {
	is_string(port)
	some p in s.service.ports
	p.name == port
}

# An ExternalName Service has no ports of its own to check.
_has_port(s, _) if s.service.type == "ExternalName"

_ports_text(s) := concat(", ", [_port_text(p) | some p in s.service.ports]) if {
	count(s.service.ports) > 0
} else := "no ports"

_port_text(p) := sprintf("%v (%s)", [p.port, p.name]) if p.name != ""

else := sprintf("%v", [p.port])
