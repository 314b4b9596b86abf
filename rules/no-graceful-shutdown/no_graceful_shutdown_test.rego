package podlint.rules.no_graceful_shutdown_test

import data.podlint.rules.no_graceful_shutdown as rule

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "spec": spec}

statefulset(spec) := {"apiVersion": "apps/v1", "kind": "StatefulSet", "spec": {"template": {"spec": spec}}}

server := {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}

paths(doc) := {f.path | some f in rule.deny with input as doc}

test_zero_grace_on_a_server if {
	paths(pod({"terminationGracePeriodSeconds": 0, "containers": [server]})) == {["spec", "terminationGracePeriodSeconds"]}
}

test_zero_grace_with_a_readiness_probe if {
	ready := {"name": "api", "image": "api", "readinessProbe": {"exec": {"command": ["true"]}}}
	paths(statefulset({"terminationGracePeriodSeconds": 0, "containers": [ready]})) == {["spec", "template", "spec", "terminationGracePeriodSeconds"]}
}

test_zero_grace_on_a_native_sidecar_server if {
	sidecar := object.union(server, {"restartPolicy": "Always"})
	paths(pod({"terminationGracePeriodSeconds": 0, "initContainers": [sidecar], "containers": [{"name": "app"}]})) == {["spec", "terminationGracePeriodSeconds"]}
}

test_message_names_the_servers if {
	some f in rule.deny with input as pod({"terminationGracePeriodSeconds": 0, "containers": [server, object.union(server, {"name": "b"})]})
	contains(f.msg, `container "web" and 1 other containers`)
}

test_default_or_positive_grace_passes if {
	paths(pod({"containers": [server]})) == set()
	paths(pod({"terminationGracePeriodSeconds": 30, "containers": [server]})) == set()
	paths(pod({"terminationGracePeriodSeconds": 1, "containers": [server]})) == set()
}

test_zero_grace_without_a_server_passes if {
	paths(pod({"terminationGracePeriodSeconds": 0, "containers": [{"name": "batch", "image": "x"}]})) == set()
	paths(pod({"terminationGracePeriodSeconds": 0, "containers": [{"name": "batch", "ports": []}]})) == set()
}

test_init_container_ports_do_not_count if {
	paths(pod({"terminationGracePeriodSeconds": 0, "initContainers": [server], "containers": [{"name": "batch"}]})) == set()
}
