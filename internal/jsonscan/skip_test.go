package jsonscan_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// objectsSkipping decodes the stream in r as a decoder of objects does
// with SkipBadLines: an element must be an object (a Value scan of it
// otherwise), and every error goes through Skip. It returns the elements
// decoded, the errors skipped and the error that ended the stream.
func objectsSkipping(r io.Reader) (got []string, skipped []*jsonscan.DecodeError, err error) {
	st := jsonscan.NewStream(r)
	st.SkipBadLines(func(e *jsonscan.DecodeError) { skipped = append(skipped, e) })
	for {
		sc, err := st.Next()
		end := 0
		if err == nil {
			err = sc.Object(0, 0)
		}
		if err == nil {
			end, err = sc.Value(0, 0)
		}
		if err == nil {
			text := string(sc.Data[:end])
			if err = st.Advance(end); err == nil {
				got = append(got, text)
				continue
			}
		}
		if err = st.Skip(err); err != nil {
			return got, skipped, err
		}
	}
}

// TestSkipBadLinesInLines: in a stream of values, every bad line is
// skipped (a syntax error, a value that is not an object, two values on a
// line), reported with its line and offset, and every good line arrives,
// in order; blank lines are no records.
func TestSkipBadLinesInLines(t *testing.T) {
	in := "{\"a\":1}\n" + // line 1
		"{\"a\":\n" + // 2: truncated, reported at its end (offset 13)
		"\n" + // 3: blank
		"\x00\xff garbage\n" + // 4: garbage at its first byte (15)
		"  {\"a\":[2]}  \r\n" + // 5
		"7\n" + // 6: not an object (41)
		"{\"a\":3} {\"a\":4}\n" + // 7: two values: the second is the error (51)
		"{\"a\":\"x\ny\"}\n" + // 8 and 9: a string cut by a newline, then garbage
		"{\"a\":5}" // 10, without a final newline
	type bad struct {
		line   int
		offset int64
		err    error
	}
	want := []bad{{2, 13, jsonscan.ErrSyntax}, {4, 15, jsonscan.ErrSyntax}, {6, 41, jsonscan.ErrNotObject}, {7, 51, jsonscan.ErrSyntax},
		{8, 66, jsonscan.ErrSyntax}, {9, 67, jsonscan.ErrSyntax}}
	for how, r := range readers(in) {
		t.Run(how, func(t *testing.T) {
			got, skipped, err := objectsSkipping(r)
			if err != io.EOF {
				t.Fatalf("the stream ended with %v, want io.EOF", err)
			}
			if w := []string{`{"a":1}`, `{"a":[2]}`, `{"a":5}`}; strings.Join(got, " ") != strings.Join(w, " ") {
				t.Errorf("decoded %q, want %q", got, w)
			}
			if len(skipped) != len(want) {
				t.Fatalf("skipped %v, want %d errors", skipped, len(want))
			}
			for i, e := range skipped {
				if e.Line != want[i].line || e.Offset != want[i].offset || !errors.Is(e, want[i].err) {
					t.Errorf("skipped error %d: %v (line %d, offset %d), want line %d, offset %d, %v", i, e, e.Line, e.Offset, want[i].line, want[i].offset, want[i].err)
				}
				if !strings.HasPrefix(e.Error(), "line ") {
					t.Errorf("skipped error %d: %q does not say its line", i, e)
				}
			}
		})
	}
}

