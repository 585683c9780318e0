// Command benchtable turns `go test -bench` output into the ratio tables of
// bench/README.md, so that no number there is typed by hand.
//
// Usage:
//
//	benchtable [-partial] [-date TEXT] [-readme README.md] results.txt...
//
// It reads benchmark results (several -count runs of the same benchmark are
// summarized by their median) and rewrites every block of the file that
// starts with a marker line such as
//
//	<!-- bench pkg=intern family=StringHit base=unique.Make metrics=ns/op,allocs/op -->
//
// and ends with <!-- /bench -->. A family of several families joined by +
// (family=DecodeFile+DecodeFileMemory) makes one table of their rows and
// columns, a metric that more than one of them reports taken from the
// first that does. Benchmarks are named
// Benchmark<family>/<key>=<row>[/<column>...], where the family may have
// several elements (Memory/Point3D): each row of the table is one <row> (an
// implementation, say), each column one <column> (serial, parallel) and
// metric, and every ratio is the row's median over the base
// row's, from the same run. pkg matches the end of the import path.
// A marker line <!-- bench-env --> is followed by the date, Go version and
// CPU of the run.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	readme := flag.String("readme", "README.md", "the file whose bench blocks to rewrite (bench/README.md, run from bench/)")
	date := flag.String("date", "", "the date of the run, for the bench-env line")
	partial := flag.Bool("partial", false, "leave a block as it is when the results have nothing for it, rather than fail")
	flag.Parse()
	if err := run(*readme, *date, *partial, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(readme, date string, partial bool, inputs []string) error {
	if len(inputs) == 0 {
		return fmt.Errorf("no benchmark results given")
	}
	res := newResults()
	for _, name := range inputs {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = res.parse(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if len(res.samples) == 0 {
		// A filter that matched nothing: say so rather than rewrite the
		// README's environment line from no run at all.
		return fmt.Errorf("no benchmark results in %s", strings.Join(inputs, ", "))
	}
	doc, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	out, err := rewrite(string(doc), res, date, partial)
	if err != nil {
		return fmt.Errorf("%s: %w", readme, err)
	}
	return os.WriteFile(readme, []byte(out), 0o644)
}

// results holds every sample: pkg → benchmark name (without the -N GOMAXPROCS
// suffix) → unit → values, and the names in the order they first appeared,
// which is the order the benchmarks are declared in.
type results struct {
	samples map[string]map[string]map[string][]float64
	order   map[string][]string
	env     map[string]string // goos, goarch, cpu, go
}

func newResults() *results {
	return &results{
		samples: map[string]map[string]map[string][]float64{},
		order:   map[string][]string{},
		env:     map[string]string{},
	}
}

var procsSuffix = regexp.MustCompile(`-\d+$`)

func (r *results) parse(in io.Reader) error {
	pkg := ""
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ": "); ok && !strings.Contains(k, " ") {
			switch k {
			case "pkg":
				pkg = v
			case "goos", "goarch", "cpu", "go":
				r.env[k] = strings.TrimSpace(v)
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procsSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		byName := r.samples[pkg]
		if byName == nil {
			byName = map[string]map[string][]float64{}
			r.samples[pkg] = byName
		}
		if byName[name] == nil {
			byName[name] = map[string][]float64{}
			r.order[pkg] = append(r.order[pkg], name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("bad value %q in %q", f[i], line)
			}
			byName[name][f[i+1]] = append(byName[name][f[i+1]], v)
		}
	}
	return sc.Err()
}

var (
	blockStart = regexp.MustCompile(`^<!-- bench ((?:\S+=\S+ ?)+)-->$`)
	blockEnd   = "<!-- /bench -->"
	envMarker  = "<!-- bench-env -->"
)

func rewrite(doc string, r *results, date string, partial bool) (string, error) {
	lines := strings.Split(doc, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out = append(out, line)
		if line == envMarker {
			out = append(out, r.envLine(date))
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "Measured ") {
				i++ // replace the previous run's line
			}
			continue
		}
		m := blockStart.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		spec, err := parseSpec(m[1])
		if err != nil {
			return "", fmt.Errorf("line %d: %w", i+1, err)
		}
		end := slices.Index(lines[i+1:], blockEnd)
		if end < 0 {
			return "", fmt.Errorf("line %d: no %s after the marker", i+1, blockEnd)
		}
		table, err := r.table(spec)
		if errors.Is(err, errNoResults) && partial {
			table = lines[i+1 : i+1+end] // keep the block as it was
		} else if err != nil {
			return "", fmt.Errorf("line %d: %w", i+1, err)
		}
		out = append(out, table...)
		out = append(out, blockEnd)
		i += end + 1
	}
	return strings.Join(out, "\n"), nil
}

func (r *results) envLine(date string) string {
	parts := []string{}
	if date != "" {
		parts = append(parts, date)
	}
	for _, k := range []string{"go", "goos", "goarch", "cpu"} {
		if v := r.env[k]; v != "" {
			parts = append(parts, v)
		}
	}
	return "Measured " + strings.Join(parts, ", ") + "."
}

// errNoResults is the error of a block that no benchmark result matches.
var errNoResults = errors.New("no results")

type spec struct {
	pkg, family, base string
	metrics           []string
}

func parseSpec(s string) (spec, error) {
	var sp spec
	for _, kv := range strings.Fields(s) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "pkg":
			sp.pkg = v
		case "family":
			sp.family = v
		case "base":
			sp.base = v
		case "metrics":
			sp.metrics = strings.Split(v, ",")
		default:
			return sp, fmt.Errorf("unknown key %q in bench marker", k)
		}
	}
	if sp.pkg == "" || sp.family == "" || sp.base == "" || len(sp.metrics) == 0 {
		return sp, fmt.Errorf("a bench marker needs pkg, family, base and metrics")
	}
	return sp, nil
}

