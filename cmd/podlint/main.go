// Command podlint lints Kubernetes pod manifests. Everything lives in internal/cli so that it can be
// tested without building the binary.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/podlint/podlint/internal/cli"
	"github.com/podlint/podlint/internal/gctune"
)

func main() {
	// Ordinary runs never collect garbage; large ones collect in proportion to their live heap.
	gctune.Start(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
