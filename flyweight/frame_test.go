package flyweight_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// tb is what the checks need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// A member is a key and the JSON text of its value, for documents whose
// key order the test controls.
type member struct{ key, value string }

// writeDoc writes rows as a JSON array, or as JSON Lines.
func writeDoc(rows [][]member, lines bool) []byte {
	var b bytes.Buffer
	if !lines {
		b.WriteString("[")
	}
	for i, r := range rows {
		if i > 0 && !lines {
			b.WriteString(",\n")
		}
		b.WriteString("{")
		for j, m := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(m.key)
			fmt.Fprintf(&b, "%s: %s", k, m.value)
		}
		b.WriteString("}")
		if lines {
			b.WriteString("\n")
		}
	}
	if !lines {
		b.WriteString("]")
	}
	return b.Bytes()
}

// decodeMaps is what encoding/json makes of a document of writeDoc.
func decodeMaps(t tb, doc []byte, lines, useNumber bool) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	if useNumber {
		dec.UseNumber()
	}
	var out []map[string]any
	if !lines {
		if err := dec.Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for {
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
}

var (
	scalarValue = rapid.SampledFrom([]string{
		`"x"`, `"Lòria"`, `""`, `"a\"b\\c\n\u0001\u00e9\ud83d\ude00"`, `"\ud800"`, `"<&>"`,
		`0`, `-0`, `1`, `-17`, `255`, `65536`, `9007199254740993`, `12345678901234567890`,
		`1.5`, `-0.25`, `42.46372`, `1.0`, `1e3`, `2E-7`, `1e308`,
		`true`, `false`, `null`,
	})
	nestedValue = rapid.SampledFrom([]string{
		`[]`, `{}`, `["a", "b", "a"]`, `["x\ty"]`, `[1, "a", null]`, `{"k": [1, 2, {"z": "w"}]}`,
		`[ [ ] , { } ]`, `{"a": 1e3, "b": -0}`,
	})
	frameKey = rapid.SampledFrom([]string{"a", "b", "c", "d", "e", "name", "", "ключ", "k\"q"})
)

// drawRows draws records whose keys, value kinds and missing keys vary
// from row to row, with a few row layouts repeated, as real data has.
func drawRows(t *rapid.T) [][]member {
	n := rapid.IntRange(0, 60).Draw(t, "rows")
	var layouts [][]string
	for range rapid.IntRange(1, 4).Draw(t, "layouts") {
		keys := rapid.SliceOfNDistinct(frameKey, 0, 6, rapid.ID[string]).Draw(t, "keys")
		layouts = append(layouts, keys)
	}
	// Some keys hold one kind of value throughout, others anything.
	kindOf := map[string]*rapid.Generator[string]{}
	for _, k := range []string{"a", "b", "c", "d", "e", "name", "", "ключ", "k\"q"} {
		switch rapid.IntRange(0, 3).Draw(t, "kind of "+k) {
		case 0:
			kindOf[k] = rapid.SampledFrom([]string{`"p"`, `"q"`, `"r"`, `null`})
		case 1:
			kindOf[k] = rapid.SampledFrom([]string{`1`, `2`, `-3`, `4.5`, `null`})
		case 2:
			kindOf[k] = nestedValue
		default:
			kindOf[k] = scalarValue
		}
	}
	rows := make([][]member, n)
	for i := range rows {
		keys := rapid.SampledFrom(layouts).Draw(t, "layout")
		for _, k := range keys {
			rows[i] = append(rows[i], member{k, kindOf[k].Draw(t, "value")})
		}
	}
	// Repeated, the rows fill blocks, after which columns choose their
	// encodings, and then change kind in the next repetition.
	if repeat := rapid.IntRange(1, 50).Draw(t, "repeat"); repeat > 40 && n > 0 {
		for range repeat {
			rows = append(rows, rows[:n]...)
		}
	}
	return rows
}

// checkFrame checks f against what encoding/json decoded: every key of
// every row through Get, String, Keys, All and AppendJSON, and the whole
// Frame through MarshalJSON.
func checkFrame(t tb, f *flyweight.Frame, rows [][]member, want []map[string]any, useNumber bool) {
	t.Helper()
	if f.Len() != len(want) {
		t.Fatalf("Len %d, want %d", f.Len(), len(want))
	}
	for i, m := range want {
		var keys []string
		for _, mb := range rows[i] {
			if !slices.Contains(keys, mb.key) {
				keys = append(keys, mb.key)
			}
		}
		if got := slices.Collect(f.Keys(i)); !slices.Equal(got, keys) {
			t.Fatalf("row %d: Keys %q, want %q", i, got, keys)
		}
		for _, k := range append(keys, "missing") {
			v, ok := f.Get(i, k)
			w, wok := m[k]
			if ok != wok || !reflect.DeepEqual(v, w) {
				t.Fatalf("row %d: Get(%q) = %#v, %v; encoding/json gives %#v, %v", i, k, v, ok, w, wok)
			}
			s, ok := f.String(i, k)
			ws, wok := w.(string)
			if ok != wok || s != ws {
				t.Fatalf("row %d: String(%q) = %q, %v; want %q, %v", i, k, s, ok, ws, wok)
			}
		}
		n := 0
		for k, v := range f.All(i) {
			if k != keys[n] || !reflect.DeepEqual(v, m[k]) {
				t.Fatalf("row %d: All gives %q: %#v at %d, want %q: %#v", i, k, v, n, keys[n], m[keys[n]])
			}
			n++
		}
		var back map[string]any
		if err := unmarshal(f.AppendJSON(nil, i), &back, useNumber); err != nil || !reflect.DeepEqual(back, m) {
			t.Fatalf("row %d: AppendJSON gives %s (%v), which decodes to %#v, want %#v", i, f.AppendJSON(nil, i), err, back, m)
		}
	}
	enc, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := unmarshal(enc, &back, useNumber); err != nil {
		t.Fatalf("MarshalJSON gives %s: %v", enc, err)
	}
	if len(want) == 0 {
		want = []map[string]any{}
	}
	if !reflect.DeepEqual(back, want) {
		t.Fatalf("MarshalJSON gives %s, which decodes to %#v, want %#v", enc, back, want)
	}
}

func unmarshal(b []byte, v any, useNumber bool) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if useNumber {
		dec.UseNumber()
	}
	return dec.Decode(v)
}

