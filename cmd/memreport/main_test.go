package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// fixtures writes small inputs of every kind memreport reads, and returns
// the directory.
func fixtures(t *testing.T) string {
	dir := t.TempDir()
	var array, lines, text bytes.Buffer
	array.WriteString("[\n")
	for i := range 300 {
		rec := fmt.Sprintf(`{"id":%d,"kind":"point","x":%d,"y":%d}`, i, i%7, i%11)
		if i%3 == 0 { // a second key set
			rec = fmt.Sprintf(`{"id":%d,"kind":"label","text":"label %d","tags":["a","b"]}`, i, i%5)
		}
		if i > 0 {
			array.WriteString(",\n")
		}
		array.WriteString(rec)
		lines.WriteString(rec + "\n")
		fmt.Fprintf(&text, "func (r *Reader) Read%d(p []byte) (n int, err error)\n", i%10)
	}
	array.WriteString("\n]\n")
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("records.json", array.Bytes())
	write("records.jsonl", append([]byte("\xef\xbb\xbf"), lines.Bytes()...)) // with a byte order mark
	write("api.txt", text.Bytes())
	write("bad.json", []byte(`{"id":1,"kind":"point"}`+"\n"+`{"id":2,"kind":}`))
	write("dup.json", []byte(`[{"id":1,"id":2}]`))
	write("empty.json", nil)
	write("empty-array.json", []byte(" [ ]\n"))
	write("blank.txt", []byte(" \n\t\n"))
	write("two.jsonl", []byte("{}\n{}\n"))
	return dir
}

func runReport(t *testing.T, args ...string) (Report, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"-json"}, args...), &out, &errOut); code != 0 {
		t.Fatalf("memreport %q: exit %d: %s", args, code, errOut.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, out.String())
	}
	return r, errOut.String()
}

func approach(t *testing.T, e Experiment, name string) Approach {
	t.Helper()
	for _, a := range e.Approaches {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("experiment %s has no approach %s", e.Name, name)
	return Approach{}
}

// TestRecordsFiles: records with two key sets, as an array and as JSON
// lines: two schemas, the right counts, and Records smaller than maps.
func TestRecordsFiles(t *testing.T) {
	dir := fixtures(t)
	r, _ := runReport(t, filepath.Join(dir, "records.json"), filepath.Join(dir, "records.jsonl"))
	if len(r.Experiments) != 2 {
		t.Fatalf("%d experiments for 2 files", len(r.Experiments))
	}
	for _, e := range r.Experiments {
		if e.Objects != 300 || len(e.Schemas) != 2 || e.Schemas[0].Records != 200 || e.Schemas[1].Records != 100 {
			t.Fatalf("%s: %d records, schemas %+v", e.Source, e.Objects, e.Schemas)
		}
		if got := strings.Join(e.Schemas[1].Keys, ","); got != "id,kind,text,tags" {
			t.Errorf("%s: second key set %s", e.Source, got)
		}
		base, rec := e.Approaches[0], approach(t, e, "flyweight.Record")
		if base.Ratio != 1 || rec.Ratio >= 0.8 || rec.Ratio <= 0 || rec.BytesPer <= 0 {
			t.Errorf("%s: Records at %.2f× of maps (%.1f vs %.1f B/record); they must win", e.Source, rec.Ratio, rec.BytesPer, base.BytesPer)
		}
		if d := rec.BytesPer / base.BytesPer; d < rec.Ratio-0.001 || d > rec.Ratio+0.001 {
			t.Errorf("%s: ratio %.3f is not bytes over the baseline's %.3f", e.Source, rec.Ratio, d)
		}
	}
}

// TestTextFile: a text file is tokenized and interned; interning wins over
// plain copies, and Table's 4-byte IDs win over everything.
// TestRecordRowCountsTheKeys: the flyweight.Record row counts everything
// its records retain, their keys included, although the experiment keeps the
// key sets it lists (here two 8 KiB keys, which dominate the records): the
// row agrees with the same decode measured alone.
func TestRecordRowCountsTheKeys(t *testing.T) {
	const n = 1000 // enough that the noise of a measurement is a few bytes a record
	k1, k2 := "a"+strings.Repeat("k", 8<<10), "b"+strings.Repeat("k", 8<<10)
	var data bytes.Buffer
	for i := range n {
		fmt.Fprintf(&data, "{%q: %d, %q: %d}\n", k1, i, k2, i)
	}
	p := newProgress(io.Discard, time.Hour)
	defer p.stop()
	e, err := recordExperiment(p, "long keys", data.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	reported := e.Approaches[1].BytesPer
	alone := memsize.PerObject(n, func() any {
		recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data.Bytes()))
		if err != nil {
			panic(err)
		}
		return recs
	})
	runtime.KeepAlive(&data) // not released in the middle of a measurement
	if e.Approaches[1].Name != "flyweight.Record" || reported < 0.9*alone || reported > 1.1*alone {
		t.Errorf("row %q reports %.1f B/record; the same decode alone retains %.1f B/record", e.Approaches[1].Name, reported, alone)
	}
}

