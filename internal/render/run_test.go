package render

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary stands in for the renderer when PODLINT_FAKE_RENDER names a behaviour, so Run is
// tested against a real process and real pipes.
func TestMain(m *testing.M) {
	if mode := os.Getenv("PODLINT_FAKE_RENDER"); mode != "" {
		os.Exit(fakeRenderer(mode))
	}
	os.Exit(m.Run())
}

func fakeRenderer(mode string) int {
	var req Request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "bad request:", err)
		return 2
	}
	enc := json.NewEncoder(os.Stdout)
	switch mode {
	case "echo":
		for i, j := range req.Jobs {
			enc.Encode(Result{Job: i, Outputs: []Output{{Text: "kind: " + j.Kind + "\n", Template: j.Dir}}})
		}
	case "crash":
		fmt.Fprintln(os.Stderr, "panic: something broke")
		return 2
	case "short":
		enc.Encode(Result{Job: 0})
	case "garbage":
		io.WriteString(os.Stdout, "not json\n")
	case "order":
		enc.Encode(Result{Job: 1})
	case "protocol":
		if req.Protocol != Protocol {
			return 3
		}
		for i := range req.Jobs {
			enc.Encode(Result{Job: i})
		}
	}
	return 0
}

func fake(t *testing.T, mode string) string {
	t.Setenv("PODLINT_FAKE_RENDER", mode)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestRun(t *testing.T) {
	jobs := []Job{{Kind: KindHelm, Dir: "charts/web"}, {Kind: KindKustomize, Dir: "deploy/prod"}}
	res, err := Run(context.Background(), fake(t, "echo"), jobs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Outputs[0].Text != "kind: helm\n" || res[1].Outputs[0].Template != "deploy/prod" {
		t.Errorf("results = %+v", res)
	}
	if _, err := Run(context.Background(), fake(t, "protocol"), jobs); err != nil {
		t.Errorf("the request does not carry protocol %d: %v", Protocol, err)
	}
	for mode, want := range map[string]string{
		"crash":   "podlint-render: panic: something broke",
		"short":   "answered 1 of 2 jobs",
		"garbage": "wrote something that is not a result",
		"order":   "answered job 1 where job 0 was due",
	} {
		_, err := Run(context.Background(), fake(t, mode), jobs)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", mode, err, want)
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "renderer")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvBinary, p)
	if got, err := Find(); err != nil || got != p {
		t.Errorf("Find with %s set = %q, %v", EnvBinary, got, err)
	}
	t.Setenv(EnvBinary, filepath.Join(dir, "missing"))
	if _, err := Find(); err == nil {
		t.Errorf("Find accepted a %s that does not exist", EnvBinary)
	}
	t.Setenv(EnvBinary, "")
	t.Setenv("PATH", dir)
	if _, err := Find(); err != ErrNotFound {
		t.Errorf("Find with nothing installed: %v, want ErrNotFound", err)
	}
}