// TestFrameRoundTripProperty: for documents whose keys, value kinds and
// missing keys vary from row to row, a Frame holds what encoding/json
// decodes into []map[string]any, and its JSON decodes to the same.
func TestFrameRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rows := drawRows(t)
		lines := rapid.Bool().Draw(t, "lines")
		useNumber := rapid.Bool().Draw(t, "useNumber")
		doc := writeDoc(rows, lines)
		want := decodeMaps(t, doc, lines, useNumber)
		var opts []flyweight.Option
		if useNumber {
			opts = append(opts, flyweight.WithUseNumber())
		}
		f, err := flyweight.DecodeFrame(bytes.NewReader(doc), opts...)
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		checkFrame(t, f, rows, want, useNumber)
		// Decoding in two parts appends to the same Frame.
		cut := rapid.IntRange(0, len(rows)).Draw(t, "cut")
		var g flyweight.Frame
		if useNumber {
			g = *must(flyweight.DecodeFrame(bytes.NewReader(writeDoc(rows[:cut], true)), opts...))
		} else if err := g.Decode(bytes.NewReader(writeDoc(rows[:cut], true))); err != nil {
			t.Fatal(err)
		}
		if err := g.Decode(bytes.NewReader(writeDoc(rows[cut:], lines))); err != nil {
			t.Fatal(err)
		}
		checkFrame(t, &g, rows, want, useNumber)
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestFrameColumnChangingTypeRoundTrips: columns whose values change kind
// part-way, after the encoding of their first blocks was chosen (strings
// then numbers, integers then fractions then numbers no float64 holds,
// repeated values then distinct ones), hold every value still.
func TestFrameColumnChangingTypeRoundTrips(t *testing.T) {
	const n = 5000
	rows := make([][]member, n)
	for i := range rows {
		s := strconv.Quote(fmt.Sprint("v", i%7))
		if i >= 2500 {
			s = strconv.Itoa(i)
		}
		num := strconv.Itoa(i)
		switch {
		case i >= 4000:
			num = "1e" + strconv.Itoa(i%300)
		case i >= 3000:
			num = strconv.Itoa(i) + ".25"
		}
		card := strconv.Quote(fmt.Sprint("c", i%5))
		if i >= 1500 {
			card = strconv.Quote(fmt.Sprint("distinct-", i))
		}
		list := `["a", "b"]`
		if i == 4500 {
			list = `[1]`
		}
		rows[i] = []member{{"s", s}, {"num", num}, {"card", card}, {"list", list}}
		if i%3 == 0 {
			rows[i] = append(rows[i], member{"sparse", `"here"`})
		}
		if i%11 == 0 {
			rows[i][0].value = "null"
		}
	}
	for _, useNumber := range []bool{false, true} {
		doc := writeDoc(rows, true)
		var opts []flyweight.Option
		if useNumber {
			opts = append(opts, flyweight.WithUseNumber())
		}
		f, err := flyweight.DecodeFrame(bytes.NewReader(doc), opts...)
		if err != nil {
			t.Fatal(err)
		}
		checkFrame(t, f, rows, decodeMaps(t, doc, true, useNumber), useNumber)
	}
}

