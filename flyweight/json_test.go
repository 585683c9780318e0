package flyweight_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

func TestRecordJSONRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := flyweight.NewRecord[int]()
		keys := rapid.SliceOfDistinct(rapid.StringN(0, 6, -1), rapid.ID).Draw(t, "keys")
		for _, k := range keys {
			r.Set(k, rapid.Int().Draw(t, "v"))
		}
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back flyweight.Record[int]
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("decoding %s: %v", data, err)
		}
		if back.Schema() != r.Schema() {
			t.Fatalf("decoded schema %v, want the shared %v", back.Schema(), r.Schema())
		}
		for k, v := range r.All() {
			if got, ok := back.Get(k); !ok || got != v {
				t.Fatalf("%s: got %d, %v; want %d", data, got, ok, v)
			}
		}
		// What encoding/json makes of the same text agrees.
		var m map[string]int
		if err := json.Unmarshal(data, &m); err != nil || len(m) != back.Len() {
			t.Fatalf("encoding/json: %v, %d keys; Record: %d keys", err, len(m), back.Len())
		}
	})
}

func TestRecordAnyValues(t *testing.T) {
	in := `{"name":"fmt","deps":["io","os"],"mixed":[1,"a",null],"empty":[],"module":{"path":"std","main":true},"n":1.5,"nil":null}`
	var r flyweight.Record[any]
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if deps, _ := r.Get("deps"); !reflect.DeepEqual(deps, []string{"io", "os"}) {
		t.Errorf("deps = %#v, want []string", deps)
	}
	if mixed, _ := r.Get("mixed"); !reflect.DeepEqual(mixed, []any{1.0, "a", nil}) {
		t.Errorf("mixed = %#v", mixed)
	}
	if empty, _ := r.Get("empty"); !reflect.DeepEqual(empty, []any{}) {
		t.Errorf("empty = %#v, want an empty []any as encoding/json makes", empty)
	}
	mod, _ := r.Get("module")
	if m, ok := mod.(*flyweight.Record[any]); !ok || m.String() != "map[path:std main:true]" {
		t.Errorf("module = %#v, want a *Record[any]", mod)
	}
	out, err := json.Marshal(&r)
	if err != nil || string(out) != in {
		t.Fatalf("re-encoded as %s (%v), want %s", out, err, in)
	}
}