// table renders one marker's table: a row per <row>, and per column and
// metric the median and, for costs, the ratio to the base row.
func (r *results) table(sp spec) ([]string, error) {
	var byName map[string]map[string][]float64
	var names []string
	for pkg, m := range r.samples {
		if pkg == sp.pkg || strings.HasSuffix(pkg, "/"+sp.pkg) {
			byName, names = m, r.order[pkg]
		}
	}
	families := strings.Split(sp.family, "+")
	var rows, cols []string
	cell := map[[2]string]map[string][]float64{}
	from := map[[2]string]map[string]int{} // the family each cell's metric came from
	for _, name := range names {
		family, row, col, ok := splitName(name)
		fi := slices.Index(families, family)
		if !ok || fi < 0 {
			continue
		}
		if !slices.Contains(rows, row) {
			rows = append(rows, row)
		}
		if !slices.Contains(cols, col) {
			cols = append(cols, col)
		}
		key := [2]string{row, col}
		if cell[key] == nil {
			cell[key], from[key] = map[string][]float64{}, map[string]int{}
		}
		for unit, vs := range byName[name] {
			if prev, ok := from[key][unit]; !ok || fi < prev {
				cell[key][unit], from[key][unit] = vs, fi
			}
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w for %s in package %s", errNoResults, sp.family, sp.pkg)
	}
	if !slices.Contains(rows, sp.base) {
		return nil, fmt.Errorf("no base row %q among %q", sp.base, rows)
	}
	// Rows and columns in declaration order, the base row last.
	rows = append(slices.DeleteFunc(rows, func(r string) bool { return r == sp.base }), sp.base)

	head := []string{keyOf(names, families[0])}
	for _, col := range cols {
		for _, m := range sp.metrics {
			label := strings.TrimSpace(col + " " + m)
			head = append(head, label)
			if isCost(m) {
				head = append(head, "× "+sp.base)
			}
		}
	}
	table := []string{"| " + strings.Join(head, " | ") + " |", "|" + strings.Repeat("---|", len(head))}
	for _, row := range rows {
		cells := []string{"`" + row + "`"}
		for _, col := range cols {
			for _, m := range sp.metrics {
				v, ok := medianOf(cell[[2]string{row, col}], m)
				if !ok {
					cells = append(cells, "–")
					if isCost(m) {
						cells = append(cells, "–")
					}
					continue
				}
				cells = append(cells, format(v, m))
				if isCost(m) {
					b, ok := medianOf(cell[[2]string{sp.base, col}], m)
					switch {
					case !ok || b == 0:
						cells = append(cells, "–")
					default:
						cells = append(cells, fmt.Sprintf("%.2f×", v/b))
					}
				}
			}
		}
		table = append(table, "| "+strings.Join(cells, " | ")+" |")
	}
	return table, nil
}

// splitName splits a benchmark name into its family (the elements before
// the first key=value one), its row (that element's value) and its column
// (the elements after it).
func splitName(name string) (family, row, col string, ok bool) {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		if _, v, found := strings.Cut(p, "="); found {
			return strings.Join(parts[:i], "/"), v, strings.Join(parts[i+1:], "/"), i > 0
		}
	}
	return "", "", "", false
}

// keyOf returns the key of the row dimension ("impl" in family/impl=x/...).
func keyOf(names []string, family string) string {
	for _, name := range names {
		if f, _, _, ok := splitName(name); ok && f == family {
			rest := strings.TrimPrefix(name, family+"/")
			k, _, _ := strings.Cut(rest, "=")
			return k
		}
	}
	return ""
}

// isCost reports whether a smaller value of metric m is better, so that a
// ratio to the base row means something: time, allocations, bytes.
func isCost(m string) bool {
	return m == "ns/op" || strings.HasPrefix(m, "B/")
}

func medianOf(units map[string][]float64, m string) (float64, bool) {
	vs := units[m]
	if len(vs) == 0 {
		return 0, false
	}
	return median(vs), true
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// format prints v with three significant digits or so; counts (allocs/op,
// B/op) as whole numbers.
func format(v float64, metric string) string {
	switch {
	case metric == "allocs/op" || metric == "B/op":
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}
