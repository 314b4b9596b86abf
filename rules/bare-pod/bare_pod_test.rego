package podlint.rules.bare_pod_test

import data.podlint.rules.bare_pod as rule

pod(metadata, spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}

spec := {"containers": [{"name": "app", "image": "x"}]}

paths(doc) := {f.path | some f in rule.deny with input as doc}

test_bare_pod if {
	paths(pod({"name": "p"}, spec)) == {["kind"]}
}

test_bare_pod_suggests_a_controller if {
	some f in rule.deny with input as pod({"name": "p"}, spec)
	contains(f.msg, "Deployment")
}

test_run_to_completion_pod_suggests_a_job if {
	some f in rule.deny with input as pod({"name": "p"}, object.union(spec, {"restartPolicy": "Never"}))
	contains(f.msg, "a Job")
}

test_owned_pod_passes if {
	paths(pod({"name": "p", "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d8f", "uid": "1"}]}, spec)) == set()
}

test_empty_owner_references_is_bare if {
	paths(pod({"name": "p", "ownerReferences": []}, spec)) == {["kind"]}
}

test_static_pod_mirror_passes if {
	paths(pod({"name": "etcd-node1", "annotations": {"kubernetes.io/config.mirror": "abc"}}, spec)) == set()
	paths(pod({"name": "etcd-node1", "annotations": {"kubernetes.io/config.source": "file"}}, spec)) == set()
}

test_workloads_pass if {
	paths({"kind": "Deployment", "spec": {"template": {"spec": spec}}}) == set()
	paths({"kind": "Job", "spec": {"template": {"spec": spec}}}) == set()
	paths({"kind": "PodTemplate", "template": {"spec": spec}}) == set()
}

test_custom_resources_pass if {
	paths({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "spec": {"template": {"spec": spec}}}) == set()
	paths({"apiVersion": "serving.knative.dev/v1", "kind": "Revision", "metadata": {"name": "r"}, "spec": spec}) == set()
}

test_other_objects_pass if {
	paths({"kind": "Service", "spec": {"ports": [{"port": 80}]}}) == set()
}
