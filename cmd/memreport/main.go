package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usageLine = "usage: memreport [-json] [-svg FILE] [-sample N] [-approach LIST] [-strict] [-count N] FILE... (- for standard input)"

// demoLine is the one line that the usage adds about -demo.
const demoLine = "       memreport -demo [-points N] runs the classic experiment of __slots__ and PyPy's maps: N points {x, y, z} as maps, Dicts, Records and structs."

// run is memreport with its arguments and streams; it returns the exit
// code: 0, 1 for an input it cannot read, 2 for a usage error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("memreport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as one JSON document")
	svg := fs.String("svg", "", "also draw the bytes per record of the first input (or of -demo) as a bar chart in `FILE`")
	sample := fs.Int("sample", 0, "read only the first `N` records of each input (0: all)")
	list := fs.String("approach", "", "measure only the approaches in `LIST`, comma-separated: maps,struct,dict,record,frame (maps always, as the baseline)")
	strict := fs.Bool("strict", false, "stop at the first malformed record instead of skipping it")
	count := fs.Int("count", 1, "measure every approach `N` times and report the median and the range")
	demo := fs.Bool("demo", false, "measure the Point3D experiment instead of inputs")
	points := fs.Int("points", 1_000_000, "the number of points of -demo")
	fs.Usage = func() {
		fmt.Fprintln(stderr, usageLine)
		fmt.Fprintln(stderr, demoLine)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	as, err := selectApproaches(*list)
	switch {
	case err != nil:
		fmt.Fprintln(stderr, "memreport:", err)
		return 2
	case *count < 1 || *points < 1 || *sample < 0:
		fmt.Fprintln(stderr, "memreport: -count and -points must be at least 1, -sample at least 0")
		return 2
	case !*demo && fs.NArg() == 0:
		fs.Usage()
		return 2
	case *demo && fs.NArg() > 0:
		fmt.Fprintln(stderr, "memreport: -demo takes no inputs")
		return 2
	}
	p := newProgress(stderr)
	defer p.end()
	r := Report{Go: runtime.Version(), Inputs: []Input{}}
	if *demo {
		if r.Demo, err = pointExperiment(p, *points); err != nil {
			fmt.Fprintln(stderr, "memreport:", err)
			return 1
		}
	}
	opts := readOptions{sample: *sample, strict: *strict}
	for _, name := range fs.Args() {
		in, err := inputReport(name, stdin, opts, as, *count, p)
		if err != nil {
			p.end()
			fmt.Fprintln(stderr, "memreport:", err)
			return 1
		}
		r.Inputs = append(r.Inputs, in)
	}
	p.end()
	if *asJSON {
		err = writeJSON(stdout, r)
	} else {
		err = writeText(stdout, r, *count > 1)
	}
	if err == nil && *svg != "" {
		err = writeSVGFile(*svg, r)
	}
	if err != nil {
		fmt.Fprintln(stderr, "memreport:", err)
		return 1
	}
	return 0
}

// fewRecords is the size below which a sample's per-record figures are
// noisy, and measureNoise the most heap a measurement may miscount (see
// internal/memsize: a collection that frees less than 4 KiB ends settling).
const (
	fewRecords   = 1000
	measureNoise = 4 << 10
)

// inputReport reads one input and measures it.
func inputReport(name string, stdin io.Reader, opts readOptions, as []approach, count int, p *progress) (Input, error) {
	in, err := readInput(name, stdin, opts, p)
	if errors.Is(err, errNotJSON) {
		return Input{}, fmt.Errorf("%s is not JSON: neither a JSON array of objects nor JSON Lines", name)
	}
	if err != nil {
		return Input{}, err
	}
	r := Input{
		Path: name, Records: len(in.recs), Skipped: in.skipped, FirstSkipped: in.first,
		InputBytes: int64(len(in.data)), Approaches: []ApproachResult{}, Keys: []KeyReport{},
		KeySetCount: len(in.stats.ordered), KeySets: keySetReports(in),
	}
	if r.Records == 0 {
		return r, nil
	}
	if r.Records < fewRecords {
		r.Warning = fmt.Sprintf("%s records: per-record figures are noisy at this size (%s or more are steadier)", group(r.Records), group(fewRecords))
	}
	pl := newPlan(in)
	results, skipped, encodings, err := measureInput(in, pl, as, count, p)
	if err != nil {
		return r, fmt.Errorf("%s: %w", name, err)
	}
	r.Keys, r.NotMeasured = keyReports(in, encodings), skipped
	if results[0].TotalBytes <= measureNoise {
		r.Warning = fmt.Sprintf("%s records, too few to measure their memory", group(r.Records))
		return r, nil
	}
	r.Approaches = results
	r.Recommendation = recommend(r, pl)
	return r, nil
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
