// Package schema embeds the JSON Schema podlint validates pod-bearing objects against. The files are
// generated from the Kubernetes OpenAPI spec by ./gen; this package only carries them into the binary.
package schema

import (
	_ "embed"
	"strings"
)

//go:generate go run ./gen

// JSON is the schema document: "kinds" maps each validated kind to its apiVersion and definition,
// "definitions" holds the definitions they share.
//
//go:embed kubernetes.json
var JSON []byte

//go:embed kubernetes-version
var version string

// KubernetesVersion is the Kubernetes release the schema was generated from, such as v1.37.2.
func KubernetesVersion() string { return strings.TrimSpace(version) }
