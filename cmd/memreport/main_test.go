package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// writeLines writes n JSON Lines, line(i) each, to dir/name and returns
// its path.
func writeLines(t *testing.T, dir, name string, n int, line func(i int) string) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		b.WriteString(line(i))
		b.WriteByte('\n')
	}
	return writeFile(t, dir, name, b.Bytes())
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// uniformLine is a record of testdata/uniform.jsonl: one key set of string
// values, two of them from a few long values, so that interning pays.
func uniformLine(i int) string {
	kinds := []string{"weather-observation-station", "river-level-gauge", "air-quality-monitor"}
	return fmt.Sprintf(`{"name":"station %05d","kind":%q,"region":"region-number-%02d","code":"%c%c"}`,
		i, kinds[i%len(kinds)], i%10, 'A'+i%5, 'A'+i%7)
}

// uniform is the path of the uniform test file, which the golden report is
// made of.
const uniform = "testdata/uniform.jsonl"

// report runs memreport -json with args and returns the report and stderr.
func report(t *testing.T, args ...string) (Report, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"-json"}, args...), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("memreport %q: exit %d: %s", args, code, errOut.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, out.String())
	}
	return r, errOut.String()
}

// text runs memreport with args and returns its exit code, stdout and
// stderr.
func text(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func approachNames(in Input) []string {
	var names []string
	for _, a := range in.Approaches {
		names = append(names, a.Name)
	}
	return names
}

func key(t *testing.T, in Input, name string) KeyReport {
	t.Helper()
	for _, k := range in.Keys {
		if k.Key == name {
			return k
		}
	}
	t.Fatalf("no key %q in %+v", name, in.Keys)
	return KeyReport{}
}

// TestKnownAnswers runs memreport on small files whose right answer is
// known: the representation it recommends and what its text says.
func TestKnownAnswers(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		path     string
		approach []string // the recommendation: one of these
		says     []string // in the text output
	}{
		{"one key set recommends Frame, or Dict where Frame is absent", uniform, uniformChoice(),
			[]string{"Use " + labelOf(uniformChoice()[0]), "interning it pays"}},
		{"keys of their own in every record recommend maps",
			writeLines(t, dir, "different.jsonl", 2000, func(i int) string {
				return fmt.Sprintf(`{"a%d":%d,"b%d":"v%d"}`, i, i, i, i%3)
			}),
			[]string{"maps"},
			[]string{"Keep []map[string]any: the smallest other representation measured, []*flyweight.Record, takes", "key sets in 2,000 records: shared layouts do not pay", "not measured: dict: no key set covers 95%", "not measured: struct: 4,000 distinct keys"}},
		{"one huge free-text field: interning does not pay",
			writeLines(t, dir, "freetext.jsonl", 1000, func(i int) string {
				return fmt.Sprintf(`{"id":%d,"text":%q}`, i, strings.Repeat(fmt.Sprintf("entry %d says something new. ", i), 60))
			}),
			[]string{"frame", "maps"}, // the text is most of every representation: within a fifth of maps, either side
			[]string{"`text` is 100% distinct: interning it does not pay.", "not measured: dict+pool: interning pays for no key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := report(t, tt.path)
			in := r.Inputs[0]
			if in.Recommendation == nil {
				t.Fatalf("no recommendation: %+v", in)
			}
			got := in.Recommendation.Approach
			if !strings.Contains(","+strings.Join(tt.approach, ",")+",", ","+got+",") {
				t.Errorf("recommends %s, want one of %v; approaches %v, reason %q", got, tt.approach, approachNames(in), in.Recommendation.Reason)
			}
			if in.Recommendation.SavedBytes != in.Approaches[0].TotalBytes-byName(t, in, got).TotalBytes {
				t.Errorf("saved %d bytes, not the maps' total less the choice's", in.Recommendation.SavedBytes)
			}
			code, out, errOut := text(tt.path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, s := range tt.says {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

// uniformChoice is what memreport must recommend for records of one key
// set: a Frame.
func uniformChoice() []string {
	return []string{"frame"}
}

func byName(t *testing.T, in Input, name string) ApproachResult {
	t.Helper()
	for _, a := range in.Approaches {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no approach %s in %v", name, approachNames(in))
	return ApproachResult{}
}

// TestMessages: inputs without figures, malformed lines, and usage errors
// each give their message and exit status.
func TestMessages(t *testing.T) {
	dir := t.TempDir()
	good := `{"id":1,"kind":"point"}`
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		stderr  []string
		noInOut string // must not be in stdout
	}{
		{"empty file", []string{writeFile(t, dir, "empty.json", nil)}, 0, []string{"no records in " + filepath.Join(dir, "empty.json") + "\n"}, nil, "×"},
		{"empty array", []string{writeFile(t, dir, "empty-array.json", []byte(" [ ]\n"))}, 0, []string{"no records in "}, nil, "×"},
		{"a bad line is skipped",
			[]string{writeFile(t, dir, "bad.jsonl", []byte(good+"\n"+good+"\n"+`{"id":2,"kind":}`+"\n"+good+"\n"))}, 0,
			[]string{`bad.jsonl: 1 line skipped; first at line 3, byte 63: invalid JSON in the value of key "kind": invalid character '}' looking for beginning of value`, "3 records"}, nil, ""},
		{"-strict stops at a bad line",
			[]string{"-strict", filepath.Join(dir, "bad.jsonl")}, 1, nil,
			[]string{`memreport: ` + filepath.Join(dir, "bad.jsonl") + `: line 3, byte 63: invalid JSON in the value of key "kind"`}, "records"},
		{"a duplicate key is a bad line",
			[]string{writeFile(t, dir, "dup.jsonl", []byte(good+"\n"+`{"id":1,"id":2}`+"\n"))}, 0,
			[]string{`1 line skipped; first at line 2, byte 32: duplicate key "id"`}, nil, ""},
		{"not JSON", []string{writeFile(t, dir, "text.txt", []byte("hello, world\n"))}, 1, nil,
			[]string{"memreport: " + filepath.Join(dir, "text.txt") + " is not JSON: neither a JSON array of objects nor JSON Lines\n"}, "records"},
		{"missing file", []string{filepath.Join(dir, "missing.json")}, 1, nil, []string{"missing.json: no such file or directory"}, ""},
		{"a small sample is noisy", []string{writeLines(t, dir, "small.jsonl", 50, uniformLine)}, 0,
			[]string{"warning: 50 records: per-record figures are noisy at this size"}, nil, ""},
		{"no input: usage and -demo", nil, 2, nil, []string{usageLine + "\n" + demoLine + "\n"}, "records"},
		{"unknown approach", []string{"-approach", "maps,slices", uniform}, 2, nil, []string{`unknown approach "slices" (want a comma-separated list of maps,struct,dict,record,frame)`}, "records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := text(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if tt.noInOut != "" && strings.Contains(out, tt.noInOut) {
				t.Errorf("stdout has %q:\n%s", tt.noInOut, out)
			}
		})
	}
}

// TestInputForms: the same records as JSON Lines, as a pretty-printed
// array, gzipped, and on standard input give the same counts.
func TestInputForms(t *testing.T) {
	data, err := os.ReadFile(uniform)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var arr bytes.Buffer
	arr.WriteString("\xef\xbb\xbf[\n")
	for i, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i > 0 {
			arr.WriteString(",\n")
		}
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(v, "  ", "  ")
		arr.WriteString("  ")
		arr.Write(b)
	}
	arr.WriteString("\n]\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	paths := map[string]string{
		"array":      writeFile(t, dir, "uniform.json", arr.Bytes()),
		"gzip":       writeFile(t, dir, "uniform.dat", gz.Bytes()), // no .gz: the magic bytes tell
		"lines":      uniform,
		"gzip-stdin": "-",
	}
	for form, path := range paths {
		t.Run(form, func(t *testing.T) {
			var stdin bytes.Buffer
			stdin.Write(gz.Bytes())
			var out, errOut bytes.Buffer
			if code := run([]string{"-json", "-approach", "maps", path}, &stdin, &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var r Report
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			in := r.Inputs[0]
			if in.Records != 2000 || in.Skipped != 0 || in.KeySetCount != 1 || len(in.Keys) != 4 || key(t, in, "kind").Distinct != 3 {
				t.Errorf("%d records, %d skipped, %d key sets, keys %+v", in.Records, in.Skipped, in.KeySetCount, in.Keys)
			}
			if in.InputBytes != int64(len(data)) && form != "array" {
				t.Errorf("input bytes %d, want %d (after gunzipping)", in.InputBytes, len(data))
			}
		})
	}
}

// TestFlags: -sample, -approach, -count and -demo do what they say.
func TestFlags(t *testing.T) {
	r, _ := report(t, "-sample", "1500", "-approach", "dict,frame", uniform)
	in := r.Inputs[0]
	if in.Records != 1500 {
		t.Errorf("-sample 1500: %d records", in.Records)
	}
	want := "maps,dict,dict+pool,frame"
	if got := strings.Join(approachNames(in), ","); got != want {
		t.Errorf("-approach dict,frame measured %s, want %s", got, want)
	}

	r, _ = report(t, "-count", "3", "-approach", "record+pool", uniform)
	for _, a := range r.Inputs[0].Approaches {
		if a.Runs != 3 || a.BytesRange[0] > a.BytesPerRecord || a.BytesRange[1] < a.BytesPerRecord ||
			a.DecodeNsRange[0] > a.DecodeNsPerRecord || a.DecodeNsRange[1] < a.DecodeNsPerRecord {
			t.Errorf("-count 3: %+v", a)
		}
	}
	if got := strings.Join(approachNames(r.Inputs[0]), ","); got != "maps,record+pool" {
		t.Errorf("-approach record+pool measured %s", got)
	}

	code, out, errOut := text("-demo", "-points", "20000")
	if code != 0 {
		t.Fatalf("-demo: exit %d: %s", code, errOut)
	}
	for _, s := range []string{"Point3D: 20,000 generated points {x, y, z}", "map[string]int", "slotdict.Dict", "flyweight.Record", "struct"} {
		if !strings.Contains(out, s) {
			t.Errorf("-demo output lacks %q:\n%s", s, out)
		}
	}
}

// TestNoProgressOffTerminal: with stderr not a terminal, a run writes
// nothing to it, however long it takes.
func TestNoProgressOffTerminal(t *testing.T) {
	code, _, errOut := text("-count", "2", uniform)
	if code != 0 || errOut != "" {
		t.Errorf("exit %d, stderr %q; want nothing on a stderr that is not a terminal", code, errOut)
	}
}

// TestSVG: the chart is well-formed XML with one bar per approach, each
// labelled with its bytes per record.
func TestSVG(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "chart.svg")
	r, _ := report(t, "-svg", svg, uniform)
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rects []struct {
			Class string `xml:"class,attr"`
		} `xml:"rect"`
		Texts []string `xml:"text"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the SVG is not well-formed: %v\n%s", err, data)
	}
	bars := 0
	for _, r := range doc.Rects {
		if r.Class == "bar" {
			bars++
		}
	}
	as := r.Inputs[0].Approaches
	if bars != len(as) {
		t.Errorf("%d bars for %d approaches", bars, len(as))
	}
	for _, a := range as {
		label := fmt.Sprintf("%.1f B (%.2f×)", a.BytesPerRecord, a.VsMaps)
		if !strings.Contains(string(data), label) {
			t.Errorf("no label %q for %s", label, a.Name)
		}
	}
	// Without inputs, -demo draws its experiment.
	if code, _, errOut := text("-demo", "-points", "20000", "-svg", svg); code != 0 {
		t.Fatalf("-demo -svg: exit %d: %s", code, errOut)
	}
	data, _ = os.ReadFile(svg)
	if n := bytes.Count(data, []byte(`class="bar"`)); n != 4 {
		t.Errorf("-demo chart has %d bars, want 4", n)
	}
}

// TestARowWithEncodings: a row that decodes the stream of good records and
// reports the encoding of each key's column, as a Frame's will, is
// measured, fills the encoding column of the key table in JSON and text,
// and is recommended first when it is smaller than maps.
func TestARowWithEncodings(t *testing.T) {
	saved := approaches
	defer func() { approaches = saved }()
	approaches = slices.DeleteFunc(slices.Clone(approaches), func(a approach) bool { return a.family == "frame" })
	approaches = append(approaches, approach{
		name: "frame", family: "frame", label: "*flyweight.Frame", stream: true,
		build: func(in *input, _ *plan) (any, error) {
			data, err := io.ReadAll(in.stream())
			if bytes.Count(data, []byte("\n")) != len(in.recs) {
				return nil, fmt.Errorf("the stream has %d lines for %d records", bytes.Count(data, []byte("\n")), len(in.recs))
			}
			return make([]int32, len(in.recs)), err // a small representation
		},
		encodings: func(held any) map[string]string {
			if len(held.([]int32)) != 2000 {
				return nil
			}
			return map[string]string{"kind": "dictionary", "name": "packed"}
		},
	})
	dir := t.TempDir()
	// A skipped line makes the stream a copy of the good records.
	data, err := os.ReadFile(uniform)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, dir, "skip.jsonl", append([]byte("{\"bad\":}\n"), data...))
	r, _ := report(t, "-approach", "frame,dict", path)
	in := r.Inputs[0]
	if got := strings.Join(approachNames(in), ","); got != "maps,dict,dict+pool,frame" {
		t.Fatalf("measured %s", got)
	}
	if k := key(t, in, "kind"); k.Encoding != "dictionary" {
		t.Errorf("kind's encoding %q", k.Encoding)
	}
	if k := key(t, in, "region"); k.Encoding != "" {
		t.Errorf("region's encoding %q, want none", k.Encoding)
	}
	if in.Recommendation.Approach != "frame" {
		t.Errorf("recommends %s: %s", in.Recommendation.Approach, in.Recommendation.Reason)
	}
	code, out, _ := text("-approach", "frame", path)
	if code != 0 || !regexp.MustCompile(`interning +encoding\n`).MatchString(out) || !strings.Contains(out, "dictionary") || !strings.Contains(out, "Use *flyweight.Frame:") {
		t.Errorf("exit %d, text output:\n%s", code, out)
	}
}

// TestEveryRowCountsWhatItRetains: each row counts all its representation
// retains, the keys its schemas copy included (two 8 KiB keys here, which
// dominate the records): the record row agrees with the same decode
// measured alone.
func TestEveryRowCountsWhatItRetains(t *testing.T) {
	const n = 1000
	k1, k2 := "a"+strings.Repeat("k", 8<<10), "b"+strings.Repeat("k", 8<<10)
	path := writeLines(t, t.TempDir(), "long-keys.jsonl", n, func(i int) string {
		return fmt.Sprintf("{%q: %d, %q: %d}", k1, i, k2, i)
	})
	r, _ := report(t, "-approach", "record", path)
	reported := byName(t, r.Inputs[0], "record")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	alone := memsize.PerObject(n, func() any {
		recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data))
		if err != nil {
			panic(err)
		}
		return recs
	})
	runtime.KeepAlive(data)
	heap := reported.BytesPerRecord - float64(reported.RuntimeBytes)/n
	if heap < 0.9*alone || heap > 1.1*alone {
		t.Errorf("the record row reports %.1f B/record of heap; the same decode alone retains %.1f", heap, alone)
	}
}
