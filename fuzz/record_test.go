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
		_, _, hasDup := firstDuplicateKey(data, false)
		if err != nil {
			checkDecodeError(t, data, err, true, nil)
			if v, _ := r.Get("keep"); r.Len() != 1 || v != "me" {
				t.Fatalf("a failed decode (%v) changed the record to %v", err, r)
			}
			if plainErr == nil && m != nil && !hasDup {
				t.Fatalf("decoding %q failed (%v) where encoding/json did not", data, err)
			}
			return
		}
		if hasDup {
			t.Fatalf("decoding %q succeeded, but it has a key twice", data)
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
// finds objects (none with a key twice), holding the same data; or fails
// with an offset within the input, returning the records decoded before
// the error, which are the objects encoding/json decodes before it. With
// WithSkipBadLines, the Records are exactly the lines (or the elements of a
// valid array) that decode alone, and the others are reported
// (checkSkipBadLines).
func FuzzDecodeRecords(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s + "\n" + s))
		f.Add([]byte("[" + s + "," + s + "]"))
	}
	f.Add([]byte("{\"a\":1}\n{\"a\":\n\n\x00\xff\n{\"a\":2} {\"a\":3}\n7\n {\"b\":[1]}\r\n{\"a\":1,\"a\":2}"))
	f.Add([]byte(`[{"a":1}, 3, {"a":1,"a":1}, {"b":2}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSkipBadLines(t, data, recordsSkipping, recordAlone)
		recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data))
		objs, plainErr := plainStream(data)
		_, _, hasDup := firstDuplicateKey(data, true)
		if err != nil {
			checkDecodeError(t, data, err, false, nil)
			if plainErr == nil && !hasDup {
				t.Fatalf("DecodeRecords(%q) failed (%v) where encoding/json did not", data, err)
			}
			before := plainPrefix(data)
			if len(recs) > len(before) {
				t.Fatalf("DecodeRecords(%q) = %d records and %v; encoding/json decodes only %d objects before failing", data, len(recs), err, len(before))
			}
			objs = before[:len(recs)]
		} else if plainErr != nil || hasDup {
			t.Fatalf("DecodeRecords(%q) succeeded where encoding/json failed (%v) or a key repeats", data, plainErr)
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

// plainPrefix returns the objects that encoding/json decodes from the
// start of data, a JSON array of objects or objects separated by white
// space, before the first element that fails or is not an object.
func plainPrefix(data []byte) []map[string]any {
	dec := json.NewDecoder(bytes.NewReader(data))
	array := false
	if startsWith(data, '[') {
		if _, err := dec.Token(); err != nil {
			return nil
		}
		array = true
	}
	var out []map[string]any
	for !array || dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out
		}
		var m map[string]any
		if err := decodeObject(raw, &m); err != nil {
			return out
		}
		out = append(out, m)
	}
	return out
}

// plainStream decodes a JSON array of objects, or objects separated by
// white space, with encoding/json; anything that is not an object fails.
func plainStream(data []byte) ([]map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if startsWith(data, '[') {
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
	if !startsWith(raw, '{') {
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
