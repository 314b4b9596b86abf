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
# (Built once per document and read as it is: every step of Rego costs, so the rule iterates the
# parameter object directly rather than reshaping it.)
_required := object.get(lib.params("required-labels"), "labels", {})

# A Pod's labels are its own; a workload's are those of its pod template. (A custom resource can
# be a pod itself too: a Knative Revision's metadata and spec are its pod's.)
_whose(pod) := "the pod" if {
	pod.metadata_path == ["metadata"]
} else := "the pod template"

deny contains finding if {
	some pod in lib.pods
	missing := sort([k | some k, _ in _required; object.get(pod.labels, k, null) == null])
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
	some k, allowed in _required
	count(allowed) > 0
	value := pod.labels[k]
	not value in allowed
	finding := {
		"msg": sprintf("label %s=%v is not one of the allowed values: %s", [k, value, concat(", ", [sprintf("%v", [v]) | some v in allowed])]),
		"path": array.concat(pod.labels_path, [k]),
	}
}

# _invalid lists the label maps with entries the API server rejects, as [path, errors]: the pod's
# labels, and for a workload its own labels too (they are checked on create like any object's).
_invalid contains [pod.labels_path, errors] if {
	some pod in lib.pods
	count(pod.labels) > 0
	errors := podlint.label_errors(pod.labels)
	count(errors) > 0
}

_invalid contains [["metadata", "labels"], errors] if {
	lib.pods[0].metadata_path != ["metadata"]
	is_object(input.metadata.labels)
	errors := podlint.label_errors(input.metadata.labels)
	count(errors) > 0
}

deny contains finding if {
	some [path, errors] in _invalid
	some key, problems in errors
	count(problems.key) > 0
	finding := {
		"msg": sprintf("label key %q is not valid, and the API server rejects it: %s", [key, concat("; ", problems.key)]),
		"path": array.concat(path, [key]),
		"severity": "error",
		"at": "key",
	}
}

deny contains finding if {
	some [path, errors] in _invalid
	some key, problems in errors
	count(problems.value) > 0
	finding := {
		"msg": sprintf("label %s has a value the API server rejects: %s", [key, concat("; ", problems.value)]),
		"path": array.concat(path, [key]),
		"severity": "error",
	}
}
