package fuzz

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// FuzzFrame: a Frame decodes a stream into as many rows as encoding/json
// finds objects (none with a key twice), and its JSON decodes to what
// encoding/json decodes from the input, row by row and key by key; or the
// decode fails with the module's DecodeError within the input, the Frame
// holding the objects encoding/json decodes before it.
func FuzzFrame(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s + "\n" + s))
		f.Add([]byte("[" + s + "," + s + "]"))
	}
	f.Add([]byte(`{"a":"x"} {"a":1} {"a":null} {"b":[1]} {"a":["s"],"b":true} {"a":1.5,"c":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := flyweight.DecodeFrame(bytes.NewReader(data))
		objs, plainErr := plainStream(data)
		_, _, hasDup := firstDuplicateKey(data, true)
		if err != nil {
			checkDecodeError(t, data, err, false, nil)
			if plainErr == nil && !hasDup {
				t.Fatalf("DecodeFrame(%q) failed (%v) where encoding/json did not", data, err)
			}
			before := plainPrefix(data)
			if fr.Len() > len(before) {
				t.Fatalf("DecodeFrame(%q) = %d rows and %v; encoding/json decodes only %d objects before failing", data, fr.Len(), err, len(before))
			}
			objs = before[:fr.Len()]
		} else if plainErr != nil || hasDup {
			t.Fatalf("DecodeFrame(%q) succeeded where encoding/json failed (%v) or a key repeats", data, plainErr)
		}
		if fr.Len() != len(objs) {
			t.Fatalf("%d rows, encoding/json found %d objects", fr.Len(), len(objs))
		}
		out, err := json.Marshal(fr)
		if err != nil {
			t.Fatal(err)
		}
		var back []map[string]any
		if err := json.Unmarshal(out, &back); err != nil || len(back) != len(objs) {
			t.Fatalf("the Frame's JSON %s does not decode into %d objects: %v", out, len(objs), err)
		}
		for i, m := range objs {
			if !reflect.DeepEqual(back[i], m) {
				t.Fatalf("row %d is %v, encoding/json %v", i, back[i], m)
			}
			for k, v := range m {
				if got, ok := fr.Get(i, k); !ok || !reflect.DeepEqual(got, v) {
					t.Fatalf("row %d: Get(%q) = %#v, %v; encoding/json %#v", i, k, got, ok, v)
				}
			}
		}
	})
}
