package slotdict_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

var streamSchema = slotdict.NewSchema("id", "name")

// readers returns the ways the tests feed a stream: whole, one byte per
// Read, and in halves with a data-bearing io.EOF.
func readers(in string) map[string]io.Reader {
	return map[string]io.Reader{
		"whole":    strings.NewReader(in),
		"one byte": iotest.OneByteReader(strings.NewReader(in)),
		"halves":   iotest.DataErrReader(iotest.HalfReader(strings.NewReader(in))),
	}
}

func TestDecodeAllForms(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     string // the records, printed
	}{
		{"array", `[{"id": 1, "name": "a"}, {"id": 2}]`, "[dict[id:1 name:a] dict[id:2]]"},
		{"array with whitespace", " \n[ {\"id\":1} ,\n{ } ]\n\t", "[dict[id:1] dict[]]"},
		{"empty array", `[]`, "[]"},
		{"JSON lines", "{\"id\": 1}\n{\"name\": \"b\"}\n", "[dict[id:1] dict[name:b]]"},
		{"concatenated", `{"id":1}{"id":2}  {"id":3}`, "[dict[id:1] dict[id:2] dict[id:3]]"},
		{"empty input", "", "[]"},
		{"only whitespace", " \n ", "[]"},
		{"braces in strings", `{"name": "}{]["}` + "\n" + `{"name": "\"}"}`, `[dict[name:}{][] dict[name:"}]]`},
	} {
		for how, r := range readers(tt.in) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				got, err := slotdict.DecodeAll[string, any](r, streamSchema)
				if err != nil {
					t.Fatal(err)
				}
				if s := fmt.Sprint(got); s != tt.want {
					t.Errorf("got %s, want %s", s, tt.want)
				}
			})
		}
	}
}

func TestDecodeAllErrors(t *testing.T) {
	for _, tt := range []struct {
		in    string
		count int // records decoded before the error
		decodeCase
	}{
		{`[{"id": 1}, {"id": 2, "x": 3}]`, 1, decodeCase{is: slotdict.ErrUnknownKey, offset: 22, key: "x", msg: `unknown key "x"`}},
		{"{\"id\": 1}\n{\"id\": 2}\n{\"id\": }", 2, decodeCase{is: slotdict.ErrSyntax, offset: 27, key: "id", msg: "looking for beginning of value"}},
		{`[{"id": 1}`, 1, decodeCase{is: slotdict.ErrSyntax, offset: 10, msg: "unexpected end of input"}},
		{`[{"id": 1},`, 1, decodeCase{is: slotdict.ErrSyntax, offset: 11, msg: "unexpected end of input"}},
		{`[{"id": 1},]`, 1, decodeCase{is: slotdict.ErrSyntax, offset: 11, msg: "looking for beginning of value"}},
		{`[{"id": 1} {"id": 2}]`, 1, decodeCase{is: slotdict.ErrSyntax, offset: 11, msg: "after array element"}},
		{`[{"id": 1}] {"id": 2}`, 1, decodeCase{is: slotdict.ErrSyntax, offset: 12, msg: "after top-level value"}},
		{`[1]`, 0, decodeCase{is: slotdict.ErrNotObject, offset: 1, msg: "found a number"}},
		{`{"id": 1} null`, 1, decodeCase{is: slotdict.ErrNotObject, offset: 10, msg: "found null"}},
		{`{"id": 1} {"id": 2, "id": 3}`, 1, decodeCase{is: slotdict.ErrDuplicateKey, offset: 20, key: "id", msg: `duplicate key "id" at byte offset 20`}},
		{`{"id": 1`, 0, decodeCase{is: slotdict.ErrSyntax, offset: 8, msg: "unexpected end of input"}},
		{`{"id": [}`, 0, decodeCase{is: slotdict.ErrSyntax, offset: 8, key: "id", msg: "looking for beginning of value"}},
		{`{"id": 1} {"id": "x"}`, 1, decodeCase{is: new(json.UnmarshalTypeError), offset: 17, key: "id", msg: `key "id" at byte offset 17: json: cannot unmarshal string`}},
	} {
		for how, r := range readers(tt.in) {
			t.Run(tt.in+"/"+how, func(t *testing.T) {
				got, err := slotdict.DecodeAll[string, int](r, streamSchema)
				if len(got) != tt.count {
					t.Errorf("%d records before the error, want %d", len(got), tt.count)
				}
				checkDecodeError(t, err, tt.decodeCase)
			})
		}
	}
}

