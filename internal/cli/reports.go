package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/report"
)

// How --format and --output pair up (documented in the README and in --help):
//   - without --format, one text report is written;
//   - each --output belongs to the nearest --format before it; a --format without one writes to
//     standard output ("-" names standard output explicitly);
//   - with a single --format, --output may also come before it;
//   - it is a usage error to give one --format two --output files, to put an --output before the
//     first of several --format flags, to send two reports to standard output or to one file, and to
//     name a file being linted as a report file.

// reportFlags records --format and --output in the order given, since pairing depends on it.
type reportFlags struct {
	events []reportEvent
}

type reportEvent struct {
	format bool // a --format, else an --output
	value  string
}

// reportTarget is one report to write: a format and where it goes ("" for standard output).
type reportTarget struct {
	format string
	output string
	write  report.Writer
}

type formatFlag struct{ rf *reportFlags }

func (f formatFlag) String() string { return "" }

func (f formatFlag) Set(v string) error {
	f.rf.events = append(f.rf.events, reportEvent{format: true, value: v})
	return nil
}

type outputFlag struct{ rf *reportFlags }

func (f outputFlag) String() string { return "" }

func (f outputFlag) Set(v string) error {
	if v == "" {
		return errors.New("empty file name")
	}
	f.rf.events = append(f.rf.events, reportEvent{value: v})
	return nil
}

// register adds --format and --output to a flag set.
func (rf *reportFlags) register(fs *flag.FlagSet) {
	fs.Var(formatFlag{rf}, "format", "report `format`: "+strings.Join(report.Formats(), ", ")+
		" (default text); repeat it to write several reports")
	fs.Var(outputFlag{rf}, "output", "write the report of the --format before this flag to `FILE` instead of standard output")
}

// targets applies the pairing rules.
func (rf *reportFlags) targets() ([]reportTarget, error) {
	var out []reportTarget
	var early []string // --output given before any --format
	formats := 0
	for _, e := range rf.events {
		if e.format {
			formats++
		}
	}
	for _, e := range rf.events {
		switch {
		case e.format:
			out = append(out, reportTarget{format: e.value})
		case len(out) == 0:
			early = append(early, e.value)
		case out[len(out)-1].output != "":
			return nil, fmt.Errorf("--format %s has two --output files (%s and %s); give each --format its own --output",
				out[len(out)-1].format, out[len(out)-1].output, e.value)
		default:
			out[len(out)-1].output = e.value
		}
	}
	if len(out) == 0 {
		out = append(out, reportTarget{format: "text"})
	}
	if len(early) > 0 {
		if len(out) > 1 {
			return nil, fmt.Errorf("--output %s comes before any --format: with several formats, put each --output right after its --format", early[0])
		}
		if len(early) > 1 || out[0].output != "" {
			all := append(early, out[0].output)
			return nil, fmt.Errorf("more than one --output for one report (%s)", strings.Join(nonEmpty(all), ", "))
		}
		out[0].output = early[0]
	}
	stdout := 0
	files := map[string]string{}
	for i := range out {
		t := &out[i]
		w, err := report.Lookup(t.format)
		if err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		t.write = w
		if t.output == "-" {
			t.output = ""
		}
		if t.output == "" {
			if stdout++; stdout > 1 {
				return nil, fmt.Errorf("more than one report on standard output: give all but one of the %d formats an --output file", formats)
			}
			continue
		}
		key := filepath.Clean(t.output)
		if abs, err := filepath.Abs(t.output); err == nil {
			key = abs
		}
		if prev, ok := files[key]; ok {
			return nil, fmt.Errorf("--format %s and --format %s both write to %s", prev, t.format, t.output)
		}
		files[key] = t.format
	}
	return out, nil
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// checkNotInput refuses a report file that is one of the files to lint: podlint never writes to the
// files it reads. Only an existing file can be an input, so the folders are walked only then.
func checkNotInput(targets []reportTarget, paths []string) error {
	var files []string
	expanded := false
	for _, t := range targets {
		if t.output == "" {
			continue
		}
		out, err := os.Stat(t.output)
		if err != nil {
			continue
		}
		if !expanded {
			// An unusable path is reported by the run itself.
			files, _ = manifest.Expand(paths, nil)
			expanded = true
		}
		for _, f := range files {
			if f == manifest.Stdin {
				continue
			}
			if in, err := os.Stat(f); err == nil && os.SameFile(in, out) {
				return fmt.Errorf("--output %s is one of the files being linted; podlint never writes to its inputs", t.output)
			}
		}
	}
	return nil
}

// writeReports renders every report first and then writes them, so that a failing writer leaves no
// half-written set behind.
func writeReports(env *Env, targets []reportTarget, res *lint.Result, opts report.Options, colorMode string) error {
	bufs := make([]bytes.Buffer, len(targets))
	for i, t := range targets {
		o := opts
		o.Color = false
		if t.format == "text" {
			c, err := colorWanted(env, colorMode, t.output)
			if err != nil {
				return err
			}
			o.Color = c
		}
		if err := t.write(&bufs[i], res, o); err != nil {
			return fmt.Errorf("write %s report: %w", t.format, err)
		}
	}
	// Every report is attempted: a file that cannot be written does not cost the log its report.
	var errs []error
	for i, t := range targets {
		if t.output == "" {
			if _, err := env.Stdout.Write(bufs[i].Bytes()); err != nil {
				errs = append(errs, fmt.Errorf("write %s report: %w", t.format, err))
			}
			continue
		}
		if err := writeFileAtomic(t.output, bufs[i].Bytes()); err != nil {
			errs = append(errs, fmt.Errorf("write %s report: %w", t.format, err))
		}
	}
	return errors.Join(errs...)
}

// writeFileAtomic writes a report next to its destination and renames it into place, so that a
// reader (an upload step, an editor) never sees half a report. Devices and pipes (/dev/stdout) are
// written through, since renaming would replace them.
func writeFileAtomic(name string, data []byte) error {
	if info, err := os.Stat(name); err == nil && !info.Mode().IsRegular() {
		if info.IsDir() {
			return fmt.Errorf("%s is a folder", name)
		}
		return os.WriteFile(name, data, 0o644)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o644)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// reportOptions gathers what the writers need beyond the findings.
func reportOptions(failLevel lint.Severity, catalog map[string]report.RuleInfo) report.Options {
	base, _ := os.Getwd()
	return report.Options{Rules: catalog, BaseDir: base, Version: version(), FailLevel: failLevel}
}
