# METADATA
# title: The pod lacks required labels, or has labels Kubernetes rejects
# description: |
#   Labels are how Services, Deployments, dashboards and people find pods. Teams agree on a few that
#   every pod carries; by default podlint asks for `app` (any value) and `rel` (the release track:
#   stable, beta or canary). For workloads the labels that count are those of the pod template,
#   since they are the ones the pods get. A required label with a value outside its allowed list is
#   reported too.
#
#   Label keys and values that the API server would reject are errors: a key is an optional DNS
#   subdomain prefix and a slash, then a name of at most 63 characters made of letters, digits,
#   `-`, `_` and `.`, starting and ending with a letter or digit; a value follows the same rules as
#   the name and may be empty.
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
#       - key: app
#       - key: rel
#         values: [stable, beta, canary]
package podlint.rules.required_labels

import data.podlint.lib

# _required lists {key, values}: no values (or an empty list) means any value.
_required := [r |
	some r in object.get(lib.params("required-labels"), "labels", [])
	is_string(r.key)
]

_labels(pod) := pod.metadata.labels if {
	is_object(pod.metadata.labels)
} else := {}

# Findings about the whole map go on labels, or on metadata when there are no labels.
_labels_path(pod) := array.concat(pod.metadata_path, ["labels"]) if {
	is_object(pod.metadata.labels)
} else := pod.metadata_path

_whose(pod) := "the pod" if {
	pod.kind == "Pod"
} else := "the pod template"

deny contains finding if {
	some pod in lib.pods
	keys := object.keys(_labels(pod))
	missing := [r.key | some r in _required; not r.key in keys]
	count(missing) > 0
	finding := {
		"msg": sprintf("%s lacks the required label%s %s", [_whose(pod), _plural(missing), concat(", ", missing)]),
		"path": _labels_path(pod),
	}
}

_plural(list) := "s" if {
	count(list) > 1
} else := ""

deny contains finding if {
	some pod in lib.pods
	some r in _required
	count(object.get(r, "values", [])) > 0
	value := pod.metadata.labels[r.key]
	not value in r.values
	finding := {
		"msg": sprintf("label %s=%v is not one of the allowed values: %s", [r.key, value, concat(", ", [sprintf("%v", [v]) | some v in r.values])]),
		"path": array.concat(pod.metadata_path, ["labels", r.key]),
	}
}

# _label_maps are the labels the API server checks: the pod's, and the workload's own.
_label_maps := array.concat(
	[m |
		some pod in lib.pods
		is_object(pod.metadata.labels)
		m := {"labels": pod.metadata.labels, "path": array.concat(pod.metadata_path, ["labels"])}
	],
	[m |
		count(lib.pods) > 0
		lib.pods[0].kind != "Pod"
		is_object(input.metadata.labels)
		m := {"labels": input.metadata.labels, "path": ["metadata", "labels"]}
	],
)

# One pattern each for a valid key and a valid value, for the common case; the reasons are worked
# out only for what fails.
_key_pattern := `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`

_value_pattern := `^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$`

deny contains finding if {
	some m in _label_maps
	some key, _ in m.labels
	not _valid_key(key)
	finding := {
		"msg": sprintf("label key %q is not valid: %s; the API server rejects it", [key, _key_problem(key)]),
		"path": array.concat(m.path, [key]),
		"severity": "error",
		"at": "key",
	}
}

_valid_key(key) if {
	regex.match(_key_pattern, key)
	count(key) <= 317 # prefix of at most 253, a slash, a name of at most 63
	_prefix_length_ok(key)
}

_prefix_length_ok(key) if count(key) <= 254

_prefix_length_ok(key) if count(split(key, "/")[0]) <= 253

deny contains finding if {
	some m in _label_maps
	some key, value in m.labels
	is_string(value)
	not regex.match(_value_pattern, value)
	finding := {
		"msg": sprintf("label %s has a value the API server rejects: %s", [key, _value_problem(value)]),
		"path": array.concat(m.path, [key]),
		"severity": "error",
	}
}

_name_rule := "a name has at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit"

_key_problem(key) := "it has more than one '/'" if {
	count(split(key, "/")) > 2
} else := "the prefix before '/' is empty" if {
	startswith(key, "/")
} else := sprintf("the prefix %q is not a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)", [prefix]) if {
	parts := split(key, "/")
	count(parts) == 2
	prefix := parts[0]
	not _subdomain(prefix)
} else := sprintf("the name part is empty; %s", [_name_rule]) if {
	_name_part(key) == ""
} else := sprintf("the name %q is %d characters long; %s", [name, count(name), _name_rule]) if {
	name := _name_part(key)
	count(name) > 63
} else := sprintf("%s, and %q is not", [_name_rule, _name_part(key)])

_name_part(key) := parts[count(parts) - 1] if parts := split(key, "/")

_subdomain(s) if {
	count(s) <= 253
	regex.match(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`, s)
}

_value_problem(value) := sprintf("%q is %d characters long, more than 63", [value, count(value)]) if {
	count(value) > 63
} else := sprintf("%q must be empty or start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between", [value])
