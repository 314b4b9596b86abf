# METADATA
# title: podlint rule library
# description: |
#   The pods of the document and their containers, each with its path in the document, so that
#   rules can report findings at exact places. User policies can use it too:
#   `import data.podlint.lib`.
package podlint.lib

# pods lists the pods of the document: the Pod itself, or the pod template of a PodTemplate,
# Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob, or of a
# custom resource podlint knows by its API group and kind (an Argo Rollout, a Knative Service, the
# kinds a configuration adds under podKinds). Each has
#   kind                     the document's kind
#   custom                   true for a custom resource, false for Kubernetes' own kinds
#   spec, path               the pod spec and its path (["spec", "template", "spec"])
#   metadata, metadata_path  the pod's metadata ({} when absent) and where it is, or would be
#   labels, labels_path      the pod's labels ({} when absent) and the path of the labels map, or
#                            of the metadata when there is none (where to report about them)
#   containers               the pod's containers, as in containers below
#   ports                    every declared port of every container (entries with a numeric
#                            containerPort), in start order, defaults filled in:
#                            container (its position in containers), index (in its ports list),
#                            port, protocol (TCP), host_port (0), host_ip (""), name (""), path,
#                            and, when the port clashes with an earlier one, repeats: the index in
#                            ports of the first earlier entry with the same port and protocol
#                            whose container runs at the same time (the same container, two
#                            concurrent ones, or a native sidecar and a later init container);
#                            host_repeats: likewise for a hostPort claimed on an overlapping host
#                            address by an entry with another containerPort
#   port_numbers             the set of the port numbers in ports
#   repeated_ports           true when two entries of ports have the same port and protocol
#   repeated_host_ports      true when two entries of ports have the same host_port (other than 0)
#   completes                true for a pod that runs to completion rather than until it is
#                            stopped: a Job's or CronJob's (or a custom resource's that runs to
#                            completion, such as a KEDA ScaledJob), or one with restartPolicy
#                            Never or OnFailure
# A pod-bearing document whose spec is missing or not an object has no pod.
pods := podlint.pods(input)

# containers lists every container of every pod, in the order the kubelet starts them: init
# containers, then regular containers, then ephemeral containers. Each has
#   container    the container object as written
#   name         its name ("" when missing)
#   path         its path: ["spec", "containers", 1]
#   pod_path     the path of its pod spec
#   field        initContainers, containers or ephemeralContainers
#   index        its position in that list
#   order        its position in start order, across the lists
#   sidecar      an init container with restartPolicy Always: a native sidecar, which keeps
#                running beside the regular containers
#   init         an ordinary init container, which runs to completion before the next one starts
#   concurrent   runs at the same time as the pod's other concurrent containers: regular
#                containers, native sidecars and ephemeral containers (not ordinary init containers)
#   role         "container", "init container", "sidecar" or "ephemeral container"
#   label        role and name for messages: `sidecar "proxy"`
#   argv         the command line: command followed by args (args alone when the image's
#                entrypoint is kept)
#   command      podlint.parse_command(argv), made once for all rules; absent when argv is empty
#   handlers     the probe and lifecycle handlers that name a port: where (livenessProbe,
#                readinessProbe, startupProbe, postStart, preStop), hook (true for the
#                lifecycle ones), type (httpGet, tcpSocket, grpc), port (as written), host ("" when
#                unset) and path (of the port)
#   port_names   the set of the names its ports declare (every entry with a string name)
#   pod_completes  its pod's completes
containers := [c |
	some pod in pods
	some c in pod.containers
]

# overlap(a, b) is true when containers a and b of one pod can be running at the same moment.
# Concurrent containers all overlap; an ordinary init container overlaps only with the native
# sidecars declared before it, which are already running when it starts.
overlap(a, b) if {
	a.pod_path == b.pod_path
	a.concurrent
	b.concurrent
}

overlap(a, b) if {
	a.pod_path == b.pod_path
	a.init
	b.sidecar
	b.order < a.order
}

overlap(a, b) if {
	a.pod_path == b.pod_path
	b.init
	a.sidecar
	a.order < b.order
}

# argv_path is the path of element i of c.argv: inside command, or inside args.
argv_path(c, i) := array.concat(c.path, ["command", i]) if {
	i < _command_length(c)
} else := array.concat(c.path, ["args", i - _command_length(c)])

_command_length(c) := count(c.container.command) if {
	is_array(c.container.command)
} else := 0

# format_path renders a path the way kubectl explain does: spec.containers[0].ports[1].
format_path(path) := concat("", [s |
	some i, seg in path
	s := _segment(i, seg)
])

_segment(0, seg) := seg if is_string(seg)

_segment(i, seg) := sprintf(".%s", [seg]) if {
	i > 0
	is_string(seg)
}

_segment(_, seg) := sprintf("[%d]", [seg]) if is_number(seg)

# params(id) is the parameter object of rule id: the defaults from its METADATA (custom.params)
# with the configuration's values over them; {} when the rule has none.
params(id) := data.podlint.params[id] if {
	is_object(data.podlint.params[id])
} else := {}
