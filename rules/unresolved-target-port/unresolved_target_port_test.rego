package podlint.rules.unresolved_target_port_test

import data.podlint.rules.unresolved_target_port as rule

deployment := {
	"id": 0, "kind": "Deployment", "group": "apps", "name": "web", "namespace": "default", "namespaceSet": false, "at": 0,
	"pods": [{"labels": {"app": "web"}, "at": 1, "ports": [
		{"name": "http", "containerPort": 8080, "protocol": "TCP", "container": "web"},
		{"name": "dns", "containerPort": 53, "protocol": "UDP", "container": "web"},
	]}],
}

service(ports, selected) := {
	"id": 1, "kind": "Service", "group": "", "name": "web", "namespace": "default", "namespaceSet": false, "at": 2,
	"selector": {"matchLabels": {"app": "web"}, "matchExpressions": [], "selected": selected, "elsewhere": [], "at": 3, "empty": false},
	"service": {"type": "ClusterIP", "headless": false, "ports": ports},
}

found(ports, selected) := result if {
	findings := rule.deny with input as {"complete": true, "objects": [deployment, service(ports, selected)]}
	result := {f.at | some f in findings}
}

test_declared_name_passes if {
	found([{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "at": 10}], [0]) == set()
}

test_number_needs_no_declaration if {
	found([{"name": "x", "port": 80, "protocol": "TCP", "targetPort": 9999, "at": 10}], [0]) == set()
}

test_undeclared_name if {
	found([{"name": "admin", "port": 9090, "protocol": "TCP", "targetPort": "admin", "at": 10}], [0]) == {10}
}

test_name_of_another_protocol if {
	found([{"name": "dns", "port": 53, "protocol": "TCP", "targetPort": "dns", "at": 10}], [0]) == {10}
}

test_nothing_selected_is_another_rule if {
	found([{"name": "admin", "port": 9090, "protocol": "TCP", "targetPort": "admin", "at": 10}], []) == set()
}

test_related_names_the_selected_pods if {
	findings := rule.deny with input as {"complete": true, "objects": [deployment, service([{"name": "a", "port": 1, "protocol": "TCP", "targetPort": "admin", "at": 10}], [0])]}
	some f in findings
	f.related == [{"at": 1, "msg": "pods of Deployment web, selected by Service web"}]
	contains(f.msg, "they declare dns (53/UDP), http (8080/TCP)")
}
