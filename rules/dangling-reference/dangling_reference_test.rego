package podlint.rules.dangling_reference_test

import data.podlint.rules.dangling_reference as rule

deployment := {"id": 0, "kind": "Deployment", "group": "apps", "name": "web", "namespace": "default", "namespaceSet": false, "at": 0, "pods": [], "refs": []}

hpa(name) := {"id": 1, "kind": "HorizontalPodAutoscaler", "group": "autoscaling", "name": "web", "namespace": "default", "namespaceSet": false, "at": 1, "pods": [], "refs": [
	{"field": "spec.scaleTargetRef", "apiVersion": "apps/v1", "kind": "Deployment", "name": name, "at": 5},
]}

service(name, headless, ports) := {"id": 2, "kind": "Service", "group": "", "name": name, "namespace": "default", "namespaceSet": false, "at": 2, "pods": [], "refs": [],
	"service": {"type": "ClusterIP", "headless": headless, "ports": ports},
}

sts(service_name) := {"id": 3, "kind": "StatefulSet", "group": "apps", "name": "db", "namespace": "default", "namespaceSet": false, "at": 3, "pods": [], "refs": [
	{"field": "spec.serviceName", "apiVersion": "v1", "kind": "Service", "name": service_name, "at": 6},
]}

ingress(name, port) := {"id": 4, "kind": "Ingress", "group": "networking.k8s.io", "name": "shop", "namespace": "default", "namespaceSet": false, "at": 4, "pods": [], "refs": [
	{"field": "backend.service", "apiVersion": "v1", "kind": "Service", "name": name, "port": port, "at": 7, "portAt": 8},
]}

found(objects, complete) := result if {
	findings := rule.deny with input as {"complete": complete, "objects": objects}
	result := {f.at | some f in findings}
}

test_hpa_target_exists if {
	found([deployment, hpa("web")], true) == set()
}

test_hpa_target_missing if {
	found([deployment, hpa("wbe")], true) == {5}
}

test_missing_is_not_claimed_on_an_incomplete_view if {
	found([deployment, hpa("wbe")], false) == set()
}

test_hpa_target_of_another_group_is_missing if {
	rollout := object.union(deployment, {"kind": "Deployment", "group": "apps.example.com"})
	found([rollout, hpa("web")], true) == {5}
}

test_statefulset_headless_service if {
	found([sts("db"), service("db", true, [])], true) == set()
}

test_statefulset_service_with_cluster_ip if {
	found([sts("db"), service("db", false, [])], false) == {6}
}

test_statefulset_service_missing if {
	found([sts("db"), service("other", true, [])], true) == {6}
}

test_ingress_port_by_name_and_number if {
	ports := [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "at": 9}]
	found([ingress("web", "http"), service("web", false, ports)], true) == set()
	found([ingress("web", 80), service("web", false, ports)], true) == set()
	found([ingress("web", 8080), service("web", false, ports)], false) == {8}
	found([ingress("web", "admin"), service("web", false, ports)], true) == {8}
}

test_ingress_service_missing if {
	found([ingress("storefront", null), service("web", false, [])], true) == {7}
}
