// Command gen writes podlint's embedded JSON Schema from the OpenAPI spec published in the Kubernetes
// source. Run it with `go generate ./schema`; pass -version to move to another Kubernetes release.
//
// The spec is taken from the k8s.io/kubernetes module, which `go mod download` fetches into the module
// cache without making it a dependency of podlint.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Files the generator writes, relative to the schema package.
const (
	schemaFile  = "kubernetes.json"
	versionFile = "kubernetes-version"
)

// Files read from the Kubernetes module.
var (
	swaggerPath = filepath.Join("api", "openapi-spec", "swagger.json")
	goDefsPath  = filepath.Join("pkg", "generated", "openapi", "zz_generated.openapi.go")
)

func main() {
	dir := flag.String("dir", ".", "the schema package `folder` to write into")
	version := flag.String("version", "", "Kubernetes `version` to generate from, such as v1.37.2 (default: the recorded one)")
	flag.Parse()
	if err := run(*dir, *version); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func run(dir, version string) error {
	if version == "" {
		v, err := recordedVersion(dir)
		if err != nil {
			return err
		}
		version = v
	}
	modDir, err := downloadKubernetes(version)
	if err != nil {
		return err
	}
	out, err := generateFrom(modDir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, schemaFile), out, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, versionFile), []byte(version+"\n"), 0o644)
}

// recordedVersion reads the Kubernetes version the committed schema came from.
func recordedVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, versionFile))
	if err != nil {
		return "", fmt.Errorf("read recorded version (or pass -version): %w", err)
	}
	v := strings.TrimSpace(string(b))
	if !strings.HasPrefix(v, "v1.") {
		return "", fmt.Errorf("%s: %q is not a Kubernetes version such as v1.37.2", versionFile, v)
	}
	return v, nil
}

// downloadKubernetes fetches k8s.io/kubernetes at version into the module cache and returns its
// folder. It runs outside any module so that nothing is added to podlint's go.mod or go.sum.
func downloadKubernetes(version string) (string, error) {
	tmp, err := os.MkdirTemp("", "podlint-schema-gen")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "mod", "download", "-json", "k8s.io/kubernetes@"+version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct {
		Dir   string
		Error string
	}
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil && runErr == nil {
		return "", fmt.Errorf("read go mod download output: %w", err)
	}
	if info.Error != "" {
		return "", fmt.Errorf("download k8s.io/kubernetes@%s: %s", version, info.Error)
	}
	if runErr != nil {
		return "", fmt.Errorf("download k8s.io/kubernetes@%s: %w: %s", version, runErr, strings.TrimSpace(stderr.String()))
	}
	if info.Dir == "" {
		return "", fmt.Errorf("download k8s.io/kubernetes@%s: no folder reported", version)
	}
	return info.Dir, nil
}

// generateFrom reads the spec files of a Kubernetes source tree and builds the schema.
func generateFrom(modDir string) ([]byte, error) {
	swagger, err := os.ReadFile(filepath.Join(modDir, swaggerPath))
	if err != nil {
		return nil, err
	}
	goDefs, err := os.ReadFile(filepath.Join(modDir, goDefsPath))
	if err != nil {
		return nil, err
	}
	return generate(swagger, goDefs)
}
