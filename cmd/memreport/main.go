// Command memreport measures how much memory the flyweight toolkit saves, on
// real data.
//
// Usage:
//
//	memreport [-json] [-svg FILE] [-points N] [FILE...]
//
// With no files it uses data that every Go installation has, found through
// `go env GOROOT`: the tokens of $GOROOT/api/*.txt kept as plain copies and
// through package intern; the records of arm64asm's inst.json as maps, as
// slotdict Dicts with interned values and as structs; the package records of
// `go list -json -deps std` as maps and as flyweight Records, with the
// number of schemas they share; and N points {x, y, z} as maps, Dicts,
// Records and structs (N is 1,000,000 by default).
//
// With files, it measures the same on your data: a JSON array or a stream of
// JSON objects (JSON lines) is decoded as maps and as Records, with its most
// common key sets; any other file is split into tokens and interned.
//
// Output is a table per experiment with bytes per object, the ratio to the
// plain-Go baseline (the first row) and the time it took to build once,
// cold (interning then includes the first insertion of every distinct
// string; benchmarks measure steady-state speed); -json
// writes the same for machines, and -svg FILE a bar chart of bytes per
// object. Steps that take more than a second are reported on stderr.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is memreport with its arguments and output streams; it returns the
// exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("memreport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	svg := fs.String("svg", "", "also write a bar chart of bytes per object to `FILE`")
	points := fs.Int("points", 1_000_000, "the number of points of the Point3D experiment")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: memreport [-json] [-svg FILE] [-points N] [FILE...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *points < 1 {
		fmt.Fprintln(stderr, "memreport: -points must be at least 1")
		return 2
	}
	p := newProgress(stderr, time.Second)
	defer p.stop()
	var report Report
	var err error
	if fs.NArg() == 0 {
		report, err = defaultReport(p, *points)
	} else {
		report, err = fileReport(p, fs.Args())
	}
	if err != nil {
		fmt.Fprintln(stderr, "memreport:", err)
		return 1
	}
	report.Go = runtime.Version()
	if *asJSON {
		err = writeJSON(stdout, report)
	} else {
		err = writeText(stdout, report)
	}
	if err == nil && *svg != "" {
		err = writeSVGFile(*svg, report)
	}
	if err != nil {
		fmt.Fprintln(stderr, "memreport:", err)
		return 1
	}
	return 0
}

func writeSVGFile(name string, r Report) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := writeSVG(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// defaultReport runs the experiments on the data of the Go installation.
func defaultReport(p *progress, points int) (Report, error) {
	var r Report
	goroot, err := goEnv("GOROOT")
	if err != nil {
		return r, err
	}
	p.step("reading $GOROOT/api/*.txt")
	apis, err := filepath.Glob(filepath.Join(goroot, "api", "*.txt"))
	if err != nil || len(apis) == 0 {
		return r, fmt.Errorf("no API listings in %s/api: %v", goroot, err)
	}
	var text []byte
	for _, name := range apis {
		b, err := os.ReadFile(name)
		if err != nil {
			return r, err
		}
		text = append(text, b...)
	}
	e, err := internExperiment(p, "$GOROOT/api/*.txt", text)
	if err != nil {
		return r, err
	}
	r.Experiments = append(r.Experiments, e)

	instPath := filepath.Join(goroot, "src", "cmd", "vendor", "golang.org", "x", "arch", "arm64", "arm64asm", "inst.json")
	if data, err := os.ReadFile(instPath); err == nil {
		e, err := dictExperiment(p, "$GOROOT/src/cmd/vendor/…/arm64asm/inst.json", data)
		if err != nil {
			return r, fmt.Errorf("%s: %w", instPath, err)
		}
		r.Experiments = append(r.Experiments, e)
	} else {
		fmt.Fprintf(p.w, "memreport: skipping the slot dict experiment: %v\n", err)
	}

	p.step("go list -json -deps std")
	list, err := exec.Command("go", "list", "-json", "-deps", "std").Output()
	if err != nil {
		return r, fmt.Errorf("go list -json -deps std: %w", err)
	}
	e, err = recordExperiment(p, "go list -json -deps std", list)
	if err != nil {
		return r, fmt.Errorf("go list -json -deps std: %w", err)
	}
	r.Experiments = append(r.Experiments, e)

	e, err = pointExperiment(p, points)
	if err != nil {
		return r, err
	}
	r.Experiments = append(r.Experiments, e)
	return r, nil
}

// fileReport runs an experiment per file: records for JSON, interning for
// anything else.
func fileReport(p *progress, names []string) (Report, error) {
	var r Report
	for _, name := range names {
		p.step("reading " + name)
		data, err := os.ReadFile(name)
		if err != nil {
			return r, err
		}
		var e Experiment
		if isJSON(data) {
			e, err = recordExperiment(p, name, data)
		} else {
			e, err = internExperiment(p, name, data)
		}
		if err != nil {
			return r, fmt.Errorf("%s: %w", name, err)
		}
		switch {
		case e.Objects == 0:
			// No figures: a ratio of nothing to nothing is noise.
			r.Empty = append(r.Empty, name)
			continue
		case !measurable(e):
			r.TooFew = append(r.TooFew, Sample{Path: name, Objects: e.Objects, Unit: e.Unit})
			continue
		}
		r.Experiments = append(r.Experiments, e)
	}
	return r, nil
}

// measurable reports whether every approach of e retains more than the
// noise of a measurement: with a handful of objects, the runtime's own
// allocations between two readings of the heap outweigh them, and a figure
// (even a negative one) would mean nothing.
func measurable(e Experiment) bool {
	for _, a := range e.Approaches {
		if a.BytesPer*float64(e.Objects) <= measureNoise {
			return false
		}
	}
	return true
}

// measureNoise is the most heap a measurement may miscount (see
// internal/memsize: a collection that frees less than 4 KiB ends settling).
const measureNoise = 4 << 10

// isJSON reports whether data looks like a JSON array or a stream of JSON
// objects: its first byte that is not white space (or a byte order mark)
// opens one.
func isJSON(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(data) > 0 && (data[0] == '[' || data[0] == '{')
}

func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%w: %s", err, bytes.TrimSpace(exit.Stderr))
		}
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}
