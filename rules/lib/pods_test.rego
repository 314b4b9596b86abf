package podlint.lib_test

import data.podlint.lib

deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": spec}}}

test_pod_paths_of_each_kind if {
	lib.pods[0].path == ["spec"] with input as {"kind": "Pod", "spec": {}}
	lib.pods[0].path == ["template", "spec"] with input as {"kind": "PodTemplate", "template": {"spec": {}}}
	lib.pods[0].path == ["spec", "template", "spec"] with input as deployment({})
	lib.pods[0].metadata_path == ["spec", "jobTemplate", "spec", "template", "metadata"] with input as {
		"kind": "CronJob",
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {}}}}},
	}
}

test_custom_resources_by_group if {
	rollout := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "spec": {"template": {"spec": {}}}}
	lib.pods[0].path == ["spec", "template", "spec"] with input as rollout
	lib.pods[0].custom with input as rollout
	not lib.pods[0].custom with input as deployment({})
	lib.pods[0].labels_path == ["spec", "jobTargetRef", "template", "metadata"] with input as {
		"apiVersion": "keda.sh/v1alpha1",
		"kind": "ScaledJob",
		"spec": {"jobTargetRef": {"template": {"spec": {}}}},
	}
	lib.pods[0].path == ["spec"] with input as {"apiVersion": "serving.knative.dev/v1", "kind": "Revision", "spec": {}}

	# the group decides: these are not Kubernetes' kinds, nor any podlint knows
	count(lib.pods) == 0 with input as {"apiVersion": "example.com/v1", "kind": "Deployment", "spec": {"template": {"spec": {}}}}
	count(lib.pods) == 0 with input as {"apiVersion": "v1", "kind": "Rollout", "spec": {"template": {"spec": {}}}}
	count(lib.pods) == 0 with input as {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "spec": {"templates": []}}

	# one of Kubernetes' kinds at an old group is still that kind
	lib.pods[0].path == ["spec", "template", "spec"] with input as {"apiVersion": "extensions/v1beta1", "kind": "Deployment", "spec": {"template": {"spec": {}}}}
}

test_no_pod_without_a_spec if {
	count(lib.pods) == 0 with input as {"kind": "Service", "spec": {"ports": []}}
	count(lib.pods) == 0 with input as {"kind": "Deployment", "spec": {"template": {"spec": "oops"}}}
	count(lib.pods) == 0 with input as {"kind": "Pod"}
}

test_missing_metadata_is_empty if {
	lib.pods[0].metadata == {} with input as deployment({})
}

test_containers_in_start_order if {
	cs := lib.containers with input as deployment({
		"containers": [{"name": "app"}],
		"initContainers": [{"name": "setup"}, {"name": "proxy", "restartPolicy": "Always"}],
		"ephemeralContainers": [{"name": "debug"}],
	})
	[c.name | some c in cs] == ["setup", "proxy", "app", "debug"]
	[c.order | some c in cs] == [0, 1, 2, 3]
	cs[0].path == ["spec", "template", "spec", "initContainers", 0]
	cs[2].path == ["spec", "template", "spec", "containers", 0]
}

test_roles_and_concurrency if {
	cs := lib.containers with input as deployment({
		"initContainers": [{"name": "setup"}, {"name": "proxy", "restartPolicy": "Always"}],
		"containers": [{"name": "app"}],
	})
	[[c.role, c.init, c.sidecar, c.concurrent] | some c in cs] == [
		["init container", true, false, false],
		["sidecar", false, true, true],
		["container", false, false, true],
	]
	cs[1].label == `sidecar "proxy"`
}

test_argv_joins_command_and_args if {
	cs := lib.containers with input as deployment({"containers": [
		{"name": "a", "command": ["sh", "-c"], "args": ["run"]},
		{"name": "b", "args": ["--port=80"]},
		{"name": "c"},
	]})
	cs[0].argv == ["sh", "-c", "run"]
	cs[1].argv == ["--port=80"]
	cs[2].argv == []
	lib.argv_path(cs[0], 1) == ["spec", "template", "spec", "containers", 0, "command", 1]
	lib.argv_path(cs[0], 2) == ["spec", "template", "spec", "containers", 0, "args", 0]
	lib.argv_path(cs[1], 0) == ["spec", "template", "spec", "containers", 1, "args", 0]
}

test_overlap if {
	cs := lib.containers with input as deployment({
		"initContainers": [
			{"name": "first"},
			{"name": "sidecar", "restartPolicy": "Always"},
			{"name": "second"},
		],
		"containers": [{"name": "a"}, {"name": "b"}],
	})
	first := cs[0]
	sidecar := cs[1]
	second := cs[2]
	a := cs[3]
	b := cs[4]
	lib.overlap(a, b)
	lib.overlap(sidecar, a)
	lib.overlap(second, sidecar)
	lib.overlap(sidecar, second)
	not lib.overlap(first, sidecar) # the sidecar starts after the first init container is done
	not lib.overlap(first, second)
	not lib.overlap(second, a)
}

test_format_path if {
	lib.format_path(["spec", "containers", 0, "ports", 1]) == "spec.containers[0].ports[1]"
}

test_params_default_to_empty if {
	lib.params("no-such-rule") == {}
	lib.params("r") == {"x": 1} with data.podlint.params as {"r": {"x": 1}}
}

