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
	// A lint run is short and its live heap small: collecting garbage half as often buys about a
	// tenth of the run time for a few megabytes (see bench/run.sh). GOGC still wins when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
