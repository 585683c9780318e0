package flyweight_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

func TestRecordJSONRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := new(flyweight.Record[int])
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

// TestRecordAnyValuesAreWhatEncodingJSONGives: the values of a Record[any]
// are exactly what encoding/json decodes into a map[string]any (arrays are
// []any whatever their elements, objects map[string]any), and nested
// objects become Records only with WithNestedRecords.
func TestRecordAnyValuesAreWhatEncodingJSONGives(t *testing.T) {
	in := `{"name":"fmt","deps":["io","os"],"mixed":[1,"a",null],"empty":[],"module":{"path":"std","main":true,"tags":[{"t":1}]},"n":1.5,"big":9007199254740993,"nil":null}`
	var want map[string]any
	if err := json.Unmarshal([]byte(in), &want); err != nil {
		t.Fatal(err)
	}
	var r flyweight.Record[any]
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if got := maps.Collect(r.All()); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %#v\nencoding/json %#v", got, want)
	}

	var nested flyweight.Record[any]
	if err := nested.DecodeJSON([]byte(in), flyweight.WithNestedRecords(), flyweight.WithUseNumber()); err != nil {
		t.Fatal(err)
	}
	mod, _ := nested.Get("module")
	m, ok := mod.(*flyweight.Record[any])
	if !ok || m.String() != "map[path:std main:true tags:[map[t:1]]]" {
		t.Fatalf("module = %#v, want a *Record[any] with WithNestedRecords", mod)
	}
	if tags, _ := m.Get("tags"); !reflect.DeepEqual(reflect.TypeOf(tags.([]any)[0]), reflect.TypeFor[*flyweight.Record[any]]()) {
		t.Errorf("an object inside an array is %T, want a *Record[any]", tags.([]any)[0])
	}
	out, err := json.Marshal(&nested)
	if err != nil || string(out) != in {
		t.Fatalf("re-encoded as %s (%v), want %s", out, err, in)
	}
}

// TestRecordUseNumberKeepsNumbersExactly: with WithUseNumber, numbers are
// json.Number holding their text, as json.Decoder.UseNumber gives, and a
// number above 2⁵³ survives a round trip.
func TestRecordUseNumberKeepsNumbersExactly(t *testing.T) {
	in := `{"big":9007199254740993,"list":[1.50,{"x":-0}]}`
	var r flyweight.Record[any]
	if err := r.DecodeJSON([]byte(in), flyweight.WithUseNumber()); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(in))
	dec.UseNumber()
	var want map[string]any
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if got := maps.Collect(r.All()); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %#v\njson.Decoder.UseNumber %#v", got, want)
	}
	if out, err := json.Marshal(&r); err != nil || string(out) != in {
		t.Errorf("re-encoded as %s (%v), want %s", out, err, in)
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
		r := new(flyweight.Record[int])
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
	r := new(flyweight.Record[int])
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
		before int // records decoded before the error, which DecodeRecords returns with it
		target error
		offset int64
	}{
		{stream + `[1]`, 3, flyweight.ErrNotObject, int64(len(stream))},
		{`[{"a":1}, 2]`, 1, flyweight.ErrNotObject, 10},
		{`[{"a":1}, null]`, 1, flyweight.ErrNotObject, 10},
		{`{"a":1} {"a":1,"a":2}`, 1, flyweight.ErrDuplicateKey, 15},
		{`{"a":1} {"a":`, 1, flyweight.ErrSyntax, 13},
		{`[{"a":1} {"b":2}]`, 1, flyweight.ErrSyntax, 9},
		{`{"a":[{"b":1,"b":2}]}`, 0, flyweight.ErrDuplicateKey, 13},
	}
	for _, tt := range tests {
		recs, err := flyweight.DecodeRecords[any](strings.NewReader(tt.in))
		var de *flyweight.DecodeError
		if len(recs) != tt.before || !errors.As(err, &de) || !errors.Is(err, tt.target) || de.Offset != tt.offset {
			t.Errorf("DecodeRecords(%q) = %d records, %v; want the %d before %v at offset %d", tt.in, len(recs), err, tt.before, tt.target, tt.offset)
		}
	}
}

// TestDecodeErrorKeysAreCopies: decoding looks keys up where they are in
// the input, so the key an error names must be a copy: the caller may reuse
// the input, and a stream reuses its buffer.
func TestDecodeErrorKeysAreCopies(t *testing.T) {
	for _, in := range []string{`{"dup":1,"dup":2}`, `{"key":tru}`, `{"key":{"inner":x}}`} {
		data := []byte(in)
		err := new(flyweight.Record[any]).UnmarshalJSON(data)
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
	if err := new(flyweight.Record[any]).UnmarshalJSON([]byte(deepest)); err != nil {
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

// TestDecodeRecordsFindsDuplicatesAfterAWiderRecord: the key scratch space
// that records reuse finds a duplicate among the first keys of a record that
// follows a wider one, in a stream and among nested records alike.
func TestDecodeRecordsFindsDuplicatesAfterAWiderRecord(t *testing.T) {
	object := func(n int, dup bool) string {
		var b strings.Builder
		b.WriteByte('{')
		for i := range n {
			fmt.Fprintf(&b, "%q:%d,", fmt.Sprint("k", i), i)
		}
		if dup {
			b.WriteString(`"k0":99,`)
		}
		return strings.TrimSuffix(b.String(), ",") + "}"
	}
	in := object(20, false) + "\n" + object(10, true)
	recs, err := flyweight.DecodeRecords[int](strings.NewReader(in))
	if len(recs) != 1 || !errors.Is(err, flyweight.ErrDuplicateKey) {
		t.Errorf("stream: %d records, %v; want 1 and a duplicate key", len(recs), err)
	}
	var r flyweight.Record[any]
	nested := `{"a":[` + object(20, false) + "," + object(10, true) + `]}`
	if err := r.DecodeJSON([]byte(nested), flyweight.WithNestedRecords()); !errors.Is(err, flyweight.ErrDuplicateKey) {
		t.Errorf("nested records: %v; want a duplicate key", err)
	}
	if err := r.DecodeJSON([]byte(nested), flyweight.WithNestedRecords(), flyweight.WithAllowDuplicates()); err != nil {
		t.Errorf("nested records, duplicates allowed: %v", err)
	}
}
