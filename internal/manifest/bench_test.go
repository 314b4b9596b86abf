package manifest

import (
	"strings"
	"testing"
)

// benchDeployment is a realistic workload: three containers, probes, resources, env.
var benchDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
    rel: stable
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        rel: stable
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/acme/migrate:1.0
        command: ["/migrate", "--up"]
      containers:
      - name: web
        image: ghcr.io/acme/web:2.3.1
        command: ["sh", "-c", "./setup.sh && exec ./server --port=8080"]
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        env:
        - name: APP_NAME
          value: web
        - name: LOG_LEVEL
          value: info
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          periodSeconds: 10
        livenessProbe:
          tcpSocket: {port: 8080}
      - name: metrics
        image: prom/statsd-exporter:v0.26.0
        ports:
        - name: metrics
          containerPort: 9102
`

func BenchmarkLoad(b *testing.B) {
	data := []byte(strings.Repeat(benchDeployment+"---\n", 5))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f := Load("bench.yaml", data)
		if len(f.Documents) != 5 {
			b.Fatal(f.Problems)
		}
	}
}
