package podlint.rules.undocumented_port_test

import data.podlint.rules.undocumented_port as rule

pod(container) := {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [object.union({"name": "web", "image": "x"}, container)]}}

# found lists [path, severity] of each finding.
found(container) := result if {
	findings := rule.deny with input as pod(container)
	result := {[f.path, object.get(f, "severity", "warning")] | some f in findings}
}

named := [{"name": "http", "containerPort": 8080}]

probe_port := ["spec", "containers", 0, "readinessProbe", "httpGet", "port"]

test_probe_on_declared_number_passes if {
	found({"ports": named, "readinessProbe": {"httpGet": {"path": "/", "port": 8080}}}) == set()
}

test_probe_on_declared_name_passes if {
	found({"ports": named, "livenessProbe": {"tcpSocket": {"port": "http"}}}) == set()
}

test_probe_on_undeclared_number if {
	found({"ports": named, "readinessProbe": {"httpGet": {"port": 9090}}}) == {[probe_port, "warning"]}
}

test_probe_on_undeclared_name_is_an_error if {
	found({"ports": named, "readinessProbe": {"httpGet": {"port": "metrics"}}}) == {[probe_port, "error"]}
}

test_quoted_number_is_a_name if {
	findings := rule.deny with input as pod({"ports": named, "readinessProbe": {"httpGet": {"port": "8080"}}})
	some f in findings
	f.severity == "error"
	contains(f.msg, "unquoted")
}

test_probe_without_ports if {
	found({"startupProbe": {"grpc": {"port": 9000}}}) == {[["spec", "containers", 0, "startupProbe", "grpc", "port"], "warning"]}
}

test_grpc_port_string_is_left_to_the_schema if {
	found({"ports": named, "readinessProbe": {"grpc": {"port": "${GRPC_PORT}"}}}) == set()
}

test_probe_with_host_is_skipped if {
	found({"ports": named, "livenessProbe": {"httpGet": {"host": "example.com", "port": 443}}}) == set()
}

test_exec_probe_is_not_checked if {
	found({"ports": named, "livenessProbe": {"exec": {"command": ["true"]}}}) == set()
}

test_lifecycle_hooks if {
	found({"ports": named, "lifecycle": {
		"preStop": {"httpGet": {"path": "/drain", "port": 8081}},
		"postStart": {"tcpSocket": {"port": "admin"}},
	}}) == {
		[["spec", "containers", 0, "lifecycle", "preStop", "httpGet", "port"], "warning"],
		[["spec", "containers", 0, "lifecycle", "postStart", "tcpSocket", "port"], "error"],
	}
}

test_number_declared_by_another_container_is_documented if {
	findings := rule.deny with input as {"kind": "Pod", "spec": {"containers": [
		{"name": "a", "ports": [{"name": "health", "containerPort": 10054}]},
		{"name": "b", "ports": [{"name": "admin", "containerPort": 9000}], "livenessProbe": {"httpGet": {"port": 10054}}},
	]}}
	count(findings) == 0
}

test_name_declared_by_another_container_is_an_error if {
	findings := rule.deny with input as {"kind": "Pod", "spec": {"containers": [
		{"name": "a", "ports": [{"name": "health", "containerPort": 10054}]},
		{"name": "b", "ports": [{"name": "admin", "containerPort": 9000}], "livenessProbe": {"httpGet": {"port": "health"}}},
	]}}
	{[f.path, f.severity] | some f in findings} == {[["spec", "containers", 1, "livenessProbe", "httpGet", "port"], "error"]}
}

test_unnamed_port_is_info if {
	found({"ports": [{"containerPort": 80}, {"name": "", "containerPort": 81}, {"name": "ok", "containerPort": 82}]}) == {
		[["spec", "containers", 0, "ports", 0, "containerPort"], "info"],
		[["spec", "containers", 0, "ports", 1, "containerPort"], "info"],
	}
}

test_sidecar_probes_are_checked if {
	findings := rule.deny with input as {"kind": "Deployment", "spec": {"template": {"spec": {
		"initContainers": [{"name": "proxy", "restartPolicy": "Always", "ports": named, "readinessProbe": {"tcpSocket": {"port": 15021}}}],
		"containers": [{"name": "app"}],
	}}}}
	{f.path | some f in findings} == {["spec", "template", "spec", "initContainers", 0, "readinessProbe", "tcpSocket", "port"]}
}
