package podlint.rules.required_labels_test

import data.podlint.rules.required_labels as rule

pod(metadata) := {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": {"containers": [{"name": "a"}]}}

deployment(labels, template_metadata) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "d", "labels": labels},
	"spec": {"template": {"metadata": template_metadata, "spec": {"containers": [{"name": "a"}]}}},
}

found(doc) := result if {
	findings := rule.deny with input as doc
	result := {[f.path, object.get(f, "severity", "warning")] | some f in findings}
}

test_labelled_pod_passes if {
	found(pod({"labels": {"app": "web", "rel": "stable"}})) == set()
}

test_missing_labels_on_the_labels_map if {
	found(pod({"labels": {"app": "web"}})) == {[["metadata", "labels"], "warning"]}
}

test_no_labels_points_at_metadata if {
	findings := rule.deny with input as pod({"name": "p"})
	{f.path | some f in findings} == {["metadata"]}
	some f in findings
	contains(f.msg, "app, rel")
}

test_rel_outside_allowed_values if {
	found(pod({"labels": {"app": "web", "rel": "prod"}})) == {[["metadata", "labels", "rel"], "warning"]}
}

test_workloads_use_the_template_labels if {
	found(deployment({"app": "d", "rel": "stable"}, {"labels": {"app": "d"}})) == {[["spec", "template", "metadata", "labels"], "warning"]}
	found(deployment({}, {"labels": {"app": "d", "rel": "beta"}})) == set()
}

test_workload_without_template_metadata if {
	found(deployment({}, null)) == {[["spec", "template", "metadata"], "warning"]}
}

test_invalid_keys_and_values_are_errors if {
	found(pod({"labels": {
		"app": "web",
		"rel": "canary",
		"bad key": "x",
		"example.com/ok": "fine",
		"Example.com/x": "y",
		"a/b/c": "z",
		"v": "-starts-with-dash",
		"long": concat("", [x | some _ in numbers.range(1, 64); x := "a"]),
	}})) == {
		[["metadata", "labels", "bad key"], "error"],
		[["metadata", "labels", "Example.com/x"], "error"],
		[["metadata", "labels", "a/b/c"], "error"],
		[["metadata", "labels", "v"], "error"],
		[["metadata", "labels", "long"], "error"],
	}
}

test_invalid_key_points_at_the_key if {
	findings := rule.deny with input as pod({"labels": {"app": "a", "rel": "beta", "-x": "1"}})
	some f in findings
	f.at == "key"
}

test_workload_labels_are_checked_for_syntax_only if {
	found(deployment({"bad key": "x"}, {"labels": {"app": "d", "rel": "stable"}})) == {[["metadata", "labels", "bad key"], "error"]}
}

test_empty_value_is_valid if {
	found(pod({"labels": {"app": "web", "rel": "stable", "tier": ""}})) == set()
}

test_required_list_is_a_parameter if {
	doc := pod({"labels": {"team": "x", "env": "dev"}})
	findings := rule.deny with input as doc with data.podlint.params as {"required-labels": {"labels": {"team": [], "env": ["prod"]}}}
	{f.path | some f in findings} == {["metadata", "labels", "env"]}
}

test_no_required_labels if {
	findings := rule.deny with input as pod({}) with data.podlint.params as {"required-labels": {"labels": {}}}
	count(findings) == 0
}

test_not_a_pod if {
	found({"kind": "Service", "metadata": {"labels": {"bad key": "x"}}}) == set()
}

test_custom_resources_use_their_template_labels if {
	rollout := {
		"apiVersion": "argoproj.io/v1alpha1",
		"kind": "Rollout",
		"metadata": {"name": "r", "labels": {"bad key": "x"}},
		"spec": {"template": {"metadata": {"labels": {"app": "r"}}, "spec": {"containers": [{"name": "a"}]}}},
	}
	found(rollout) == {[["spec", "template", "metadata", "labels"], "warning"], [["metadata", "labels", "bad key"], "error"]}
	some f in rule.deny with input as rollout
	f.msg == "the pod template lacks the required label rel"
}

test_a_custom_resource_that_is_a_pod if {
	revision := {
		"apiVersion": "serving.knative.dev/v1",
		"kind": "Revision",
		"metadata": {"name": "r", "labels": {"app": "r", "rel": "beta", "bad key": "x"}},
		"spec": {"containers": [{"name": "a"}]},
	}
	findings := rule.deny with input as revision
	[f.path | some f in findings] == [["metadata", "labels", "bad key"]]
	some f in findings
	startswith(f.msg, "label key \"bad key\" is not valid")
	unlabelled := json.remove(revision, ["metadata/labels"])
	some g in rule.deny with input as unlabelled
	g.msg == "the pod lacks the required labels app, rel"
	g.path == ["metadata"]
}