test_labels_and_where_to_report_them if {
	pod := lib.pods[0] with input as {"kind": "Pod", "metadata": {"labels": {"app": "a"}}, "spec": {}}
	pod.labels == {"app": "a"}
	pod.labels_path == ["metadata", "labels"]
	bare := lib.pods[0] with input as deployment({})
	bare.labels == {}
	bare.labels_path == ["spec", "template", "metadata"]
}

test_ports_with_defaults if {
	pod := lib.pods[0] with input as deployment({
		"initContainers": [{"name": "proxy", "restartPolicy": "Always", "ports": [{"containerPort": 15001, "protocol": "UDP"}]}],
		"containers": [{"name": "app", "ports": [
			{"name": "http", "containerPort": 8080, "hostPort": 80, "hostIP": "10.0.0.1"},
			{"containerPort": "not a number"},
			"not an object",
			{"containerPort": 9090},
		]}],
	})
	pod.ports == [
		{"container": 0, "index": 0, "port": 15001, "protocol": "UDP", "host_port": 0, "host_ip": "", "name": "", "path": ["spec", "template", "spec", "initContainers", 0, "ports", 0]},
		{"container": 1, "index": 0, "port": 8080, "protocol": "TCP", "host_port": 80, "host_ip": "10.0.0.1", "name": "http", "path": ["spec", "template", "spec", "containers", 0, "ports", 0]},
		{"container": 1, "index": 3, "port": 9090, "protocol": "TCP", "host_port": 0, "host_ip": "", "name": "", "path": ["spec", "template", "spec", "containers", 0, "ports", 3]},
	]
}

test_port_index if {
	pod := lib.pods[0] with input as deployment({
		"initContainers": [{"name": "proxy", "restartPolicy": "Always", "ports": [{"containerPort": 53, "protocol": "UDP"}]}],
		"containers": [{"name": "app", "ports": [
			{"name": "dns", "containerPort": 53},
			{"name": "http", "containerPort": 8080, "hostPort": 80},
			{"name": "metrics", "containerPort": "9090"},
		]}],
	})
	pod.port_numbers == {53, 8080}
	not pod.repeated_ports # 53/UDP and 53/TCP are different ports
	not pod.repeated_host_ports
	cs := lib.containers with input as deployment({"containers": [{"name": "app", "ports": [{"name": "http", "containerPort": 80}, {"name": "metrics", "containerPort": "x"}, {"containerPort": 81}]}]})
	cs[0].port_names == {"http", "metrics"}
}

test_completes if {
	lib.pods[0].completes with input as {"kind": "Job", "spec": {"template": {"spec": {}}}}
	lib.pods[0].completes with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {}}}}}}
	lib.pods[0].completes with input as {"kind": "Pod", "spec": {"restartPolicy": "OnFailure"}}
	lib.pods[0].completes with input as {"kind": "Pod", "spec": {"restartPolicy": "Never"}}
	not lib.pods[0].completes with input as {"kind": "Pod", "spec": {"restartPolicy": "Always"}}
	not lib.pods[0].completes with input as deployment({})
	lib.pods[0].completes with input as {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob", "spec": {"jobTargetRef": {"template": {"spec": {}}}}}
	lib.pods[0].completes with input as {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "BroadcastJob", "spec": {"template": {"spec": {}}}}
	not lib.pods[0].completes with input as {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet", "spec": {"template": {"spec": {}}}}
	lib.containers[0].pod_completes with input as {"kind": "Pod", "spec": {"restartPolicy": "Never", "containers": [{"name": "a"}]}}
	not lib.containers[0].pod_completes with input as deployment({"containers": [{"name": "a"}]})
}

test_repeated_ports if {
	pod := lib.pods[0] with input as deployment({"containers": [
		{"name": "a", "ports": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 81, "hostPort": 0}]},
		{"name": "b", "ports": [{"containerPort": 80, "protocol": "TCP", "hostPort": 8080}, {"containerPort": 82, "hostPort": 0}]},
	]})
	pod.repeated_ports
	pod.repeated_host_ports
	other := lib.pods[0] with input as deployment({"containers": [{"name": "a", "ports": [{"containerPort": 80, "hostPort": 0}, {"containerPort": 81, "hostPort": 0}]}]})
	not other.repeated_ports
	not other.repeated_host_ports # hostPort 0 is no host port
}

test_handlers if {
	cs := lib.containers with input as deployment({"containers": [{
		"name": "app",
		"readinessProbe": {"httpGet": {"path": "/", "port": "http"}},
		"livenessProbe": {"exec": {"command": ["true"]}},
		"startupProbe": {"tcpSocket": {"host": "db", "port": 5432}},
		"lifecycle": {"preStop": {"httpGet": {"port": 9000}}, "postStart": {"sleep": {"seconds": 1}}},
	}]})
	{[h.where, h.hook, h.type, h.port, h.host] | some h in cs[0].handlers} == {
		["readinessProbe", false, "httpGet", "http", ""],
		["startupProbe", false, "tcpSocket", 5432, "db"],
		["preStop", true, "httpGet", 9000, ""],
	}
	some h in cs[0].handlers
	h.where == "preStop"
	h.path == ["spec", "template", "spec", "containers", 0, "lifecycle", "preStop", "httpGet", "port"]
}

test_label_errors if {
	podlint.label_errors({"app": "ok", "example.com/x": ""}) == {}
	errors := podlint.label_errors({"bad key": "ok", "v": "-x", "n": 1})
	object.keys(errors) == {"bad key", "v"}
	count(errors["bad key"].key) > 0
	count(errors["bad key"].value) == 0
	count(errors.v.value) > 0
}
