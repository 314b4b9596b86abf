package policy

import "github.com/open-policy-agent/opa/v1/ast"

// Every document is converted to OPA terms, and most of its map keys are the same few field names.
// Sharing one immutable term per known name saves an allocation or two per key, which is a good
// part of the conversion's cost. Unknown keys (label keys, ConfigMap data) get fresh terms, so the
// table never grows.
var keyTerms = func() map[string]*ast.Term {
	m := make(map[string]*ast.Term, len(knownKeys))
	for _, k := range knownKeys {
		m[k] = ast.StringTerm(k)
	}
	return m
}()

// key returns the term for a map key or a short constant string.
func key(s string) *ast.Term {
	if t, ok := keyTerms[s]; ok {
		return t
	}
	return ast.StringTerm(s)
}

// knownKeys are Kubernetes field names (pod-related ones first), values podlint itself uses as
// keys, and the keys of the objects the builtins return.
var knownKeys = []string{
	// objects
	"apiVersion", "kind", "metadata", "name", "namespace", "generateName", "labels", "annotations",
	"uid", "resourceVersion", "creationTimestamp", "ownerReferences", "finalizers", "spec", "status",
	"items", "data", "stringData", "type",
	// workloads
	"replicas", "selector", "matchLabels", "matchExpressions", "matchFields", "key", "operator",
	"values", "template", "jobTemplate", "schedule", "concurrencyPolicy", "strategy", "rollingUpdate",
	"maxSurge", "maxUnavailable", "revisionHistoryLimit", "minReadySeconds", "serviceName",
	"volumeClaimTemplates", "updateStrategy", "podManagementPolicy", "backoffLimit", "completions",
	"parallelism", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "successfulJobsHistoryLimit",
	"failedJobsHistoryLimit", "suspend", "startingDeadlineSeconds", "jobTargetRef",
	// pod spec
	"containers", "initContainers", "ephemeralContainers", "volumes", "restartPolicy",
	"terminationGracePeriodSeconds", "dnsPolicy", "dnsConfig", "nodeSelector", "nodeName",
	"serviceAccountName", "serviceAccount", "automountServiceAccountToken", "hostNetwork", "hostPID",
	"hostIPC", "hostname", "subdomain", "securityContext", "imagePullSecrets", "affinity",
	"nodeAffinity", "podAffinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
	"preferredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "weight", "preference",
	"podAffinityTerm", "labelSelector", "topologyKey", "tolerations", "effect", "tolerationSeconds",
	"priorityClassName", "priority", "topologySpreadConstraints", "maxSkew", "whenUnsatisfiable",
	"schedulerName", "runtimeClassName", "enableServiceLinks", "shareProcessNamespace", "hostAliases",
	"ip", "hostnames", "readinessGates", "overhead", "os", "resourceClaims",
	// containers
	"image", "imagePullPolicy", "command", "args", "workingDir", "ports", "containerPort", "hostPort",
	"hostIP", "protocol", "env", "value", "valueFrom", "envFrom", "configMapKeyRef", "secretKeyRef",
	"fieldRef", "fieldPath", "resourceFieldRef", "resource", "configMapRef", "secretRef", "prefix",
	"resources", "limits", "requests", "cpu", "memory", "ephemeral-storage", "volumeMounts",
	"mountPath", "subPath", "readOnly", "volumeDevices", "livenessProbe", "readinessProbe",
	"startupProbe", "lifecycle", "postStart", "preStop", "terminationMessagePath",
	"terminationMessagePolicy", "stdin", "stdinOnce", "tty", "targetContainerName", "resizePolicy",
	// probes and handlers
	"httpGet", "tcpSocket", "grpc", "exec", "sleep", "path", "port", "host", "scheme", "httpHeaders",
	"service", "seconds", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
	"successThreshold", "failureThreshold",
	// security
	"runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "privileged", "allowPrivilegeEscalation",
	"readOnlyRootFilesystem", "capabilities", "add", "drop", "seccompProfile", "seLinuxOptions",
	"supplementalGroups", "sysctls", "localhostProfile", "procMount", "appArmorProfile",
	// volumes
	"configMap", "secret", "secretName", "emptyDir", "medium", "sizeLimit", "hostPath",
	"persistentVolumeClaim", "claimName", "projected", "sources", "downwardAPI", "csi", "driver",
	"defaultMode", "optional", "storageClassName", "accessModes", "storage", "volumeMode",
	// common values
	"", "TCP", "UDP", "SCTP", "Always", "IfNotPresent", "Never", "OnFailure", "true", "false",
	// podlint's own objects
	"pod_path", "metadata_path", "field", "index", "order", "sidecar", "init", "concurrent", "role",
	"label", "argv", "container", "init container", "ephemeral container", "labels_path", "handlers",
	"where", "hook", "host_port", "host_ip", "port_numbers", "repeated_ports", "repeated_host_ports",
	"port_names", "completes", "pod_completes", "custom", "repeats", "host_repeats",
	"program", "wrappers", "shell", "script", "script_index", "parsed", "dialect", "error",
	"commands", "traps", "last", "background", "job", "pipeline", "nested", "top_level",
	"redirects", "line", "column", "op", "fd", "target", "action", "signals",
}
