package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/podlint/podlint/internal/baseline"
	"github.com/podlint/podlint/internal/config"
	"github.com/podlint/podlint/internal/lint"
	"github.com/podlint/podlint/internal/manifest"
	"github.com/podlint/podlint/internal/report"
)

// baselineFlags are --baseline and --write-baseline.
type baselineFlags struct {
	read  string
	write string
}

func (b *baselineFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.read, "baseline", "", "accept the findings recorded in `FILE` (see --write-baseline): they are counted, not reported, and do not fail the run; entries no finding matches any more are listed as stale")
	fs.StringVar(&b.write, "write-baseline", "", "record every finding of this run in `FILE` as accepted, and exit 0 unless podlint could not run")
}

// check refuses a baseline to write that is one of the files being linted.
func (b *baselineFlags) check(paths []string) error {
	if b.write == "" {
		return nil
	}
	out, err := os.Stat(b.write)
	if err != nil {
		return nil
	}
	files, _ := manifest.Expand(paths, nil)
	for _, f := range files {
		if f == manifest.Stdin {
			continue
		}
		if in, err := os.Stat(f); err == nil && os.SameFile(in, out) {
			return fmt.Errorf("--write-baseline %s is one of the files being linted; podlint never writes to its inputs", b.write)
		}
	}
	return nil
}

// apply writes the baseline (--write-baseline) or reads one (--baseline, else the configuration's
// baseline key) and sets aside the findings it accepts. Stale entries are listed on stderr.
func (b *baselineFlags) apply(stderr io.Writer, cfg *config.Config, res *lint.Result) error {
	path := b.read
	if path == "" {
		path = cfg.BaselinePath()
	}
	var file *baseline.File
	switch {
	case b.write != "":
		path = b.write
		file = baseline.New(res.Findings, filepath.Dir(path))
		data, err := file.Marshal()
		if err != nil {
			return err
		}
		if err := writeFileAtomic(path, data); err != nil {
			return fmt.Errorf("--write-baseline: %w", err)
		}
		fmt.Fprintf(stderr, "podlint: wrote %s to the baseline %s\n", plural(len(file.Entries), "finding"), path)
	case path != "":
		f, err := baseline.Read(path)
		if err != nil {
			return err
		}
		file = f
	default:
		return nil
	}
	stale := file.Apply(res, filepath.Dir(path))
	if len(stale) > 0 {
		entries := fmt.Sprintf("%d entries", len(stale))
		if len(stale) == 1 {
			entries = "1 entry"
		}
		fmt.Fprintf(stderr, "podlint: %s of the baseline %s matched no finding (fixed, or changed enough to be new); run with --write-baseline %s to drop stale entries:\n",
			entries, path, path)
		for i, e := range stale {
			if i == 20 {
				fmt.Fprintf(stderr, "  ... and %d more\n", len(stale)-i)
				break
			}
			where := report.Visible(e.File)
			if e.Object != "" {
				where += " " + report.Visible(e.Object)
			}
			fmt.Fprintf(stderr, "  %s: %s: %s\n", report.Visible(e.Rule), where, report.Visible(e.Message))
		}
	}
	return nil
}
