package render

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Binary is the renderer's file name.
const Binary = "podlint-render"

// EnvBinary names an environment variable that points at the renderer, for tests and unusual
// installs; it is looked at before the folder of podlint itself and the PATH.
const EnvBinary = "PODLINT_RENDER"

// ErrNotFound is returned by Find when no renderer is installed.
var ErrNotFound = errors.New(Binary + " is not installed beside podlint or on the PATH")

// Find returns the renderer to run: $PODLINT_RENDER, else podlint-render in the folder of the running
// executable (how releases, the Action and go install ship the two), else on the PATH.
func Find() (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if info, err := os.Stat(p); err != nil || info.IsDir() {
			return "", fmt.Errorf("%s=%s: no such program", EnvBinary, p)
		}
		return p, nil
	}
	name := Binary
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		p := filepath.Join(filepath.Dir(exe), name)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(Binary); err == nil {
		return p, nil
	}
	return "", ErrNotFound
}

// Run runs the renderer once for every job and returns one Result per job, in order. An error means
// the renderer itself failed (it could not start, crashed, or spoke another protocol); what is wrong
// with the charts and kustomizations is in the results' Problems.
func Run(ctx context.Context, binary string, jobs []Job) ([]Result, error) {
	req, err := json.Marshal(Request{Protocol: Protocol, Jobs: jobs})
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, binary)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 64 << 10}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", binary, err)
	}
	results := make([]Result, 0, len(jobs))
	rd := bufio.NewReader(out)
	var decodeErr error
	for {
		line, err := rd.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var r Result
			if e := json.Unmarshal(line, &r); e != nil {
				decodeErr = fmt.Errorf("%s wrote something that is not a result: %v", binary, e)
				break
			}
			if r.Job != len(results) {
				decodeErr = fmt.Errorf("%s answered job %d where job %d was due", binary, r.Job, len(results))
				break
			}
			results = append(results, r)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			decodeErr = err
			break
		}
	}
	if decodeErr != nil {
		_, _ = io.Copy(io.Discard, rd)
	}
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	msg := strings.TrimSpace(stderr.String())
	switch {
	case waitErr != nil && msg != "":
		return nil, fmt.Errorf("%s: %s", Binary, msg)
	case waitErr != nil:
		return nil, fmt.Errorf("%s: %v", Binary, waitErr)
	case decodeErr != nil:
		return nil, decodeErr
	case len(results) != len(jobs):
		return nil, fmt.Errorf("%s answered %d of %d jobs", Binary, len(results), len(jobs))
	}
	return results, nil
}

// limitedBuffer keeps the first max bytes written to it, so a chatty renderer cannot fill memory.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		if len(p) > room {
			l.buf.Write(p[:room])
		} else {
			l.buf.Write(p)
		}
	}
	return len(p), nil
}
