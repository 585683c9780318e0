package flyweight_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// A phase is a part of a document decoded by one Decode: its rows, each
// with the value of key "k" that value gives, and the encoding the column
// must have once they are decoded.
type phase struct {
	rows     int
	value    func(i int) string // i counts the rows of the document
	encoding string
}

// checkRevisions decodes the phases one Decode each into one Frame, checks
// the column's encoding after each, and then that the Frame holds what
// encoding/json decodes from the whole document, with and without
// WithUseNumber.
func checkRevisions(t *testing.T, phases []phase) {
	t.Helper()
	for _, useNumber := range []bool{false, true} {
		var opts []flyweight.Option
		if useNumber {
			opts = append(opts, flyweight.WithUseNumber())
		}
		f, err := flyweight.DecodeFrame(strings.NewReader(""), opts...)
		if err != nil {
			t.Fatal(err)
		}
		var all [][]member
		for p, ph := range phases {
			var rows [][]member
			for range ph.rows {
				rows = append(rows, []member{{"k", ph.value(len(all) + len(rows))}, {"i", strconv.Itoa(len(all) + len(rows))}})
			}
			if err := f.Decode(bytes.NewReader(writeDoc(rows, p%2 == 0))); err != nil {
				t.Fatal(err)
			}
			all = append(all, rows...)
			if got := columnEncodings(f)["k"]; got != ph.encoding {
				t.Errorf("useNumber %v: after phase %d (%d rows), the column is %s, want %s", useNumber, p, len(all), got, ph.encoding)
			}
		}
		doc := writeDoc(all, true)
		checkFrame(t, f, all, decodeMaps(t, doc, true, useNumber), useNumber)
	}
}

// long returns a string value of 60 bytes numbered n: long enough that a
// dictionary of values that each come twice costs less than packing them.
func long(n int) string { return fmt.Sprintf(`"%060d"`, n) }

// TestFrameDictionaryWidensItsIds: a dictionary's ids take one byte for up
// to 256 distinct values, two for up to 65536, and four beyond, and the
// values stay exact as the ids widen.
func TestFrameDictionaryWidensItsIds(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 130,000 records, twice")
	}
	const b1 = 2048           // rows of the first phase: 256 values, each 8 times
	const b2 = 2*65536 - b1/4 // the next 65,280 values, each twice
	checkRevisions(t, []phase{
		{b1, func(i int) string { return long(i % 256) }, "dictionary/1"},
		{b2, func(i int) string { return long(256 + (i-b1)/2) }, "dictionary/2"},
		{3000, func(i int) string { return long(65536 + (i % 2)) }, "dictionary/4"},
	})
}

// TestFrameEncodingRevisions: a column's encoding follows its data as it
// changes part-way, and every value comes back as encoding/json decodes it:
// numbers then strings; int64s, then float64s, then numbers whose text no
// float64 gives back; repeated values, then distinct ones, then repeated
// ones again.
func TestFrameEncodingRevisions(t *testing.T) {
	checkRevisions(t, []phase{
		{2000, strconv.Itoa, "int64"},
		{100, func(i int) string { return strconv.Quote(fmt.Sprint("s", i)) }, "mixed"},
	})
	checkRevisions(t, []phase{
		{2000, func(i int) string { return strconv.Itoa(i * 1001) }, "int64"},
		{100, func(i int) string { return strconv.Itoa(i) + ".5" }, "float64"},
		{100, func(i int) string { return strconv.Itoa(i) + ".50" }, "number-text"},
		{100, func(i int) string { return "12345678901234567890" }, "number-text"},
	})
	checkRevisions(t, []phase{
		{2000, func(i int) string { return long(i % 7) }, "dictionary/1"},
		{4000, func(i int) string { return strconv.Quote(fmt.Sprint("distinct ", i)) }, "bytes"},
		// A packed column stays packed: its values are not hashed to
		// find whether they repeat.
		{8000, func(i int) string { return long(i % 7) }, "bytes"},
	})
	checkRevisions(t, []phase{
		{2000, func(i int) string { return strconv.Quote(fmt.Sprint("distinct ", i)) }, "bytes"},
		{100, func(i int) string { return `null` }, "bytes"},
		{100, func(i int) string { return []string{`true`, `1.5`, `[1]`, `{"a": "b"}`}[i%4] }, "mixed"},
	})
}