func TestTextFile(t *testing.T) {
	dir := fixtures(t)
	r, _ := runReport(t, filepath.Join(dir, "api.txt"))
	e := r.Experiments[0]
	if e.Name != "interning" || e.Objects != 300*10 || e.Facts[0].Value != 19 {
		t.Fatalf("experiment %+v", e)
	}
	table := approach(t, e, "intern.Table")
	for _, name := range []string{"intern.String", "intern.Pool", "unique.Make"} {
		if a := approach(t, e, name); a.Ratio >= 1 || table.BytesPer > a.BytesPer {
			t.Errorf("%s at %.2f× of copies, Table %.1f B vs %.1f", name, a.Ratio, table.BytesPer, a.BytesPer)
		}
	}
}

// TestBadFiles: a missing file, malformed JSON and a duplicate key are
// reported with the file's name (and the byte offset), exit status 1, no
// panic.
func TestBadFiles(t *testing.T) {
	dir := fixtures(t)
	for name, want := range map[string]string{
		"missing.json": "missing.json: no such file or directory",
		"bad.json":     `bad.json: invalid JSON at byte offset 39 in the value of key "kind"`,
		"dup.json":     `dup.json: duplicate key "id" at byte offset 9`,
	} {
		var out, errOut bytes.Buffer
		code := run([]string{filepath.Join(dir, name)}, &out, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), want) || out.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit 1 and %q", name, code, errOut.String(), out.String(), want)
		}
	}
	var errOut bytes.Buffer
	if code := run([]string{"-points", "0"}, &bytes.Buffer{}, &errOut); code != 2 {
		t.Errorf("-points 0: exit %d", code)
	}
}

