package fuzz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// A skipDecoder decodes data as a stream with the skip-bad-lines option,
// each record as its JSON, passing each skipped error to report.
type skipDecoder func(data []byte, report func(*slotdict.DecodeError)) ([]string, error)

// An aloneDecoder decodes one element as a document of its own, and
// returns its JSON and true if it is an object that decodes.
type aloneDecoder func(elem []byte) (string, bool)

// checkSkipBadLines checks the skip-bad-lines property on data: the
// records that stream decodes are exactly the elements that alone decodes
// alone, in order, and every other element is reported once, with its
// line, at an offset within it. In JSON Lines the elements are the
// non-blank lines; in an array that is valid JSON, its elements. (An array
// with a syntax error may end early, and is left to the stream targets.)
func checkSkipBadLines(t *testing.T, data []byte, stream skipDecoder, alone aloneDecoder) {
	t.Helper()
	type elem struct {
		text       []byte
		start, end int64 // offsets in data
	}
	var elems []elem
	if startsWith(data, '[') {
		if !json.Valid(data) {
			return
		}
		var raws []json.RawMessage
		if json.Unmarshal(data, &raws) != nil {
			return // valid, but not an array: "[1] 2"
		}
		at := int64(bytes.IndexByte(data, '[') + 1)
		for _, r := range raws {
			start := at + int64(bytes.Index(data[at:], r))
			elems = append(elems, elem{r, start, start + int64(len(r))})
			at = start + int64(len(r))
		}
	} else {
		start := 0
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimLeft(line, " \t\r")) > 0 {
				elems = append(elems, elem{line, int64(start), int64(start + len(line))})
			}
			start += len(line) + 1
		}
	}
	var reports []*slotdict.DecodeError
	got, err := stream(data, func(e *slotdict.DecodeError) { reports = append(reports, e) })
	if err != nil {
		t.Fatalf("skipping bad lines of %q: %v", data, err)
	}
	var want []string
	var bad []elem
	for _, e := range elems {
		if out, ok := alone(e.text); ok {
			want = append(want, out)
		} else {
			bad = append(bad, e)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("skipping bad lines of %q gave %q; the elements that decode alone are %q", data, got, want)
	}
	if len(reports) != len(bad) {
		t.Fatalf("skipping bad lines of %q reported %v; the elements that do not decode alone are %q", data, reports, bad)
	}
	for i, r := range reports {
		// The report's Line is the line of its Offset, which an element of
		// an array may have reached across newlines.
		if r.Offset < bad[i].start || r.Offset > bad[i].end || r.Line != 1+bytes.Count(data[:r.Offset], []byte("\n")) {
			t.Fatalf("skipping bad lines of %q: %v (line %d) for the element %q at %d..%d", data, r, r.Line, bad[i].text, bad[i].start, bad[i].end)
		}
	}
}

// dictsSkipping decodes data with slotdict.DecodeAll over dictSchema,
// skipping bad lines.
func dictsSkipping(data []byte, report func(*slotdict.DecodeError)) ([]string, error) {
	dicts, err := slotdict.DecodeAll[string, any](bytes.NewReader(data), dictSchema, slotdict.WithSkipBadLines(report))
	return marshalAll(dicts), err
}

// dictAlone decodes elem into a Dict over dictSchema.
func dictAlone(elem []byte) (string, bool) {
	d := slotdict.New[string, any](dictSchema)
	if !startsWith(elem, '{') || d.DecodeJSON(elem) != nil {
		return "", false
	}
	return marshalAll([]*slotdict.Dict[string, any]{d})[0], true
}

// recordsSkipping decodes data with flyweight.DecodeRecords, skipping bad
// lines.
func recordsSkipping(data []byte, report func(*slotdict.DecodeError)) ([]string, error) {
	recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data), flyweight.WithSkipBadLines(report))
	return marshalAll(recs), err
}

// recordAlone decodes elem into a Record.
func recordAlone(elem []byte) (string, bool) {
	var r flyweight.Record[any]
	if !startsWith(elem, '{') || r.DecodeJSON(elem) != nil {
		return "", false
	}
	return marshalAll([]*flyweight.Record[any]{&r})[0], true
}

// marshalAll returns the JSON of each of vs.
func marshalAll[T any](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		out[i] = string(b)
	}
	return out
}
