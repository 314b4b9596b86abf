package podlint.rules.port_conflict_test

import data.podlint.rules.port_conflict

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

c(name, ports) := {"name": name, "image": "x", "ports": ports}

sidecar(name, ports) := {"name": name, "image": "x", "restartPolicy": "Always", "ports": ports}

paths(findings) := {f.path | some f in findings}

test_distinct_ports_pass if {
	count(port_conflict.deny) == 0 with input as pod({"containers": [
		c("a", [{"containerPort": 8080}]),
		c("b", [{"containerPort": 9090}]),
	]})
}

test_same_port_in_two_containers if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("a", [{"containerPort": 8080}]),
		c("b", [{"containerPort": 8080, "protocol": "TCP"}]),
	]})
	paths(findings) == {["spec", "containers", 1, "ports", 0, "containerPort"]}
	some f in findings
	contains(f.msg, `container "b"`)
	contains(f.msg, `container "a" (spec.containers[0].ports[0])`)
}

test_related_names_the_first_declaration if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("a", [{"containerPort": 8080}]),
		c("b", [{"containerPort": 8080}]),
	]})
	some f in findings
	f.related == [{"path": ["spec", "containers", 0, "ports", 0, "containerPort"], "msg": "containerPort 8080/TCP first declared here"}]
}

test_same_port_twice_in_one_container if {
	findings := port_conflict.deny with input as pod({"containers": [c("a", [{"containerPort": 80}, {"containerPort": 80}])]})
	paths(findings) == {["spec", "containers", 0, "ports", 1, "containerPort"]}
}

test_different_protocols_pass if {
	count(port_conflict.deny) == 0 with input as pod({"containers": [
		c("dns", [{"containerPort": 53, "protocol": "UDP"}]),
		c("dns-tcp", [{"containerPort": 53}]),
	]})
}

test_three_containers_each_later_one_reported_once if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("a", [{"containerPort": 80}]),
		c("b", [{"containerPort": 80}]),
		c("c", [{"containerPort": 80}]),
	]})
	paths(findings) == {
		["spec", "containers", 1, "ports", 0, "containerPort"],
		["spec", "containers", 2, "ports", 0, "containerPort"],
	}
	every f in findings {
		contains(f.msg, `by container "a"`)
	}
}

test_init_containers_run_one_after_another if {
	count(port_conflict.deny) == 0 with input as pod({
		"initContainers": [c("migrate", [{"containerPort": 8080}]), c("seed", [{"containerPort": 8080}])],
		"containers": [c("app", [{"containerPort": 8080}])],
	})
}

test_sidecar_overlaps_with_containers if {
	findings := port_conflict.deny with input as pod({
		"initContainers": [sidecar("proxy", [{"containerPort": 15001}])],
		"containers": [c("app", [{"containerPort": 15001}])],
	})
	paths(findings) == {["spec", "containers", 0, "ports", 0, "containerPort"]}
}

test_init_container_overlaps_only_with_earlier_sidecars if {
	findings := port_conflict.deny with input as pod({
		"initContainers": [
			c("before", [{"containerPort": 9000}]),
			sidecar("proxy", [{"containerPort": 9000}]),
			c("after", [{"containerPort": 9000}]),
		],
		"containers": [c("app", [{"containerPort": 80}])],
	})
	paths(findings) == {["spec", "initContainers", 2, "ports", 0, "containerPort"]}
}

test_host_port_conflict if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("a", [{"containerPort": 8080, "hostPort": 80}]),
		c("b", [{"containerPort": 9090, "hostPort": 80}]),
	]})
	paths(findings) == {["spec", "containers", 1, "ports", 0, "hostPort"]}
}

test_host_port_on_different_addresses_pass if {
	count(port_conflict.deny) == 0 with input as pod({"containers": [
		c("a", [{"containerPort": 8080, "hostPort": 80, "hostIP": "10.0.0.1"}]),
		c("b", [{"containerPort": 9090, "hostPort": 80, "hostIP": "10.0.0.2"}]),
	]})
}

test_host_port_wildcard_address_clashes if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("a", [{"containerPort": 8080, "hostPort": 80, "hostIP": "10.0.0.1"}]),
		c("b", [{"containerPort": 9090, "hostPort": 80}]),
	]})
	count(findings) == 1
}

test_same_container_and_host_port_reported_once if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("a", [{"containerPort": 80, "hostPort": 80}]),
		c("b", [{"containerPort": 80, "hostPort": 80}]),
	]})
	paths(findings) == {["spec", "containers", 1, "ports", 0, "containerPort"]}
}

test_workload_paths if {
	findings := port_conflict.deny with input as {
		"kind": "CronJob",
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [
			c("a", [{"containerPort": 1}]),
			c("b", [{"containerPort": 1}]),
		]}}}}},
	}
	paths(findings) == {["spec", "jobTemplate", "spec", "template", "spec", "containers", 1, "ports", 0, "containerPort"]}
}

test_malformed_ports_are_ignored if {
	count(port_conflict.deny) == 0 with input as pod({"containers": [
		c("a", "8080"),
		c("b", [{"containerPort": "8080"}, "x", {"name": "http"}]),
	]})
}

test_containers_with_the_same_name_are_told_apart if {
	findings := port_conflict.deny with input as pod({"containers": [
		c("web", [{"containerPort": 8080}]),
		c("web", [{"containerPort": 8080}]),
	]})
	{f.msg | some f in findings} == {`containerPort 8080/TCP of container "web" at spec.containers[1] is also declared by container "web" (spec.containers[0].ports[0]); containers that run at the same time share the pod's network and only one can listen on it`}
}