// TestInputWithoutRecordsHasNoFigures: an empty file, an empty JSON array
// and a text without tokens are each reported as having no records, with no
// table, no ratio and no bar, in text, JSON and SVG alike.
func TestInputWithoutRecordsHasNoFigures(t *testing.T) {
	dir := fixtures(t)
	names := []string{"empty.json", "empty-array.json", "blank.txt"}
	var args []string
	for _, n := range names {
		args = append(args, filepath.Join(dir, n))
	}
	svg := filepath.Join(dir, "empty.svg")
	var out, errOut bytes.Buffer
	if code := run(append([]string{"-svg", svg}, args...), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, a := range args {
		if !strings.Contains(out.String(), "no records in "+a+"\n") {
			t.Errorf("output lacks %q:\n%s", "no records in "+a, out.String())
		}
	}
	if strings.ContainsAny(out.String(), "×") || strings.Contains(out.String(), "bytes/") {
		t.Errorf("output has figures:\n%s", out.String())
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(data, []byte("<rect")) != 1 { // the background only
		t.Errorf("the SVG of inputs without records has bars:\n%s", data)
	}
	out.Reset()
	if code := run(append([]string{"-json"}, args...), &out, &errOut); code != 0 {
		t.Fatalf("-json: exit %d: %s", code, errOut.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || len(r.Experiments) != 0 || len(r.Empty) != len(args) {
		t.Errorf("-json: %s (%v), want no experiments and %d empty inputs", out.String(), err, len(args))
	}
}

// TestTooFewRecordsHaveNoFigures: a file of two empty objects is too small
// for a measurement to mean anything (its figures were negative): it is
// reported so, with no figures.
func TestTooFewRecordsHaveNoFigures(t *testing.T) {
	dir := fixtures(t)
	name := filepath.Join(dir, "two.jsonl")
	var out, errOut bytes.Buffer
	if code := run([]string{name}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if want := name + ": 2 records, too few to measure their memory\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// TestOutputs: the text table names every approach with its ratio, and the
// SVG is well-formed with one bar per approach.
func TestOutputs(t *testing.T) {
	dir := fixtures(t)
	svg := filepath.Join(dir, "out.svg")
	var out, errOut bytes.Buffer
	if code := run([]string{"-svg", svg, filepath.Join(dir, "records.json")}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"records: 300 records from", "[]map[string]any", "1.00×", "flyweight.Record", "most common key sets:", "200 records  {id, kind, x, y}"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, out.String())
		}
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rects []struct{} `xml:"rect"`
		Texts []string   `xml:"text"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the SVG is not well-formed: %v", err)
	}
	if len(doc.Rects) != 1+2 { // the background and two bars
		t.Errorf("%d rects in the SVG, want 3", len(doc.Rects))
	}
}

// TestDefaultReport runs the main job on the Go installation's own data,
// with fewer points, and checks that the toolkit wins where it must.
func TestDefaultReport(t *testing.T) {
	if testing.Short() {
		t.Skip("reads $GOROOT/api and runs go list; skipped in -short mode")
	}
	gctest.SkipIfCheckingFinalizers(t, "checks each of unique's 10⁴ cleanups at every GC, which takes minutes here")
	r, _ := runReport(t, "-points", "20000")
	byName := map[string]Experiment{}
	for _, e := range r.Experiments {
		byName[e.Name] = e
	}
	for _, c := range []struct{ experiment, approach string }{
		{"interning", "intern.Pool"}, {"interning", "intern.Table"},
		{"records", "flyweight.Record"},
		{"Point3D", "slotdict.Dict"}, {"Point3D", "flyweight.Record"},
	} {
		e, ok := byName[c.experiment]
		if !ok {
			t.Fatalf("no %s experiment in %v", c.experiment, r.Experiments)
		}
		if a := approach(t, e, c.approach); a.Ratio >= 1 {
			t.Errorf("%s: %s at %.2f× of %s", c.experiment, c.approach, a.Ratio, e.Approaches[0].Name)
		}
	}
	if e, ok := byName["slot dicts"]; ok {
		if a := approach(t, e, "slotdict.Dict+Pool"); a.Ratio >= 1 {
			t.Errorf("slot dicts: Dicts at %.2f× of maps", a.Ratio)
		}
	}
}

// syncBuffer is a bytes.Buffer for a writer and a reader on two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgress: a step that outlasts the reporting delay is reported on
// stderr with its name; none is reported after stop.
func TestProgress(t *testing.T) {
	var buf syncBuffer
	p := newProgress(&buf, 5*time.Millisecond)
	p.step("decoding big.json")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(buf.String(), "memreport: decoding big.json (") {
		if time.Now().After(deadline) {
			t.Fatalf("no progress line within 10s: %q", buf.String())
		}
		runtime.Gosched()
	}
	p.stop()
	select {
	case <-p.ended: // the reporter has returned: it writes nothing more
	default:
		t.Fatal("stop returned while the reporter goroutine still runs")
	}
}
