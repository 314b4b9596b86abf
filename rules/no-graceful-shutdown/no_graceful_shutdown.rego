# METADATA
# title: A server pod is killed without a chance to shut down
# description: |
#   When a pod is deleted, Kubernetes sends SIGTERM to the main process of each container and
#   waits for the termination grace period (30 seconds unless the pod says otherwise) before it
#   sends SIGKILL. That pause is what lets a server stop accepting connections, finish the requests
#   it is serving, flush buffers and close its connections cleanly.
#
#   `terminationGracePeriodSeconds: 0` removes the pause: the processes are killed at once, and
#   every rollout, scale-down or node drain cuts off the requests in flight. The rule reports it on
#   pods that serve traffic, that is, with a container that declares ports or has a readiness
#   probe. A grace period of 0 on a pod that only runs a batch task is left alone.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
#     description: Termination of pods, SIGTERM and the grace period
#   - ref: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
#     description: The preStop hook, which runs inside the grace period
# custom:
#   id: no-graceful-shutdown
#   severity: warning
#   remediation: |
#     Remove `terminationGracePeriodSeconds` to get the default of 30 seconds, or set it to a bit
#     more than the server needs to drain its connections, and make the server stop cleanly on
#     SIGTERM.
package podlint.rules.no_graceful_shutdown

import data.podlint.lib

# _serves lists the containers that serve traffic: they declare ports or have a readiness probe.
# Ordinary init containers and ephemeral containers do not serve anything.
_serves(pod) := [c.label |
	some c in pod.containers
	c.concurrent
	c.field != "ephemeralContainers"
	_server(c.container)
]

_server(container) if count(container.ports) > 0

_server(container) if is_object(container.readinessProbe)

deny contains finding if {
	some pod in lib.pods
	pod.spec.terminationGracePeriodSeconds == 0
	servers := _serves(pod)
	count(servers) > 0
	finding := {
		"msg": sprintf("terminationGracePeriodSeconds: 0 kills %s at once on every deletion, with no time to finish the requests in flight", [_names(servers)]),
		"path": array.concat(pod.path, ["terminationGracePeriodSeconds"]),
	}
}

_names(labels) := labels[0] if {
	count(labels) == 1
} else := sprintf("%s and %d other containers", [labels[0], count(labels) - 1])
