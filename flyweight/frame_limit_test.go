package flyweight_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// jsonLines returns n JSON Lines, line i being line(i), and the byte offset
// at which each starts.
func jsonLines(n int, line func(i int) string) ([]byte, []int64) {
	var b bytes.Buffer
	offsets := make([]int64, n)
	for i := range n {
		offsets[i] = int64(b.Len())
		b.WriteString(line(i))
		b.WriteByte('\n')
	}
	return b.Bytes(), offsets
}

// checkLimitError fails t unless err is a *DecodeError matching ErrLimit at
// the byte offset, naming key.
func checkLimitError(t *testing.T, err error, offset int64, key string) {
	t.Helper()
	var de *flyweight.DecodeError
	if !errors.As(err, &de) || !errors.Is(err, flyweight.ErrLimit) || de.Offset != offset || de.Key != key {
		t.Fatalf("error %v, want a limit DecodeError at byte offset %d naming key %q", err, offset, key)
	}
}

// checkRowsIntact fails t unless the first rows of f are the first rows of
// doc, as encoding/json decodes them.
func checkRowsIntact(t *testing.T, f *flyweight.Frame, doc []byte, rows int) {
	t.Helper()
	if f.Len() != rows {
		t.Fatalf("%d rows, want the %d before the limit", f.Len(), rows)
	}
	want := decodeMaps(t, doc, true, false)[:rows]
	enc, _ := f.MarshalJSON()
	if got := decodeMaps(t, enc, false, false); !reflect.DeepEqual(got, want) {
		t.Fatalf("the rows before the limit changed: %s", enc)
	}
}

// TestFrameKeysLimitIsADecodeError: a record whose new keys would take the
// Frame beyond the most keys it holds is an ErrLimit DecodeError at the
// record's offset; the rows before stay, and records of the keys known go
// on decoding.
func TestFrameKeysLimitIsADecodeError(t *testing.T) {
	defer flyweight.Lower(flyweight.FrameKeysLimit, 3)()
	doc, at := jsonLines(3, func(i int) string {
		return []string{`{"a": 1, "b": 2}`, `{"c": 3, "a": 4}`, `{"a": 5, "d": 6}`}[i]
	})
	f, err := flyweight.DecodeFrame(bytes.NewReader(doc))
	checkLimitError(t, err, at[2], "")
	checkRowsIntact(t, f, doc, 2)
	if err := f.Decode(strings.NewReader(`{"b": 7, "c": 8, "a": 9}`)); err != nil || f.Len() != 3 {
		t.Fatalf("a record of known keys after the limit: %v, %d rows", err, f.Len())
	}
	if got := string(f.AppendJSON(nil, 2)); got != `{"b":7,"c":8,"a":9}` {
		t.Fatalf("AppendJSON = %s", got)
	}
}

// TestFrameRowLimitAcrossDecodes: the most rows a Frame holds counts the
// rows of every Decode, and the record beyond it ends the stream with an
// ErrLimit DecodeError, which WithSkipBadLines does not skip (no record
// after it could be stored).
func TestFrameRowLimitAcrossDecodes(t *testing.T) {
	defer flyweight.Lower(flyweight.FrameRowsLimit, 3)()
	skipped := 0
	f, err := flyweight.DecodeFrame(strings.NewReader("{\"a\": 1}\n{\"a\": 2}\n"), flyweight.WithSkipBadLines(func(*flyweight.DecodeError) { skipped++ }))
	if err != nil {
		t.Fatal(err)
	}
	doc, at := jsonLines(3, func(i int) string { return fmt.Sprintf(`{"a": %d}`, 3+i) })
	checkLimitError(t, f.Decode(bytes.NewReader(doc)), at[1], "")
	if f.Len() != 3 || skipped != 0 {
		t.Fatalf("%d rows, %d records skipped; want 3 and none", f.Len(), skipped)
	}
	if v, _ := f.Get(2, "a"); v != 3.0 {
		t.Fatalf("row 2 holds %v", v)
	}
}

