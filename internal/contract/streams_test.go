package contract_test

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// stream decodes a whole stream with one of the module's stream decoders,
// with or without skipping bad lines, and returns the JSON of the records
// it kept, in order, with its error.
type stream func(r io.Reader, skip func(*slotdict.DecodeError)) ([]string, error)

// rowsOf gives the JSON of each value.
func rowsOf[T any](t *testing.T, vs []T) []string {
	var rows []string
	for _, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, string(b))
	}
	return rows
}

// frameRows gives the JSON of each row of f.
func frameRows(f *flyweight.Frame) []string {
	var rows []string
	for i := range f.Len() {
		rows = append(rows, string(f.AppendJSON(nil, i)))
	}
	return rows
}

func streams(t *testing.T) map[string]stream {
	schema := slotdict.NewSchema("a")
	dictOpts := func(skip func(*slotdict.DecodeError)) []slotdict.Option {
		if skip == nil {
			return nil
		}
		return []slotdict.Option{slotdict.WithSkipBadLines(skip)}
	}
	flyOpts := func(skip func(*slotdict.DecodeError)) []flyweight.Option {
		if skip == nil {
			return nil
		}
		return []flyweight.Option{flyweight.WithSkipBadLines(skip)}
	}
	return map[string]stream{
		"slotdict.DecodeAll": func(r io.Reader, skip func(*slotdict.DecodeError)) ([]string, error) {
			ds, err := slotdict.DecodeAll[string, any](r, schema, dictOpts(skip)...)
			return rowsOf(t, ds), err
		},
		"slotdict.Decoder": func(r io.Reader, skip func(*slotdict.DecodeError)) ([]string, error) {
			dec := slotdict.NewDecoder[string, any](r, schema, dictOpts(skip)...)
			var ds []*slotdict.Dict[string, any]
			for {
				d, err := dec.Decode()
				if err == io.EOF {
					return rowsOf(t, ds), nil
				}
				if err != nil {
					if d, again := dec.Decode(); again != err || d != nil {
						t.Errorf("Decoder: Decode after %v gave %v, %v, want the same error again", err, d, again)
					}
					return rowsOf(t, ds), err
				}
				ds = append(ds, d)
			}
		},
		"flyweight.DecodeRecords": func(r io.Reader, skip func(*slotdict.DecodeError)) ([]string, error) {
			rs, err := flyweight.DecodeRecords[any](r, flyOpts(skip)...)
			return rowsOf(t, rs), err
		},
		"flyweight.DecodeFrame": func(r io.Reader, skip func(*slotdict.DecodeError)) ([]string, error) {
			f, err := flyweight.DecodeFrame(r, flyOpts(skip)...)
			return frameRows(f), err
		},
		"flyweight.Frame.Decode": func(r io.Reader, skip func(*slotdict.DecodeError)) ([]string, error) {
			f := new(flyweight.Frame) // the zero Frame, without options
			if skip != nil {
				var err error
				if f, err = flyweight.DecodeFrame(strings.NewReader(""), flyOpts(skip)...); err != nil {
					return nil, err
				}
			}
			err := f.Decode(r)
			return frameRows(f), err
		},
	}
}

// failingReader gives its text, then err.
type failingReader struct {
	text string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, r.err
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

// TestStreamsShareTheErrorRule: every stream decoder of the module ends
// its stream at the first error, returning exactly the records before it,
// in order, with the one DecodeError at the same offset and line, or the
// reader's error; once a Decoder has failed it gives the same error again.
// With skipping, each skips the same records, reports each once, and keeps
// the records on either side, or ends where skipping cannot go on.
func TestStreamsShareTheErrorRule(t *testing.T) {
	errRead := errors.New("read failed")
	for _, tt := range []struct {
		name     string
		in       func() io.Reader
		rows     []string // kept without skipping
		kind     error    // of the error without skipping
		offset   int64
		line     int
		skipRows []string // kept with skipping
		skipErr  bool     // whether skipping ends with the same error
		reported []int64  // the offsets reported by skipping
	}{{
		name: "a syntax error in an array",
		in:   func() io.Reader { return strings.NewReader(`[{"a":1},{"a":2},{"a":},{"a":4}]`) },
		rows: []string{`{"a":1}`, `{"a":2}`},
		kind: slotdict.ErrSyntax, offset: 22, line: 1,
		skipRows: []string{`{"a":1}`, `{"a":2}`}, skipErr: true,
	}, {
		name: "an array element that is not an object",
		in:   func() io.Reader { return strings.NewReader("[{\"a\":1},\n2,\n{\"a\":3}]") },
		rows: []string{`{"a":1}`},
		kind: slotdict.ErrNotObject, offset: 10, line: 2,
		skipRows: []string{`{"a":1}`, `{"a":3}`}, reported: []int64{10},
	}, {
		name: "a syntax error in JSON Lines",
		in:   func() io.Reader { return strings.NewReader("{\"a\":1}\n{\"a\":2}\n{\"a\":}\n{\"a\":4}\n") },
		rows: []string{`{"a":1}`, `{"a":2}`},
		kind: slotdict.ErrSyntax, offset: 21, line: 3,
		skipRows: []string{`{"a":1}`, `{"a":2}`, `{"a":4}`}, reported: []int64{21},
	}, {
		name:     "a reader's error",
		in:       func() io.Reader { return &failingReader{"{\"a\":1}\n{\"a\":2}\n{\"a\"", errRead} },
		rows:     []string{`{"a":1}`, `{"a":2}`},
		kind:     errRead,
		skipRows: []string{`{"a":1}`, `{"a":2}`}, skipErr: true,
	}} {
		var want error
		for name, decode := range streams(t) {
			rows, err := decode(tt.in(), nil)
			if !slices.Equal(rows, tt.rows) || !errors.Is(err, tt.kind) {
				t.Errorf("%s, %s: %q, %v; want %q and an error matching %v", name, tt.name, rows, err, tt.rows, tt.kind)
				continue
			}
			if tt.kind != errRead {
				var de *slotdict.DecodeError
				if !errors.As(err, &de) || de.Offset != tt.offset || de.Line != tt.line {
					t.Errorf("%s, %s: %v, want a DecodeError at byte offset %d, line %d", name, tt.name, err, tt.offset, tt.line)
				}
			}
			if want == nil {
				want = err
			} else if err.Error() != want.Error() {
				t.Errorf("%s, %s: %q, another stream said %q", name, tt.name, err, want)
			}

			var reported []int64
			rows, err = decode(tt.in(), func(de *slotdict.DecodeError) { reported = append(reported, de.Offset) })
			if !slices.Equal(rows, tt.skipRows) || (err != nil) != tt.skipErr || (tt.skipErr && err.Error() != want.Error()) || !slices.Equal(reported, tt.reported) {
				t.Errorf("%s, %s, skipping: %q, %v, reported at %v; want %q, the error: %v, reported at %v",
					name, tt.name, rows, err, reported, tt.skipRows, tt.skipErr, tt.reported)
			}
		}
	}
}
