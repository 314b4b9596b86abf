// Command podlint-render renders Helm charts and builds kustomizations for podlint. podlint runs it
// only when a chart or a kustomization is to be linted, so that podlint's own start-up never pays for
// Helm's and kustomize's code.
//
// It reads one render.Request as JSON on standard input and writes one render.Result per job, as a
// line of JSON, on standard output, in the order of the jobs, each as soon as it is done. What is
// wrong with a chart or a kustomization is a problem in its result; the exit code is 2 only when the
// request itself cannot be served (it does not parse, or speaks another protocol), with the reason
// on standard error. It never uses the network.
//
//	podlint-render < request.json
//	podlint-render version
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/podlint/podlint/internal/render"
	"github.com/podlint/podlint/internal/render/helmrender"
	"github.com/podlint/podlint/internal/render/kustbuild"
)

// Version is set at release time with -ldflags "-X main.Version=...".
var Version = ""

// version reports the stamped version, else the module version `go install` recorded, else "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 2 // the request cannot be served
)

func main() {
	offline()
	// Helm and kustomize write warnings (deprecated fields, ...) to the log and to standard error;
	// standard error is kept for this program's own messages.
	log.SetOutput(io.Discard)
	stderr := os.Stderr
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = null
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, stderr))
}

// offline makes sure nothing reaches the network, should a reference slip past the checks made
// before each job: HTTP requests on the default transport fail, and git may clone local
// repositories only.
func offline() {
	http.DefaultTransport = refuse{}
	os.Setenv("GIT_ALLOW_PROTOCOL", "file")
}

type refuse struct{}

func (refuse) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("podlint-render never uses the network (asked for %s)", r.URL.Redacted())
}

// run is the whole program but for the process: it serves the request on stdin.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "version" && len(args) == 1 {
			fmt.Fprintf(stdout, "podlint-render %s\n", version())
			return exitOK
		}
		fmt.Fprintf(stderr, "podlint-render: unexpected arguments %q\nusage: podlint-render < request.json\n       podlint-render version\n", args)
		return exitError
	}
	var req render.Request
	if err := json.NewDecoder(stdin).Decode(&req); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("no request on standard input")
		}
		fmt.Fprintf(stderr, "podlint-render: cannot read the request: %v\n", err)
		return exitError
	}
	if req.Protocol != render.Protocol {
		fmt.Fprintf(stderr, "podlint-render: the request speaks protocol %d, but this podlint-render (%s) speaks protocol %d: install the podlint-render of the same release as podlint\n",
			req.Protocol, version(), render.Protocol)
		return exitError
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	ctx := context.Background()
	for i, job := range req.Jobs {
		res := runJob(ctx, job)
		res.Job = i
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "podlint-render: cannot write the result of job %d: %v\n", i, err)
			return exitError
		}
		if err := w.Flush(); err != nil {
			fmt.Fprintf(stderr, "podlint-render: cannot write the result of job %d: %v\n", i, err)
			return exitError
		}
	}
	return exitOK
}

// runners run each kind of job (a variable, for tests).
var runners = map[string]func(ctx context.Context, job render.Job) render.Result{
	render.KindHelm: func(ctx context.Context, job render.Job) render.Result {
		return helmrender.Render(ctx, job.Dir, job.Helm)
	},
	render.KindKustomize: func(_ context.Context, job render.Job) render.Result {
		return kustbuild.Build(job.Dir)
	},
}

// runJob runs one job. A panic inside Helm or kustomize is a problem of that job, not the end of the
// others.
func runJob(ctx context.Context, job render.Job) (res render.Result) {
	runner, ok := runners[job.Kind]
	if !ok {
		return render.Result{Problems: []render.Problem{{File: job.Dir,
			Message: fmt.Sprintf("podlint-render does not know jobs of kind %q", job.Kind)}}}
	}
	defer func() {
		if p := recover(); p != nil {
			what, thing := "Helm", "chart"
			if job.Kind == render.KindKustomize {
				what, thing = "kustomize", "kustomization"
			}
			res = render.Result{Problems: []render.Problem{{File: jobFile(job),
				Message: fmt.Sprintf("%s crashed on this %s: %v", what, thing, p)}}}
		}
	}()
	return runner(ctx, job)
}

// jobFile is the file a problem about a whole job is reported on: the chart's Chart.yaml, the
// kustomization file, else the job's folder.
func jobFile(job render.Job) string {
	names := []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}
	if job.Kind == render.KindHelm {
		names = []string{"Chart.yaml"}
	}
	for _, n := range names {
		p := filepath.Join(job.Dir, n)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return job.Dir
}
