// Command floor links every package podlint links, runs their initialisation, and exits. It is the
// floor of a podlint run: the time no change to podlint's own work can remove. bench/run.sh times it
// beside podlint and reports the difference.
package main

import (
	_ "github.com/podlint/podlint/internal/cli"
)

func main() {}
