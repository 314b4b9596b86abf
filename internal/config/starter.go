package config

// Starter is the commented file `podlint init` writes.
const Starter = `# podlint configuration. podlint finds this file in the current folder or a parent, up to the
# repository root; --config FILE names another. Flags override what is set here.

# The lowest severity that fails the run (exit code 1): error, warning or info.
failLevel: error

# Paths not to lint, as globs relative to this file's folder (** matches any number of folders).
# YAML that is not Kubernetes (Helm values, CI files) needs no exclude: it is counted, not reported.
exclude:
  - "**/testdata/**"
  # - "vendor/**"

# Fail when the paths hold no Kubernetes object at all (a CI job pointed at the wrong folder).
# failIfNoObjects: true

# Findings accepted when podlint was adopted (written by podlint --write-baseline FILE, relative to
# this file's folder): they are counted, not reported, and only new findings fail.
# baseline: podlint-baseline.json

# How Helm charts are rendered (each chart's values.yaml, then these; the flags --values, --set,
# --set-string, --release-name, --namespace and --kube-version go over them).
# helm:
#   releaseName: release
#   namespace: default
#   values: [ci/values.yaml]
#   set: ["image.tag=1.0.0"]
#   charts:
#     charts/web:
#       values: [charts/web/ci/values-prod.yaml]

# Folders of Rego policies to run beside the built-in rules (relative to this file's folder).
policies: []
  # - policy/

# Rules by id (podlint rules lists them): a severity (error, warning, info, off), or a mapping
# with severity and params.
rules:
  # hostname-pinning: off
  required-labels:
    severity: warning
    params:
      labels:
        app: []                      # required, any value
        rel: [stable, beta, canary]  # required, one of these

# Custom resources that carry a pod, beside those podlint knows (Argo Rollouts, Knative, KEDA,
# OpenKruise, ...: see the README): the API group (apiVersion without its version), the kind, the
# path of the pod template (the mapping that holds the pod's metadata and spec), and whether its
# pods run to completion, like a Job's.
podKinds: []
  # - group: example.com
  #   kind: Worker
  #   template: spec.template
  #   completes: false
`