// TestDecoderLongStream decodes a stream much longer than the read buffer,
// with an object bigger than it, and checks that an error at the end
// reports its offset from the start of the stream.
func TestDecoderLongStream(t *testing.T) {
	var b strings.Builder
	const n = 5000
	for i := range n {
		fmt.Fprintf(&b, "{\"id\": %d, \"name\": \"record %d\"}\n", i, i)
	}
	big := strings.Repeat("x", 200_000)
	fmt.Fprintf(&b, "{\"name\": %q}\n", big)
	offset := b.Len()
	b.WriteString(`{"id": 1, "oops": 2}`)
	for how, r := range readers(b.String()) {
		t.Run(how, func(t *testing.T) {
			got, err := slotdict.DecodeAll[string, any](r, streamSchema)
			checkDecodeError(t, err, decodeCase{is: slotdict.ErrUnknownKey, offset: int64(offset + 10), key: "oops", msg: "oops"})
			if len(got) != n+1 {
				t.Fatalf("%d records, want %d", len(got), n+1)
			}
			if v, _ := got[n-1].Get("name"); v != fmt.Sprint("record ", n-1) {
				t.Errorf("last small record: %v", got[n-1])
			}
			if v, _ := got[n].Get("name"); v != big {
				t.Errorf("big record has a name of %d bytes", len(v.(string)))
			}
		})
	}
}

func TestDecoderReadErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct {
		name  string
		r     io.Reader
		count int
	}{
		{"between records", io.MultiReader(strings.NewReader(`{"id": 1} `), iotest.ErrReader(boom)), 1},
		{"inside a record", io.MultiReader(strings.NewReader(`{"id": 1} {"id": 2, "na`), iotest.ErrReader(boom)), 1},
		{"inside an array", io.MultiReader(strings.NewReader(`[{"id": 1}, `), iotest.ErrReader(boom)), 1},
		{"after an array", io.MultiReader(strings.NewReader(`[{"id": 1}]`), iotest.ErrReader(boom)), 1},
		{"after an array element", io.MultiReader(strings.NewReader(`[{"id": 1}`), iotest.ErrReader(boom)), 1},
		{"at once", iotest.ErrReader(boom), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := slotdict.DecodeAll[string, int](tt.r, streamSchema)
			if err != boom || len(got) != tt.count {
				t.Errorf("DecodeAll = %d records, %v; want %d, boom", len(got), err, tt.count)
			}
		})
	}
	stuck := readerFunc(func([]byte) (int, error) { return 0, nil })
	if _, err := slotdict.DecodeAll[string, int](stuck, streamSchema); err != io.ErrNoProgress {
		t.Errorf("a reader that returns nothing: %v, want io.ErrNoProgress", err)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestDecoderErrorsAreFinal(t *testing.T) {
	dec := slotdict.NewDecoder[string, int](strings.NewReader(`{"id": 1} {"bad": 2} {"id": 3}`), streamSchema)
	if d, err := dec.Decode(); err != nil || d.Len() != 1 {
		t.Fatalf("first Decode: %v, %v", d, err)
	}
	_, err := dec.Decode()
	if !errors.Is(err, slotdict.ErrUnknownKey) {
		t.Fatalf("second Decode: %v", err)
	}
	if d, again := dec.Decode(); d != nil || again != err {
		t.Errorf("Decode after an error = %v, %v; want nil, the same error", d, again)
	}
	end := slotdict.NewDecoder[string, int](strings.NewReader(`[]`), streamSchema)
	for range 2 {
		if d, err := end.Decode(); d != nil || err != io.EOF {
			t.Errorf("Decode at the end = %v, %v; want nil, io.EOF", d, err)
		}
	}
}

func TestDecoderOptions(t *testing.T) {
	in := newCountingIntern()
	got, err := slotdict.DecodeAll[string, string](strings.NewReader(`[{"name": "n", "x": [1]}, {"name": "n"}]`), streamSchema,
		slotdict.WithIntern(in.intern), slotdict.WithSkipUnknown())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := got[0].Get("name")
	b, _ := got[1].Get("name")
	if in.calls != 2 || !sameString(a, b) {
		t.Errorf("intern called %d times; values shared: %v", in.calls, sameString(a, b))
	}
}

func TestNewDecoderPanicsOnNilSchema(t *testing.T) {
	wantPanic(t, "slotdict: NewDecoder with a nil schema", func() { slotdict.NewDecoder[string, int](strings.NewReader(""), nil) })
}
