package podlint.rules.hostname_pinning_test

import data.podlint.rules.hostname_pinning as rule

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "spec": object.union({"containers": [{"name": "a"}]}, spec)}

flagged(spec) := paths if {
	findings := rule.deny with input as pod(spec)
	paths := {f.path | some f in findings}
}

required(terms) := {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}}

hostname_in(hosts) := {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": hosts}]}

terms_path := ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]

test_node_selector_on_hostname if {
	flagged({"nodeSelector": {"kubernetes.io/hostname": "node-7"}}) == {["spec", "nodeSelector", "kubernetes.io/hostname"]}
}

test_node_selector_on_a_group_passes if {
	flagged({"nodeSelector": {"gpu": "true", "topology.kubernetes.io/zone": "eu-west-1a"}}) == set()
}

test_node_name if {
	flagged({"nodeName": "worker-3"}) == {["spec", "nodeName"]}
	flagged({"nodeName": ""}) == set()
}

test_required_affinity_on_hostnames if {
	flagged(required([hostname_in(["a", "b"])])) == {array.concat(terms_path, [0, "matchExpressions", 0, "key"])}
}

test_every_term_must_pin if {
	flagged(required([
		hostname_in(["a"]),
		{"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["ssd"]}]},
	])) == set()
}

test_all_terms_pinned if {
	flagged(required([
		{"matchExpressions": [
			{"key": "disktype", "operator": "In", "values": ["ssd"]},
			{"key": "kubernetes.io/hostname", "operator": "In", "values": ["a"]},
		]},
		{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["b"]}]},
	])) == {array.concat(terms_path, [0, "matchExpressions", 1, "key"])}
}

test_match_fields_on_name if {
	flagged(required([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}])) == {array.concat(terms_path, [0, "matchFields", 0, "key"])}
}

test_not_in_hostname_passes if {
	flagged(required([{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "NotIn", "values": ["bad"]}]}])) == set()
}

test_preferred_affinity_passes if {
	flagged({"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": hostname_in(["a"])}]}}}) == set()
}

test_pod_anti_affinity_on_hostname_topology_passes if {
	flagged({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "a"}}}]}}}) == set()
}

test_message_lists_hosts if {
	findings := rule.deny with input as pod(required([hostname_in(["b", "a"])]))
	some f in findings
	contains(f.msg, "a, b")
}

test_node_name_written_by_the_scheduler_passes if {
	owned := object.union(pod({"nodeName": "worker-3"}), {"metadata": {"name": "web-7d4b9-x2k", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9", "uid": "1", "controller": true}]}})
	{f.path | some f in rule.deny with input as owned} == set()
	shown := object.union(pod({"nodeName": "worker-3"}), {"status": {"phase": "Running"}})
	{f.path | some f in rule.deny with input as shown} == set()

	# the author's own pinning is still reported
	pinned := object.union(pod({"nodeName": "worker-3", "nodeSelector": {"kubernetes.io/hostname": "worker-3"}}), {"status": {}})
	{f.path | some f in rule.deny with input as pinned} == {["spec", "nodeSelector", "kubernetes.io/hostname"]}
}

test_node_name_in_a_template_of_an_owned_workload if {
	rs := {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"ownerReferences": [{"kind": "Deployment", "name": "web"}]}, "spec": {"template": {"spec": {"nodeName": "worker-3", "containers": [{"name": "a"}]}}}}
	{f.path | some f in rule.deny with input as rs} == {["spec", "template", "spec", "nodeName"]}
}
