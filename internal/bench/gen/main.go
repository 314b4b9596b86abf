// Command gen writes a corpus of varied, realistic Kubernetes manifests for benchmarks: every
// pod-bearing kind, multi-container pods, native sidecars, probes, Services and ConfigMaps beside
// them, and a share of real mistakes so that the findings path is measured too.
//
//	go run ./internal/bench/gen -n 10000 -files 2000 -out /tmp/corpus
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("n", 10000, "pod-bearing objects to write")
	files := flag.Int("files", 2000, "files to spread them over")
	out := flag.String("out", "", "output folder (created; must be empty or missing)")
	seed := flag.Int64("seed", 1, "random seed: the same seed writes the same corpus")
	flag.Parse()
	if *out == "" || *n < 1 || *files < 1 {
		fmt.Fprintln(os.Stderr, "usage: gen -n OBJECTS -files FILES -out DIR")
		os.Exit(2)
	}
	if err := write(*out, *n, *files, rand.New(rand.NewSource(*seed))); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(dir string, n, files int, r *rand.Rand) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	perFile := (n + files - 1) / files
	written := 0
	for f := 0; f < files && written < n; f++ {
		var b strings.Builder
		for i := 0; i < perFile && written < n; i++ {
			if i > 0 {
				b.WriteString("---\n")
			}
			b.WriteString(object(r, written))
			// a Service or ConfigMap beside some workloads, as real repositories have
			if r.Intn(4) == 0 {
				b.WriteString("---\n")
				b.WriteString(service(written))
			}
			written++
		}
		sub := filepath.Join(dir, fmt.Sprintf("team-%02d", f%20))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("app-%04d.yaml", f)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

var kinds = []struct{ apiVersion, kind string }{
	{"v1", "Pod"}, {"apps/v1", "Deployment"}, {"apps/v1", "Deployment"}, {"apps/v1", "Deployment"},
	{"apps/v1", "StatefulSet"}, {"apps/v1", "DaemonSet"}, {"apps/v1", "ReplicaSet"},
	{"v1", "ReplicationController"}, {"batch/v1", "Job"}, {"batch/v1", "CronJob"}, {"v1", "PodTemplate"},
}

var images = []string{"nginx:1.27", "ghcr.io/acme/api:2.3.1", "redis:7.2", "registry.k8s.io/pause:3.9", "busybox:1.36", "envoyproxy/envoy:v1.30.1"}

func object(r *rand.Rand, i int) string {
	k := kinds[r.Intn(len(kinds))]
	name := fmt.Sprintf("svc-%05d", i)
	pod := podSpec(r, name, k.kind == "Job" || k.kind == "CronJob")
	labels := fmt.Sprintf("    app: %s\n    rel: %s\n", name, []string{"stable", "beta", "canary"}[r.Intn(3)])
	if r.Intn(10) == 0 {
		labels = fmt.Sprintf("    app: %s\n", name) // missing rel: a finding
	}
	meta := fmt.Sprintf("metadata:\n  name: %s\n  namespace: team-%d\n  labels:\n%s", name, i%20, labels)
	tmpl := func(indent string) string {
		return indent + "metadata:\n" + indent + "  labels:\n" + indent + "    app: " + name + "\n" + indent + "    rel: stable\n" +
			indent + "spec:\n" + indentBy(pod, indent+"  ")
	}
	head := fmt.Sprintf("apiVersion: %s\nkind: %s\n%s", k.apiVersion, k.kind, meta)
	switch k.kind {
	case "Pod":
		return head + "spec:\n" + indentBy(pod, "  ")
	case "PodTemplate":
		return head + "template:\n" + tmpl("  ")
	case "Job":
		return head + "spec:\n  backoffLimit: 3\n  template:\n" + tmpl("    ")
	case "CronJob":
		return head + "spec:\n  schedule: \"*/15 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n" + tmpl("        ")
	case "DaemonSet":
		return head + fmt.Sprintf("spec:\n  selector:\n    matchLabels:\n      app: %s\n  template:\n", name) + tmpl("    ")
	case "ReplicationController":
		return head + fmt.Sprintf("spec:\n  replicas: 2\n  selector:\n    app: %s\n  template:\n", name) + tmpl("    ")
	default:
		extra := ""
		if k.kind == "StatefulSet" {
			extra = "  serviceName: " + name + "\n"
		}
		return head + fmt.Sprintf("spec:\n  replicas: %d\n%s  selector:\n    matchLabels:\n      app: %s\n  template:\n", 1+r.Intn(5), extra, name) + tmpl("    ")
	}
}

func podSpec(r *rand.Rand, name string, batch bool) string {
	var b strings.Builder
	if batch {
		b.WriteString("restartPolicy: OnFailure\n")
	}
	if r.Intn(20) == 0 {
		b.WriteString("nodeSelector:\n  kubernetes.io/hostname: node-7\n") // pinning: a finding
	}
	if r.Intn(3) == 0 {
		b.WriteString("initContainers:\n- name: migrate\n  image: ghcr.io/acme/migrate:1.0\n  command: [\"/migrate\", \"--up\"]\n")
		if r.Intn(2) == 0 {
			b.WriteString("- name: log-shipper\n  image: fluent/fluent-bit:3.0\n  restartPolicy: Always\n  ports:\n  - name: metrics\n    containerPort: 2020\n")
		}
	}
	b.WriteString("containers:\n")
	// one container in most pods, as in real repositories; the mix keeps the mean object near the
	// ~840 bytes of the pod-bearing objects in public manifests
	containers := 1
	if x := r.Intn(10); x >= 9 {
		containers = 3
	} else if x >= 6 {
		containers = 2
	}
	for c := 0; c < containers; c++ {
		port := 8080 + c
		if r.Intn(25) == 0 && c > 0 {
			port = 8080 // port conflict: a finding
		}
		fmt.Fprintf(&b, "- name: c%d\n  image: %s\n", c, images[r.Intn(len(images))])
		if r.Intn(6) == 0 {
			b.WriteString("  command: [\"sh\", \"-c\", \"./setup.sh && exec ./server --port=8080\"]\n")
		} else if r.Intn(30) == 0 {
			b.WriteString("  command: [\"sh\", \"-c\", \"./worker & ./server\"]\n") // two processes: a finding
		}
		fmt.Fprintf(&b, "  ports:\n  - name: http-%d\n    containerPort: %d\n    protocol: TCP\n", c, port)
		if c == 0 && r.Intn(2) == 0 {
			fmt.Fprintf(&b, "  env:\n  - name: APP_NAME\n    value: %s\n  - name: LOG_LEVEL\n    value: info\n", name)
		}
		if r.Intn(2) == 0 {
			b.WriteString("  resources:\n    requests:\n      cpu: 100m\n      memory: 128Mi\n    limits:\n      memory: 256Mi\n")
		}
		if c == 0 && !batch {
			probePort := fmt.Sprintf("http-%d", c)
			if r.Intn(15) == 0 {
				probePort = "9090" // a port the container does not declare: a finding
			}
			fmt.Fprintf(&b, "  readinessProbe:\n    httpGet:\n      path: /healthz\n      port: %s\n    periodSeconds: 10\n", probePort)
			if r.Intn(2) == 0 {
				fmt.Fprintf(&b, "  livenessProbe:\n    tcpSocket:\n      port: %d\n    initialDelaySeconds: 15\n", port)
			}
		}
	}
	return b.String()
}

func service(i int) string {
	// the Service of workload i: in its namespace, selecting its pods
	return fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%05d\n  namespace: team-%d\nspec:\n  selector:\n    app: svc-%05d\n  ports:\n  - port: 80\n    targetPort: http-0\n", i, i%20, i)
}

func indentBy(s, indent string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = indent + l
	}
	return strings.Join(lines, "\n") + "\n"
}
