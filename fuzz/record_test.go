package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// recordSeeds are objects shaped like real records, and the malformed
// cases every JSON target starts from.
var recordSeeds = []string{
	`{"Name":"ADC","Bits":"0|0|0|1|1|0|1|0|0|0|0|Rm:5|0|0|0|0|0|0|Rn:5|Rd:5","Arch":"32-bit variant"}`,
	`{"ImportPath":"fmt","Deps":["errors","io","os"],"Module":{"Path":"std","Main":true},"Goroot":true}`,
	`{"x":1,"y":2,"z":3}`,
	`{}`, `{"a":null}`, `{"a":1e400}`, `{"a":-0.0}`, `{"a":12345678901234567890123}`,
	`{"a":1,"a":2}`, `{"a":1`, `{"a"`, `{`, `[{"a":1}]`, `"str"`, `null`, ``,
	"\xef\xbb\xbf{\"a\":1}", "{\"\xff\":\"\xfe\"}", `{"\u00e9\ud800":"\n\t\""}`,
	`{"a":` + strings.Repeat(`[`, 10001) + strings.Repeat(`]`, 10001) + `}`,
	`{"a":[1,"b",{"c":[true,false,null]}]}`,
}

// FuzzRecordJSON: a Record decodes exactly the objects encoding/json decodes
// into a map (but for duplicate keys, which it refuses), holds the same
// data, is unchanged by a failed decode, and round-trips.
func FuzzRecordJSON(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := new(flyweight.Record[any])
		r.Set("keep", "me")
		err := r.UnmarshalJSON(data)

		var m map[string]any
		plainErr := json.Unmarshal(data, &m)
		if err != nil {
			checkRecordError(t, data, err, true)
			if v, _ := r.Get("keep"); r.Len() != 1 || v != "me" {
				t.Fatalf("a failed decode (%v) changed the record to %v", err, r)
			}
			if plainErr == nil && m != nil && !errors.Is(err, flyweight.ErrDuplicateKey) {
				t.Fatalf("decoding %q failed (%v) where encoding/json did not", data, err)
			}
			return
		}
		if plainErr != nil {
			t.Fatalf("decoding %q succeeded where encoding/json failed: %v", data, plainErr)
		}
		if m == nil { // JSON null: a no-op, as for any Go value
			if v, _ := r.Get("keep"); r.Len() != 1 || v != "me" {
				t.Fatalf("decoding %q changed the record to %v", data, r)
			}
			return
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(out, m) {
			t.Fatalf("record %s holds other data than encoding/json's %v", out, m)
		}
		var back flyweight.Record[any]
		if err := json.Unmarshal(out, &back); err != nil || back.Schema() != r.Schema() {
			t.Fatalf("round trip of %s: %v", out, err)
		}
		if again, err := json.Marshal(&back); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("round trip of %s gave %s (%v)", out, again, err)
		}
	})
}

// FuzzDecodeRecords: a stream decodes into as many Records as encoding/json
// finds objects, or fails as a whole with an offset within the input.
func FuzzDecodeRecords(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s + "\n" + s))
		f.Add([]byte("[" + s + "," + s + "]"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data))
		objs, plainErr := plainStream(data)
		if err != nil {
			if recs != nil {
				t.Fatalf("DecodeRecords(%q) = %d records and %v", data, len(recs), err)
			}
			checkRecordError(t, data, err, false)
			if plainErr == nil && !errors.Is(err, flyweight.ErrDuplicateKey) {
				t.Fatalf("DecodeRecords(%q) failed (%v) where encoding/json did not", data, err)
			}
			return
		}
		if plainErr != nil {
			t.Fatalf("DecodeRecords(%q) succeeded where encoding/json failed: %v", data, plainErr)
		}
		if len(recs) != len(objs) {
			t.Fatalf("%d records, encoding/json found %d objects", len(recs), len(objs))
		}
		for i, r := range recs {
			out, err := json.Marshal(r)
			if err != nil || !sameJSON(out, objs[i]) {
				t.Fatalf("record %d is %s, encoding/json %v (%v)", i, out, objs[i], err)
			}
		}
	})
}

// checkRecordError checks an error of decoding data, a single JSON document
// or (if !single) a stream, into Records of any: a *DecodeError with an
// offset within data that is exactly one of a syntax error (ErrSyntax),
// where encoding/json finds the document's first one; not an object
// (ErrNotObject); a duplicate key (ErrDuplicateKey), naming the first key
// that occurs twice in an object of data, before any syntax error; or a value
// that encoding/json cannot decode into an any (a number out of range).
func checkRecordError(t *testing.T, data []byte, err error, single bool) {
	t.Helper()
	var de *flyweight.DecodeError
	if !errors.As(err, &de) || de.Offset < 0 || de.Offset > int64(len(data)) {
		t.Fatalf("decoding %q: %v has no offset within the input", data, err)
	}
	var te *json.UnmarshalTypeError
	syntax, notObject, dup, value := errors.Is(err, flyweight.ErrSyntax), errors.Is(err, flyweight.ErrNotObject), errors.Is(err, flyweight.ErrDuplicateKey), errors.As(err, &te)
	switch {
	case !exactlyOne(syntax, notObject, dup, value):
		t.Fatalf("decoding %q: %v matches ErrSyntax: %v, ErrNotObject: %v, ErrDuplicateKey: %v, a value error: %v; want exactly one", data, err, syntax, notObject, dup, value)
	case syntax && single:
		checkSyntaxError(t, data, de.Offset, err, false)
	case dup:
		if k, ok := firstDuplicateKey(data); !ok || k != de.Key {
			t.Fatalf("decoding %q: %v; the first duplicate key is %q (%v)", data, err, k, ok)
		}
	}
}

// plainStream decodes a JSON array of objects, or objects separated by
// white space, with encoding/json; anything that is not an object fails.
func plainStream(data []byte) ([]map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		var raw []json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, errors.New("data after the array")
		}
		out := make([]map[string]any, len(raw))
		for i, r := range raw {
			if err := decodeObject(r, &out[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	var out []map[string]any
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := decodeObject(raw, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
}

func decodeObject(raw json.RawMessage, m *map[string]any) error {
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return errors.New("not an object")
	}
	return json.Unmarshal(raw, m)
}

// sameJSON reports whether the JSON text a encodes the same data as v, as
// encoding/json sees both.
func sameJSON(a []byte, v any) bool {
	var x any
	if err := json.Unmarshal(a, &x); err != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	vb, _ := json.Marshal(v)
	return bytes.Equal(xb, vb)
}