// columnEncodings returns the encoding of each column of f.
func columnEncodings(f *flyweight.Frame) map[string]string {
	enc := map[string]string{}
	for k, e := range f.Columns() {
		enc[k] = e
	}
	return enc
}

// TestFrameColumnsEncodedByTheirData: a column of few distinct values is a
// dictionary, one of distinct strings packed bytes, numbers int64 or
// float64 when their text comes back exactly, and as text otherwise.
func TestFrameColumnsEncodedByTheirData(t *testing.T) {
	const n = 3000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"country": "C%d", "name": "place %d", "pop": %d, "lat": %d.5, "odd": %d.50, "big": %d, "tags": ["t%d", "u"], "few": ["t%d"], "obj": {"i": %d}}`+"\n",
			i%250, i, i*7, i, i, i%300, i, i%3, i)
	}
	f, err := flyweight.DecodeFrame(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"country": "dictionary/1", "name": "bytes", "pop": "int64", "lat": "float64",
		"odd": "number-text", "big": "dictionary/2", "tags": "string-list", "few": "dictionary/1", "obj": "json",
	}
	if got := columnEncodings(f); !reflect.DeepEqual(got, want) {
		t.Errorf("encodings %v, want %v", got, want)
	}
	if got, _ := f.Get(1234, "odd"); got != 1234.5 {
		t.Errorf("Get(1234, odd) = %v", got)
	}
}

// TestFrameUseNumberKeepsTheText: with WithUseNumber, Get returns every
// number as a json.Number holding its text as written.
func TestFrameUseNumberKeepsTheText(t *testing.T) {
	nums := []string{"0", "-0", "1.0", "1e3", "12345678901234567890", "1e400", "0.1", "-17"}
	var b strings.Builder
	for range 700 { // past a block, so that the columns leave the dictionary
		for i, n := range nums {
			fmt.Fprintf(&b, `{"n": %s, "i": %d}`+"\n", n, i*1000+b.Len())
		}
	}
	f, err := flyweight.DecodeFrame(strings.NewReader(b.String()), flyweight.WithUseNumber())
	if err != nil {
		t.Fatal(err)
	}
	for row := range f.Len() {
		v, _ := f.Get(row, "n")
		if v != json.Number(nums[row%len(nums)]) {
			t.Fatalf("row %d: %#v, want json.Number(%q)", row, v, nums[row%len(nums)])
		}
	}
}

// TestFrameZeroValueAndCopies: the zero Frame is empty and decodes; a copy
// shares its records; UnmarshalJSON replaces them, leaves f unchanged on
// an error and on null.
func TestFrameZeroValueAndCopies(t *testing.T) {
	var f flyweight.Frame
	if f.Len() != 0 || len(columnEncodings(&f)) != 0 {
		t.Fatal("zero Frame not empty")
	}
	if b, err := json.Marshal(f); err != nil || string(b) != "[]" {
		t.Fatalf("zero Frame marshals to %s, %v", b, err)
	}
	if err := f.Decode(strings.NewReader(`{"a": 1}`)); err != nil {
		t.Fatal(err)
	}
	g := f
	if err := g.Decode(strings.NewReader(`[{"a": 2}]`)); err != nil {
		t.Fatal(err)
	}
	if f.Len() != 2 {
		t.Fatalf("a copy's Decode does not show in the original: Len %d", f.Len())
	}
	if err := json.Unmarshal([]byte(`[{"a": 1}, {"a": }]`), &f); err == nil {
		t.Fatal("no error")
	}
	if err := json.Unmarshal([]byte(`null`), &f); err != nil || f.Len() != 2 {
		t.Fatalf("after a failed UnmarshalJSON and null: Len %d, %v", f.Len(), err)
	}
	if err := json.Unmarshal([]byte(`[{"b": "x"}]`), &f); err != nil || f.Len() != 1 {
		t.Fatalf("UnmarshalJSON: Len %d, %v", f.Len(), err)
	}
	if s, ok := f.String(0, "b"); s != "x" || !ok {
		t.Fatalf("String = %q, %v", s, ok)
	}
	type holder struct{ F flyweight.Frame }
	if b, err := json.Marshal(holder{f}); err != nil || string(b) != `{"F":[{"b":"x"}]}` {
		t.Fatalf("a Frame held by value marshals to %s, %v", b, err)
	}
}

// TestFrameKeepsNothingOfItsInput: overwriting the input after Decode
// changes nothing in the Frame.
func TestFrameKeepsNothingOfItsInput(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, `{"k%d": "v%d", "s": "s%d", "d": "%d", "l": ["e%d"], "o": {"x": "y%d"}, "n": %d.5}`+"\n", i%3, i, i, i%4, i, i, i)
	}
	doc := []byte(b.String())
	want := decodeMaps(t, doc, true, false)
	f, err := flyweight.DecodeFrame(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	for i := range doc {
		if doc[i] >= 'a' && doc[i] <= 'z' || doc[i] >= '0' && doc[i] <= '9' {
			doc[i] = 'Z'
		}
	}
	enc, _ := json.Marshal(f)
	var back []map[string]any
	if err := json.Unmarshal(enc, &back); err != nil || !reflect.DeepEqual(back, want) {
		t.Fatalf("the Frame changed with its input (%v)", err)
	}
}

// TestFrameBadInputIsADecodeError: malformed or unexpected input is a
// *DecodeError at the offending byte, naming the key, the rows before it
// decoded; the Frame goes on taking rows after it.
func TestFrameBadInputIsADecodeError(t *testing.T) {
	cases := []struct {
		in     string
		offset int64
		key    string
		is     error
		rows   int
	}{
		{`{"a": 1}` + "\n" + `{"a": tru}`, 18, "a", flyweight.ErrSyntax, 1},
		{`[{"a": 1}, 3]`, 11, "", flyweight.ErrNotObject, 1},
		{`{"a": 1, "a": 2}`, 9, "a", flyweight.ErrDuplicateKey, 0},
		{`{"a": 1}{"b": 1, "c": {"x": 1, "x": 2}}`, 31, "x", flyweight.ErrDuplicateKey, 1},
		{`{"a": 1e400}`, 6, "a", nil, 0},
		{`{"a": [1, 2}`, 11, "a", flyweight.ErrSyntax, 0},
		{`{"a": "x`, 8, "a", flyweight.ErrSyntax, 0},
		{`[{"a": 1}] x`, 11, "", flyweight.ErrSyntax, 1},
		{`{"a" 1}`, 5, "", flyweight.ErrSyntax, 0},
	}
	for _, c := range cases {
		f, err := flyweight.DecodeFrame(strings.NewReader(c.in))
		var de *flyweight.DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: error %v, want a *DecodeError", c.in, err)
			continue
		}
		if de.Offset != c.offset || de.Key != c.key || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %v (offset %d, key %q), want offset %d, key %q, %v", c.in, err, de.Offset, de.Key, c.offset, c.key, c.is)
		}
		if f.Len() != c.rows {
			t.Errorf("%s: %d rows decoded before the error, want %d", c.in, f.Len(), c.rows)
		}
		if err := f.Decode(strings.NewReader(`{"z": 1}`)); err != nil || f.Len() != c.rows+1 {
			t.Errorf("%s: Decode after the error: %v, %d rows", c.in, err, f.Len())
		}
	}
}

