// Command podlint lints Kubernetes pod manifests. Everything lives in internal/cli so that it can be
// tested without building the binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/podlint/podlint/internal/cli"
)

func main() {
	// A lint run is short and its live heap small: rather than collecting garbage every time the
	// heap doubles, let it grow to 64 MiB and collect only then. A one-file run never collects at
	// all, and a large run stays within the limit (see bench/run.sh). GOGC and GOMEMLIMIT still win.
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(64 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
