package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json from this run")

const golden = "testdata/golden.json"

// Fields of the JSON report by how they are compared with the golden file:
// counts of the input exactly, memory within a tolerance, times and the
// runtime's records only for being numbers of their sign, text exactly but
// for the Go version and the verdict's wording of its figures.
var (
	measuredFields = []string{"bytes_per_record", "total_bytes", "vs_maps", "bytes_per_record_range", "saved_bytes"}
	timingFields   = []string{"decode_ns_per_record", "decode_ns_per_record_range", "runtime_bytes"}
)

// memoryTolerance is how far a measured figure may be from the golden
// one, relatively: measurements move by the runtime's own allocations.
const memoryTolerance = 0.25

// TestGoldenJSON checks the -json report of testdata/uniform.jsonl against
// the golden file field by field: the same fields (the schema is fixed),
// numbers as numbers, counts exact and measured figures within a tolerance.
// go test -run TestGoldenJSON -update rewrites the golden file.
func TestGoldenJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-json", uniform}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	c := comparison{t: t, slack: runtimeSlack(w, g)}
	c.compare("", "", w, g)
}

// A comparison compares a report with the golden one.
type comparison struct {
	t *testing.T
	// slack is how many bytes the measured figures may differ by beyond
	// the tolerance: the runtime's records grow in steps of their own (a
	// chunk of metadata at a time), a large share of a small input, so
	// that one run counts a step and another does not.
	slack map[string]float64
}

// runtimeSlack returns, per measured field, the largest difference of two
// approaches' runtime_bytes between want and got, in that field's units.
func runtimeSlack(want, got any) map[string]float64 {
	in := func(r any) map[string]any { return r.(map[string]any)["inputs"].([]any)[0].(map[string]any) }
	w, g := in(want), in(got)
	records := w["records"].(float64)
	wa, ga := w["approaches"].([]any), g["approaches"].([]any)
	maps := wa[0].(map[string]any)["total_bytes"].(float64)
	most := 0.0
	for i := range min(len(wa), len(ga)) {
		most = max(most, math.Abs(wa[i].(map[string]any)["runtime_bytes"].(float64)-ga[i].(map[string]any)["runtime_bytes"].(float64)))
	}
	for _, a := range ga {
		most = max(most, a.(map[string]any)["runtime_bytes"].(float64)) // a step either way
	}
	return map[string]float64{
		"total_bytes": most, "saved_bytes": most, "bytes_per_record": most / records,
		"bytes_per_record_range": most / records, "vs_maps": most / maps,
	}
}

func (c *comparison) compare(path, field string, want, got any) {
	t := c.t
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: %T, want an object", path, got)
			return
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				t.Errorf("%s.%s: a field the golden file lacks", path, k)
			}
		}
		for k, v := range w {
			gv, ok := g[k]
			if !ok {
				t.Errorf("%s.%s: missing", path, k)
				continue
			}
			c.compare(path+"."+k, k, v, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s: %v, want %d elements like %v", path, got, len(w), w)
			return
		}
		for i := range w {
			c.compare(path+"["+string(rune('0'+i%10))+"]", field, w[i], g[i])
		}
	case float64:
		g, ok := got.(float64)
		switch {
		case !ok:
			t.Errorf("%s: %v (%T), want a number", path, got, got)
		case slices.Contains(timingFields, field):
			if g < 0 || (g == 0) != (w == 0) && field != "runtime_bytes" {
				t.Errorf("%s: %v, want a number of the sign of %v", path, g, w)
			}
		case slices.Contains(measuredFields, field):
			if math.Abs(g-w) > memoryTolerance*math.Abs(w)+c.slack[field] {
				t.Errorf("%s: %v, want %v ± %.0f%% ± %.0f", path, g, w, memoryTolerance*100, c.slack[field])
			}
		case g != w:
			t.Errorf("%s: %v, want %v", path, g, w)
		}
	case string:
		g, ok := got.(string)
		switch {
		case !ok:
			t.Errorf("%s: %v (%T), want a string", path, got, got)
		case field == "go":
		case strings.HasSuffix(path, "recommendation.approach"):
			// Whether a Pool pays by a few percent is within the slack.
			if strings.TrimSuffix(g, "+pool") != strings.TrimSuffix(w, "+pool") {
				t.Errorf("%s: %q, want %q", path, g, w)
			}
		case field == "reason":
			g, w = strings.ReplaceAll(g, " + intern.Pool", ""), strings.ReplaceAll(w, " + intern.Pool", "")
			// Its figures are measured: compare the words.
			if words(g) != words(w) {
				t.Errorf("%s: %q, want %q but for figures", path, g, w)
			}
		case g != w:
			t.Errorf("%s: %q, want %q", path, g, w)
		}
	default:
		if got != want {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
}

// words returns s with its numbers left out.
func words(s string) string {
	ws := strings.FieldsFunc(s, func(r rune) bool {
		return r >= '0' && r <= '9' || r == '.' || r == ',' || r == ' '
	})
	// A size's unit is part of its figure: 950 kB one run, 1.1 MB the next.
	ws = slices.DeleteFunc(ws, func(w string) bool { return w == "B" || w == "kB" || w == "MB" || w == "GB" })
	return strings.Join(ws, " ")
}