// TestSkipBadLinesInArray: in an array, an element that is valid JSON but
// fails to decode is skipped; a syntax error ends the stream, at the
// element's first one, with its line.
func TestSkipBadLinesInArray(t *testing.T) {
	for how, r := range readers("[{\"a\":1},\n7,\n[1,2],\n{\"a\":2}]") {
		t.Run("valid/"+how, func(t *testing.T) {
			got, skipped, err := objectsSkipping(r)
			if err != io.EOF || len(got) != 2 || got[0] != `{"a":1}` || got[1] != `{"a":2}` {
				t.Fatalf("decoded %q, %v; want the two objects and io.EOF", got, err)
			}
			if len(skipped) != 2 || skipped[0].Line != 2 || skipped[0].Offset != 10 || skipped[1].Line != 3 || !errors.Is(skipped[1], jsonscan.ErrNotObject) {
				t.Errorf("skipped %v, want the two elements that are not objects, on lines 2 and 3", skipped)
			}
		})
	}
	for _, tt := range []struct {
		name, in string
		offset   int64
		line     int
	}{
		{"syntax error in an element", "[{\"a\":1},\n{\"a\" 2},\n{\"a\":3}]", 15, 2},
		{"not an object, and malformed", "[{\"a\":1},\n\n[1,}]", 14, 3},
		{"no comma", "[{\"a\":1}\n{\"a\":2}]", 9, 2},
	} {
		for how, r := range readers(tt.in) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				got, skipped, err := objectsSkipping(r)
				var de *jsonscan.DecodeError
				if !errors.As(err, &de) || !errors.Is(err, jsonscan.ErrSyntax) || de.Offset != tt.offset || de.Line != tt.line {
					t.Fatalf("ended with %v, want a syntax error at byte offset %d on line %d", err, tt.offset, tt.line)
				}
				if len(got) != 1 || len(skipped) != 0 {
					t.Errorf("decoded %q and skipped %v before it, want the first object only", got, skipped)
				}
			})
		}
	}
}

// TestStreamErrorsHaveLines: without SkipBadLines too, the errors that go
// through Skip say their line, and end the stream.
func TestStreamErrorsHaveLines(t *testing.T) {
	st := jsonscan.NewStream(strings.NewReader("{\"a\":1}\n\n  {\"a\" 1}\n{\"a\":2}"))
	for {
		sc, err := st.Next()
		end := 0
		if err == nil {
			end, err = sc.Value(0, 0)
		}
		if err == nil {
			err = st.Advance(end)
		}
		if err == nil {
			continue
		}
		var de *jsonscan.DecodeError
		if err = st.Skip(err); !errors.As(err, &de) {
			t.Fatalf("ended with %v, want a DecodeError", err)
		}
		if de.Line != 3 || de.Offset != 16 || !strings.HasPrefix(de.Error(), "line 3: ") {
			t.Fatalf("%v: line %d, offset %d; want line 3, offset 16", de, de.Line, de.Offset)
		}
		return
	}
}

// TestSkipLongBadLineKeepsMemory: a bad line far longer than the read
// buffer, arriving in small pieces, is skipped without being held in
// memory, and the lines after it arrive.
func TestSkipLongBadLineKeepsMemory(t *testing.T) {
	const long = 64 * jsonscan.MinRead
	in := io.MultiReader(strings.NewReader(`{"a": x`), strings.NewReader(strings.Repeat("y", long)), strings.NewReader("\n{\"a\":1}\n"))
	st := jsonscan.NewStream(in)
	skipped := 0
	st.SkipBadLines(func(*jsonscan.DecodeError) { skipped++ })
	maxCap := 0
	var got []string
	for {
		sc, err := st.Next()
		maxCap = max(maxCap, st.BufferCap())
		if err == io.EOF {
			break
		}
		end := 0
		if err == nil {
			end, err = sc.Value(0, 0)
		}
		if err == nil {
			got = append(got, string(sc.Data[:end]))
			err = st.Advance(end)
		}
		if err != nil {
			if err = st.Skip(err); err != nil {
				t.Fatal(err)
			}
		}
		maxCap = max(maxCap, st.BufferCap())
	}
	if skipped != 1 || len(got) != 1 || got[0] != `{"a":1}` {
		t.Fatalf("skipped %d lines and decoded %q; want the long line skipped and the last decoded", skipped, got)
	}
	if maxCap > 2*jsonscan.MinRead {
		t.Errorf("the buffer grew to %d bytes for a malformed line", maxCap)
	}
}