func TestRecordUnmarshalErrors(t *testing.T) {
	tests := []struct {
		in     string
		target error
		offset int64
		key    string
	}{
		{`{"a":1,"a":2}`, flyweight.ErrDuplicateKey, 7, "a"},
		{`{"a":1`, flyweight.ErrSyntax, 6, ""},
		{`{"a":}`, flyweight.ErrSyntax, 5, "a"},
		{`{"a":1}x`, flyweight.ErrSyntax, 7, ""},
		{`[{"a":1}]`, flyweight.ErrNotObject, 0, ""},
		{`"a"`, flyweight.ErrNotObject, 0, ""},
		{``, flyweight.ErrSyntax, 0, ""},
		{`{"a":"x"}`, nil, 5, "a"}, // a string for an int
		{`{"a":{"b":[1,2}}`, flyweight.ErrSyntax, 14, "a"},
		{"\xef\xbb\xbf{}", flyweight.ErrSyntax, 0, ""},
		{`{"a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, flyweight.ErrSyntax, 5 + 9999, "a"},
	}
	for _, tt := range tests {
		r := flyweight.NewRecord[int]()
		r.Set("keep", 1)
		err := r.UnmarshalJSON([]byte(tt.in))
		var de *flyweight.DecodeError
		if !errors.As(err, &de) {
			t.Errorf("UnmarshalJSON(%.40q) = %v, want a *DecodeError", tt.in, err)
			continue
		}
		if tt.target != nil && !errors.Is(err, tt.target) {
			t.Errorf("UnmarshalJSON(%.40q) = %v, want %v", tt.in, err, tt.target)
		}
		if de.Offset != tt.offset || de.Key != tt.key {
			t.Errorf("UnmarshalJSON(%.40q): offset %d, key %q; want %d, %q (%v)", tt.in, de.Offset, de.Key, tt.offset, tt.key, err)
		}
		if v, ok := r.Get("keep"); r.Len() != 1 || !ok || v != 1 {
			t.Errorf("UnmarshalJSON(%.40q) changed the record to %v", tt.in, r)
		}
	}
}

func TestRecordUnmarshalNull(t *testing.T) {
	r := flyweight.NewRecord[int]()
	r.Set("x", 1)
	if err := json.Unmarshal([]byte("null"), r); err != nil || r.Len() != 1 {
		t.Fatalf("null: %v, %v", err, r)
	}
}

const stream = `{"ImportPath":"errors","Deps":["internal/reflectlite"]}
{"ImportPath":"io","Deps":["errors","sync"],"Goroot":true}
{"ImportPath":"fmt","Deps":["io"]}
`

func TestDecodeRecordsSharesSchemas(t *testing.T) {
	for name, in := range map[string]string{
		"lines": stream,
		"array": "[" + strings.ReplaceAll(strings.TrimSpace(stream), "\n", ",") + "]",
	} {
		recs, err := flyweight.DecodeRecords[any](strings.NewReader(in))
		if err != nil || len(recs) != 3 {
			t.Fatalf("%s: %d records, %v", name, len(recs), err)
		}
		if recs[0].Schema() != recs[2].Schema() || recs[0].Schema() == recs[1].Schema() {
			t.Errorf("%s: schemas %v %v %v", name, recs[0].Schema(), recs[1].Schema(), recs[2].Schema())
		}
		if p, _ := recs[1].Get("ImportPath"); p != "io" {
			t.Errorf("%s: record 1 = %v", name, recs[1])
		}
	}
}

func TestDecodeRecordsErrors(t *testing.T) {
	tests := []struct {
		in     string
		target error
		offset int64
	}{
		{stream + `[1]`, flyweight.ErrNotObject, int64(len(stream))},
		{`[{"a":1}, 2]`, flyweight.ErrNotObject, 10},
		{`[{"a":1}, null]`, flyweight.ErrNotObject, 10},
		{`{"a":1} {"a":1,"a":2}`, flyweight.ErrDuplicateKey, 15},
		{`{"a":1} {"a":`, flyweight.ErrSyntax, 13},
		{`[{"a":1} {"b":2}]`, flyweight.ErrSyntax, 9},
	}
	for _, tt := range tests {
		recs, err := flyweight.DecodeRecords[any](strings.NewReader(tt.in))
		var de *flyweight.DecodeError
		if recs != nil || !errors.As(err, &de) || !errors.Is(err, tt.target) || de.Offset != tt.offset {
			t.Errorf("DecodeRecords(%q) = %d records, %v; want %v at offset %d", tt.in, len(recs), err, tt.target, tt.offset)
		}
	}
}

// TestDecodeErrorKeysAreCopies: decoding looks keys up where they are in
// the input, so the key an error names must be a copy: the caller may reuse
// the input, and a stream reuses its buffer.
func TestDecodeErrorKeysAreCopies(t *testing.T) {
	for _, in := range []string{`{"dup":1,"dup":2}`, `{"key":tru}`, `{"key":{"inner":x}}`} {
		data := []byte(in)
		err := flyweight.NewRecord[any]().UnmarshalJSON(data)
		var de *flyweight.DecodeError
		if !errors.As(err, &de) || de.Key == "" {
			t.Fatalf("UnmarshalJSON(%s) = %v, want a DecodeError naming a key", in, err)
		}
		key := strings.Clone(de.Key)
		for i := range data {
			data[i] = 'X'
		}
		if de.Key != key {
			t.Errorf("UnmarshalJSON(%s): the error's key changed from %q to %q with the input", in, key, de.Key)
		}
	}
}

// TestDecodeRecordsDepth: each element of a stream, in an array or not, is
// decoded as UnmarshalJSON decodes it, so both accept the deepest object that
// encoding/json accepts on its own, and refuse one level more.
func TestDecodeRecordsDepth(t *testing.T) {
	nested := func(n int) string { return `{"a":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}` }
	deepest, deeper := nested(9999), nested(10000)
	if err := json.Unmarshal([]byte(deepest), new(map[string]any)); err != nil {
		t.Fatalf("encoding/json refuses the deepest object: %v", err)
	}
	if err := json.Unmarshal([]byte(deeper), new(map[string]any)); err == nil {
		t.Fatal("encoding/json accepts an object beyond its depth limit")
	}
	if err := flyweight.NewRecord[any]().UnmarshalJSON([]byte(deepest)); err != nil {
		t.Fatalf("UnmarshalJSON: %v", err)
	}
	for _, in := range []string{deepest, "[" + deepest + "]", deepest + "\n" + deepest} {
		if _, err := flyweight.DecodeRecords[any](strings.NewReader(in)); err != nil {
			t.Errorf("DecodeRecords(%.12q…): %v", in, err)
		}
	}
	for _, in := range []string{deeper, "[" + deeper + "]"} {
		if _, err := flyweight.DecodeRecords[any](strings.NewReader(in)); !errors.Is(err, flyweight.ErrSyntax) {
			t.Errorf("DecodeRecords(%.12q…) = %v, want a depth error", in, err)
		}
	}
}

// TestDecodeRecordsAllocations pins what the documentation says: keys seen
// before cost no allocation, so a record of known keys and number values
// costs two (the Record and its values), plus the decoder's own few.
func TestDecodeRecordsAllocations(t *testing.T) {
	const n = 200
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, `{"x":%d,"y":%d,"z":%d}`+"\n", i, i+1, i+2)
	}
	data := in.String()
	flyweight.DecodeRecords[int](strings.NewReader(data)) // the keys and schema exist from here on
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := flyweight.DecodeRecords[int](strings.NewReader(data)); err != nil {
			panic(err)
		}
	})
	t.Logf("%v allocations for %d records", allocs, n)
	if per := (allocs - 30) / n; per > 2 {
		t.Fatalf("%v allocations for %d records: %.2f per record beyond 30, want ≤ 2", allocs, n, per)
	}
}
