package podlint.rules.selector_matches_nothing_test

import data.podlint.rules.selector_matches_nothing as rule

pods(ns) := {
	"id": 0, "kind": "Deployment", "group": "apps", "name": "web", "namespace": ns, "namespaceSet": true, "at": 0,
	"pods": [{"labels": {"app": "web"}, "at": 1, "ports": []}],
}

svc(selector) := {
	"id": 1, "kind": "Service", "group": "", "name": "web", "namespace": "default", "namespaceSet": false, "at": 2,
	"selector": object.union({"field": "spec.selector", "matchLabels": {"app": "web"}, "matchExpressions": [], "selected": [], "elsewhere": [], "at": 3, "empty": false}, selector),
	"service": {"type": "ClusterIP", "headless": false, "ports": []},
	"pods": [],
}

messages(objects, complete) := result if {
	findings := rule.deny with input as {"complete": complete, "objects": objects}
	result := {f.msg | some f in findings}
}

test_selected_passes if {
	messages([pods("default"), svc({"selected": [0]})], true) == set()
}

test_nothing_selected if {
	messages([svc({"matchLabels": {"app": "wbe"}})], true) == {"spec.selector of Service web (app=wbe) matches no pod in namespace default; no pod of the run has these labels"}
}

test_pods_in_another_namespace if {
	messages([pods("shop"), svc({"elsewhere": [0]})], true) == {"spec.selector of Service web (app=web) matches no pod in namespace default; pods with these labels exist in namespace shop (Deployment shop/web)"}
}

test_incomplete_view_says_nothing if {
	messages([svc({})], false) == set()
}

test_empty_selector_is_left_alone if {
	messages([svc({"empty": true})], true) == set()
}

test_external_name_is_left_alone if {
	messages([object.union(svc({}), {"service": {"type": "ExternalName"}})], true) == set()
}

operator := {"id": 2, "kind": "PostgresCluster", "group": "postgres-operator.crunchydata.com", "name": "db", "namespace": "default", "pods": [], "at": 4}

test_custom_resources_may_make_pods if {
	messages([svc({}), operator], true) == set()
}

test_inert_groups_make_no_pods if {
	vs := {"id": 2, "kind": "VirtualService", "group": "networking.istio.io", "name": "web", "namespace": "default", "pods": [], "at": 4}
	count(messages([svc({}), vs], true)) == 1
}

test_expressions_in_message if {
	some m in messages([svc({"matchLabels": {}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db", "cache"]}, {"key": "canary", "operator": "DoesNotExist", "values": []}]})], true)
	contains(m, "(app=web,tier in (db,cache),!canary)")
}

# Pods of a templated object may carry any labels, but only in its namespace (any namespace, when
# that is a placeholder).
test_templated_pods_silence_their_namespace_only if {
	here := object.union(pods("default"), {"templated": true})
	messages([here, svc({"matchLabels": {"app": "wbe"}})], true) == set()
	there := object.union(pods("shop"), {"templated": true})
	count(messages([there, svc({"matchLabels": {"app": "wbe"}})], true)) == 1
	anywhere := object.union(pods("${NS}"), {"templated": true, "namespaceTemplated": true})
	messages([anywhere, svc({"matchLabels": {"app": "wbe"}})], true) == set()
}