// TestFrameArrayStringsLimitIsADecodeError: the distinct strings of a
// Frame's arrays, their bytes, and the strings of one column's arrays each
// have a limit; a record that passes one is an ErrLimit DecodeError at its
// offset naming the key, the rows before it stay intact, and the Frame then
// refuses to decode more, even with WithSkipBadLines (its columns would no
// longer agree on the rows).
func TestFrameArrayStringsLimitIsADecodeError(t *testing.T) {
	const first = 1100 // past a block: the arrays' column holds its strings in the Frame's dictionary
	for _, c := range []struct {
		name  string
		limit *int
		tags  func(i int) string
		room  int // how far above what the first rows hold the limit is set
	}{
		// two new strings of six bytes a row
		{"distinct strings", flyweight.DictionaryLimit, func(i int) string { return fmt.Sprintf(`["a%05d", "b%05d"]`, i, i) }, 2*first + 3},
		{"bytes of the strings", flyweight.SpanLimit, func(i int) string { return fmt.Sprintf(`["a%05d", "b%05d"]`, i, i) }, 12*first + 15},
		// the same string, as many times as the row's number
		{"strings of a column", flyweight.SpanLimit, func(i int) string { return "[" + strings.Repeat(`"x",`, i) + `"x"]` }, first*(first+1)/2 + first + 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			const more = 5
			doc, at := jsonLines(first+more, func(i int) string { return fmt.Sprintf(`{"id": %d, "tags": %s}`, i, c.tags(i)) })
			cut := int(at[first])
			skipped := 0
			f, err := flyweight.DecodeFrame(bytes.NewReader(doc[:cut]), flyweight.WithSkipBadLines(func(*flyweight.DecodeError) { skipped++ }))
			if err != nil {
				t.Fatal(err)
			}
			defer flyweight.Lower(c.limit, c.room)()
			// The second row of the next Decode passes the limit.
			err = f.Decode(bytes.NewReader(doc[cut:]))
			checkLimitError(t, err, at[first+1]-int64(cut), "tags") // from the start of the Decode's input
			if skipped != 0 {
				t.Errorf("the limit error was skipped as a bad line")
			}
			checkRowsIntact(t, f, doc, first+1)
			checkLimitError(t, f.Decode(strings.NewReader(`{"id": 0}`)), at[first+1]-int64(cut), "tags")
			if f.Len() != first+1 {
				t.Errorf("a Decode after the limit stored a row")
			}
		})
	}
}

// TestFrameBlockTextLimitIsADecodeError: the text of a block of a column's
// values has a limit, whose passing is an ErrLimit DecodeError at the
// offset of the record, naming the key.
func TestFrameBlockTextLimitIsADecodeError(t *testing.T) {
	const first = 1100 // 76 values of the second block, of 6 bytes each
	doc, at := jsonLines(first+10, func(i int) string { return fmt.Sprintf(`{"name": "n%05d"}`, i) })
	cut := int(at[first])
	f, err := flyweight.DecodeFrame(bytes.NewReader(doc[:cut]))
	if err != nil {
		t.Fatal(err)
	}
	if enc := columnEncodings(f)["name"]; enc != "bytes" {
		t.Fatalf("distinct strings encoded as %s", enc)
	}
	defer flyweight.Lower(flyweight.SpanLimit, 6*(first-1024)+6*6+5)()
	err = f.Decode(bytes.NewReader(doc[cut:]))
	checkLimitError(t, err, at[first+6]-int64(cut), "name")
	checkRowsIntact(t, f, doc, first+6)
}

// TestFrameFullDictionaryMovesToPlain: a column whose dictionary is full
// goes on in a plain encoding, its values intact, with no error.
func TestFrameFullDictionaryMovesToPlain(t *testing.T) {
	defer flyweight.Lower(flyweight.DictionaryLimit, 10)()
	for _, c := range []struct {
		value func(i int) string
		enc   string
	}{
		{func(i int) string { return fmt.Sprintf(`"v%d"`, i%24) }, "bytes"},
		{func(i int) string { return []string{`"s%d"`, `%d`, `true`, `[%d]`}[i%4] }, "mixed"},
	} {
		doc, _ := jsonLines(100, func(i int) string {
			v := c.value(i)
			if strings.Contains(v, "%d") {
				v = fmt.Sprintf(v, i%24)
			}
			return `{"k": ` + v + `}`
		})
		f, err := flyweight.DecodeFrame(bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if enc := columnEncodings(f)["k"]; enc != c.enc {
			t.Errorf("a full dictionary moved to %s, want %s", enc, c.enc)
		}
		checkRowsIntact(t, f, doc, 100)
	}
}

// TestFrameRecordKeysLimitIsADecodeError: a record of more keys than a
// Frame holds is an ErrLimit DecodeError at its first key beyond the
// limit, which WithSkipBadLines skips as a bad line.
func TestFrameRecordKeysLimitIsADecodeError(t *testing.T) {
	defer flyweight.Lower(flyweight.FrameKeysLimit, 3)()
	doc := "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}\n{\"a\": 5}\n"
	f, err := flyweight.DecodeFrame(strings.NewReader(doc))
	checkLimitError(t, err, int64(strings.Index(doc, `"d"`)), "")
	if f.Len() != 0 {
		t.Fatalf("%d rows", f.Len())
	}
	var skipped []*flyweight.DecodeError
	f, err = flyweight.DecodeFrame(strings.NewReader(doc), flyweight.WithSkipBadLines(func(e *flyweight.DecodeError) { skipped = append(skipped, e) }))
	if err != nil || f.Len() != 1 || len(skipped) != 1 || !errors.Is(skipped[0], flyweight.ErrLimit) {
		t.Fatalf("with WithSkipBadLines: %v, %d rows, skipped %v", err, f.Len(), skipped)
	}
}
