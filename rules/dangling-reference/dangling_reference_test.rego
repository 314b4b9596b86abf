package podlint.rules.dangling_reference_test

import data.podlint.rules.dangling_reference as rule

# Objects as the index has them; targets and elsewhere are what Go resolves (ids of objects).
deployment := {"id": 0, "kind": "Deployment", "group": "apps", "name": "web", "namespace": "default", "namespaceSet": false, "at": 0, "pods": [], "refs": []}

hpa(targets, elsewhere) := {"id": 1, "kind": "HorizontalPodAutoscaler", "group": "autoscaling", "name": "web", "namespace": "default", "namespaceSet": false, "at": 1, "pods": [], "refs": [
	{"field": "spec.scaleTargetRef", "apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "at": 5, "targets": targets, "elsewhere": elsewhere},
]}

service(headless, ports) := {"id": 2, "kind": "Service", "group": "", "name": "db", "namespace": "default", "namespaceSet": false, "at": 2, "pods": [], "refs": [],
	"service": {"type": "ClusterIP", "headless": headless, "ports": ports},
}

sts(targets) := {"id": 3, "kind": "StatefulSet", "group": "apps", "name": "db", "namespace": "default", "namespaceSet": false, "at": 3, "pods": [], "refs": [
	{"field": "spec.serviceName", "apiVersion": "v1", "kind": "Service", "name": "db", "at": 6, "targets": targets, "elsewhere": []},
]}

ingress(targets, port) := {"id": 4, "kind": "Ingress", "group": "networking.k8s.io", "name": "shop", "namespace": "default", "namespaceSet": false, "at": 4, "pods": [], "refs": [
	{"field": "backend.service", "apiVersion": "v1", "kind": "Service", "name": "db", "port": port, "at": 7, "portAt": 8, "targets": targets, "elsewhere": []},
]}

found(objects, complete) := result if {
	findings := rule.deny with input as {"complete": complete, "objects": objects}
	result := {[f.at, object.get(f, "severity", "error")] | some f in findings}
}

test_hpa_target_exists if {
	found([deployment, hpa([0], [])], true) == set()
}

test_hpa_target_missing_is_a_warning if {
	found([deployment, hpa([], [])], true) == {[5, "warning"]}
}

test_missing_is_not_claimed_on_an_incomplete_view if {
	found([deployment, hpa([], [])], false) == set()
}

test_missing_names_other_namespaces if {
	prod := object.union(deployment, {"namespace": "prod"})
	findings := rule.deny with input as {"complete": true, "objects": [prod, hpa([], [0])]}
	some f in findings
	contains(f.msg, "a Deployment web exists in namespace prod")
}

test_context_objects_are_not_reported if {
	found([deployment, object.union(hpa([], []), {"context": true})], true) == set()
}

test_templated_objects_are_left_alone if {
	found([deployment, object.union(hpa([], []), {"templated": true})], true) == set()
	found([object.union(deployment, {"templated": true}), hpa([], [])], true) == set()
}

test_statefulset_headless_service if {
	found([service(true, []), sts([0])], true) == set()
}

test_statefulset_service_with_cluster_ip if {
	found([service(false, []), sts([0])], false) == {[6, "error"]}
}

test_statefulset_service_missing if {
	found([service(true, []), sts([])], true) == {[6, "warning"]}
}

test_ingress_port_by_name_and_number if {
	ports := [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "at": 9}]
	found([service(false, ports), ingress([0], "http")], true) == set()
	found([service(false, ports), ingress([0], 80)], true) == set()
	found([service(false, ports), ingress([0], 8080)], false) == {[8, "error"]}
	found([service(false, ports), ingress([0], "admin")], true) == {[8, "error"]}
}

test_ingress_service_missing if {
	found([service(false, []), ingress([], null)], true) == {[7, "warning"]}
}

# A templated object may be the target only when its name or namespace is a placeholder that could
# be the one named; others say nothing about this reference.
test_templated_object_silences_only_what_it_may_be if {
	other := object.union(deployment, {"id": 0, "name": "api", "templated": true})
	found([other, hpa([], [])], true) == {[5, "warning"]}
	named := object.union(deployment, {"id": 0, "name": "${APP}", "templated": true, "nameTemplated": true})
	found([named, hpa([], [])], true) == set()
	prod := object.union(deployment, {"id": 0, "name": "${APP}", "namespace": "prod", "templated": true, "nameTemplated": true})
	found([prod, hpa([], [])], true) == {[5, "warning"]}
	anywhere := object.union(prod, {"namespace": "${NS}", "namespaceTemplated": true})
	found([anywhere, hpa([], [])], true) == set()
	service_kind := object.union(named, {"kind": "Service"})
	found([service_kind, hpa([], [])], true) == {[5, "warning"]}
}