// TestFrameAllowDuplicates: with WithAllowDuplicates, the last value of a
// key wins and the key keeps its first position, as encoding/json has it.
func TestFrameAllowDuplicates(t *testing.T) {
	f, err := flyweight.DecodeFrame(strings.NewReader(`{"a": 1, "b": 2, "a": 3}`), flyweight.WithAllowDuplicates())
	if err != nil {
		t.Fatal(err)
	}
	if got := string(f.AppendJSON(nil, 0)); got != `{"a":3,"b":2}` {
		t.Errorf("AppendJSON: %s", got)
	}
}

// TestFrameNestedRecords: with WithNestedRecords, nested objects come back
// from Get as *Record[any].
func TestFrameNestedRecords(t *testing.T) {
	f, err := flyweight.DecodeFrame(strings.NewReader(`{"o": {"x": [{"y": 1}]}}`), flyweight.WithNestedRecords())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.Get(0, "o")
	r, ok := v.(*flyweight.Record[any])
	if !ok {
		t.Fatalf("Get = %#v", v)
	}
	x, _ := r.Get("x")
	if _, ok := x.([]any)[0].(*flyweight.Record[any]); !ok {
		t.Fatalf("nested: %#v", x)
	}
}

// TestFrameRowLimitIsADecodeError: a record beyond the most rows a Frame
// holds is an ErrLimit DecodeError at its offset, and the rows before stay.
func TestFrameRowLimitIsADecodeError(t *testing.T) {
	defer flyweight.Lower(flyweight.FrameRowsLimit, 2)()
	f, err := flyweight.DecodeFrame(strings.NewReader(`{"a": 1} {"a": 2} {"a": 3}`))
	var de *flyweight.DecodeError
	if !errors.As(err, &de) || !errors.Is(err, flyweight.ErrLimit) || de.Offset != 18 {
		t.Fatalf("error %v, want ErrLimit at 18", err)
	}
	if f.Len() != 2 {
		t.Fatalf("%d rows", f.Len())
	}
}

