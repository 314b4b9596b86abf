# METADATA
# title: The pod lacks required labels, or has labels Kubernetes rejects
# description: |
#   Labels are how Services, Deployments, dashboards and people find pods. Teams agree on a few that
#   every pod carries; by default podlint asks for `app` (any value) and `rel` (the release track:
#   stable, beta or canary). For workloads the labels that count are those of the pod template,
#   since they are the ones the pods get. A required label with a value outside its allowed list is
#   reported too.
#
#   Label keys and values that the API server would reject are errors, checked with the API
#   server's own validation: a key is an optional DNS subdomain prefix and a slash, then a name of
#   at most 63 characters made of letters, digits, `-`, `_` and `.`, starting and ending with a
#   letter or digit; a value follows the same rules as the name and may be empty.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
#     description: Labels and selectors
#   - ref: https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
#     description: Recommended labels
# custom:
#   id: required-labels
#   severity: warning
#   remediation: |
#     Add the missing labels to the pod's metadata (the pod template's, for a workload), with one of
#     the allowed values where the rule lists them, and fix keys and values to the label syntax.
#     Change the required list in the rule's parameters when your team agrees on other labels.
#   params:
#     labels:
#       app: []
#       rel: [stable, beta, canary]
package podlint.rules.required_labels

import data.podlint.lib

# The labels parameter maps each required key to its allowed values; an empty list means any value.
# _required lists them as {key, values}.
_required := [{"key": k, "values": v} | some k, v in object.get(lib.params("required-labels"), "labels", {})]

_whose(pod) := "the pod" if {
	pod.kind == "Pod"
} else := "the pod template"

deny contains finding if {
	some pod in lib.pods
	missing := sort([r.key | some r in _required; object.get(pod.labels, r.key, null) == null])
	count(missing) > 0
	finding := {
		"msg": sprintf("%s lacks the required label%s %s", [_whose(pod), _plural(missing), concat(", ", missing)]),
		"path": pod.labels_path,
	}
}

_plural(list) := "s" if {
	count(list) > 1
} else := ""

deny contains finding if {
	some pod in lib.pods
	some r in _required
	count(r.values) > 0
	value := pod.labels[r.key]
	not value in r.values
	finding := {
		"msg": sprintf("label %s=%v is not one of the allowed values: %s", [r.key, value, concat(", ", [sprintf("%v", [v]) | some v in r.values])]),
		"path": array.concat(pod.labels_path, [r.key]),
	}
}

# _label_maps are the labels the API server checks: the pod's, and a workload's own.
_label_maps contains {"labels": pod.labels, "path": pod.labels_path} if {
	some pod in lib.pods
	count(pod.labels) > 0
}

_label_maps contains {"labels": input.metadata.labels, "path": ["metadata", "labels"]} if {
	lib.pods[0].kind != "Pod"
	is_object(input.metadata.labels)
}

# _invalid pairs each labels map with what the API server would reject in it, checked with the
# API server's own code (podlint.label_errors), in one call per map.
_invalid := [[m, errors] |
	some m in _label_maps
	errors := podlint.label_errors(m.labels)
	count(errors) > 0
]

deny contains finding if {
	some [m, errors] in _invalid
	some key, problems in errors
	count(problems.key) > 0
	finding := {
		"msg": sprintf("label key %q is not valid, and the API server rejects it: %s", [key, concat("; ", problems.key)]),
		"path": array.concat(m.path, [key]),
		"severity": "error",
		"at": "key",
	}
}

deny contains finding if {
	some [m, errors] in _invalid
	some key, problems in errors
	count(problems.value) > 0
	finding := {
		"msg": sprintf("label %s has a value the API server rejects: %s", [key, concat("; ", problems.value)]),
		"path": array.concat(m.path, [key]),
		"severity": "error",
	}
}
