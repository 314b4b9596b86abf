# METADATA
# title: The pod is created directly, without a controller
# description: |
#   A Pod that you create yourself has nobody looking after it. The kubelet restarts its containers
#   while the node lives, but when the node fails, is drained or is removed, the pod is gone and
#   nothing makes a new one. Controllers exist for exactly that: a Deployment or a StatefulSet
#   keeps the number of replicas you asked for, a DaemonSet keeps one pod on each node, and a Job
#   runs a task to completion and retries it elsewhere when its node disappears.
#
#   Pods that a controller made (they carry `metadata.ownerReferences`, as in the output of
#   `kubectl get -o yaml`) and static pods, which the kubelet runs from files on its node (their
#   mirror in the API carries a `kubernetes.io/config.mirror` annotation), are not reported.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/#working-with-pods
#     description: Working with pods, and why controllers create them
#   - ref: https://kubernetes.io/docs/concepts/workloads/controllers/
#     description: Workload controllers
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
#     description: Static pods
# custom:
#   id: bare-pod
#   severity: info
#   remediation: |
#     Put the pod spec in the template of a controller: a Deployment for a stateless service, a
#     StatefulSet when each replica keeps its own identity and storage, a DaemonSet for one pod per
#     node, a Job (or CronJob) for work that finishes. A pod kept on purpose, for a quick test or a
#     debugging session, can stay as it is.
package podlint.rules.bare_pod

import data.podlint.lib

# Annotations the kubelet sets on the API mirror of a static pod.
_static_annotations := {"kubernetes.io/config.mirror", "kubernetes.io/config.source", "kubernetes.io/config.hash"}

_owned(pod) if count(pod.metadata.ownerReferences) > 0

_static(pod) if {
	some key, _ in pod.metadata.annotations
	key in _static_annotations
}

# A pod that runs to completion is better served by a Job; one that keeps running, by a Deployment
# or another controller that replaces it.
_suggestion(pod) := "a Job" if {
	pod.completes # a Pod's: restartPolicy Never or OnFailure
} else := "a Deployment (or a StatefulSet or DaemonSet)"

deny contains finding if {
	some pod in lib.pods
	pod.kind == "Pod"
	not pod.custom # a custom resource named Pod is not one
	not _owned(pod)
	not _static(pod)
	finding := {
		"msg": sprintf("the pod has no controller: nothing recreates it when its node fails or is drained; run it from %s", [_suggestion(pod)]),
		"path": ["kind"],
	}
}