// TestFrameGetOutOfRangePanics: a row outside the Frame is a programmer's
// error, as an index out of a slice is.
func TestFrameGetOutOfRangePanics(t *testing.T) {
	f := must(flyweight.DecodeFrame(strings.NewReader(`{"a": 1}`)))
	for _, row := range []int{-1, 1} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "out of range") {
					t.Errorf("row %d: panic %v", row, r)
				}
			}()
			f.Get(row, "a")
		}()
	}
}

// TestFrameConcurrentReads: reads of a Frame from many goroutines at once
// see the same values (run under -race).
func TestFrameConcurrentReads(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `{"c": "c%d", "s": "s%d", "n": %d.5, "l": ["x%d"], "o": {"k": %d}}`+"\n", i%9, i, i, i%4, i)
	}
	f := must(flyweight.DecodeFrame(strings.NewReader(b.String())))
	want, _ := json.Marshal(f)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := range f.Len() {
				for k, v := range f.All(row) {
					if g, _ := f.Get(row, k); !reflect.DeepEqual(g, v) {
						t.Errorf("row %d key %s: %v then %v", row, k, v, g)
					}
				}
				f.String(row, "s")
			}
			if got, _ := json.Marshal(f); !bytes.Equal(got, want) {
				t.Error("MarshalJSON differs")
			}
		}()
	}
	wg.Wait()
}
