// Command podlint lints Kubernetes pod manifests. Everything lives in internal/cli so that it can be
// tested without building the binary.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/podlint/podlint/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
