package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"testing"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// dictSchema holds the keys of the seeds' records: inst.json's, some of
// go list's, and short ones for the fuzzer to find.
var dictSchema = slotdict.NewSchema("Name", "Bits", "Arch", "Syntax", "Code", "Alias",
	"ImportPath", "Deps", "Module", "Goroot", "a", "b", "x", "y", "z")

// inSchema reports whether every key of m is in dictSchema.
func inSchema(m map[string]any) bool {
	for k := range m {
		if !dictSchema.Has(k) {
			return false
		}
	}
	return true
}

func contents(d *slotdict.Dict[string, any]) map[string]any {
	return maps.Collect(d.All())
}

// FuzzDictJSON: a Dict decodes exactly the objects that encoding/json
// decodes into a map whose keys are all in the schema, holds the same data,
// is unchanged by a failed decode, and round-trips; interning values does
// not change what is decoded.
func FuzzDictJSON(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := slotdict.New[string, any](dictSchema)
		if err := d.Set("a", "before"); err != nil {
			t.Fatal(err)
		}
		before := contents(d)
		err := d.DecodeJSON(data, slotdict.WithIntern(intern.Bytes))

		var m map[string]any
		plainErr := json.Unmarshal(data, &m)
		if err != nil {
			var de *slotdict.DecodeError
			if !errors.As(err, &de) || de.Offset < 0 || de.Offset > int64(len(data)) {
				t.Fatalf("error %v has no offset within the input", err)
			}
			if !reflect.DeepEqual(contents(d), before) {
				t.Fatalf("a failed decode (%v) changed the dict", err)
			}
			if plainErr == nil && m != nil && inSchema(m) {
				t.Fatalf("decoding %q failed (%v) where encoding/json did not", data, err)
			}
			return
		}
		if plainErr != nil {
			t.Fatalf("decoding %q succeeded where encoding/json failed: %v", data, plainErr)
		}
		if m == nil { // null leaves the dict as it was
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(out, m) {
			t.Fatalf("dict %s holds other data than encoding/json's %v", out, m)
		}
		back := slotdict.New[string, any](dictSchema)
		if err := back.DecodeJSON(out); err != nil || !reflect.DeepEqual(contents(back), contents(d)) {
			t.Fatalf("round trip of %s: %v", out, err)
		}
	})
}

// FuzzDictStream: a stream decodes into Dicts exactly when encoding/json
// finds a stream of objects with keys in the schema, holding the same data.
func FuzzDictStream(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s + "\n" + s))
		f.Add([]byte("[" + s + "," + s + "]"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dicts, err := slotdict.DecodeAll[any](bytes.NewReader(data), dictSchema)
		objs, plainErr := plainStream(data)
		ok := plainErr == nil
		for _, o := range objs {
			ok = ok && inSchema(o)
		}
		if err != nil {
			var de *slotdict.DecodeError
			if !errors.As(err, &de) || de.Offset < 0 || de.Offset > int64(len(data)) {
				t.Fatalf("DecodeAll(%q): %v has no offset within the input", data, err)
			}
			if ok {
				t.Fatalf("DecodeAll(%q) failed (%v) where encoding/json did not", data, err)
			}
			return
		}
		if !ok {
			t.Fatalf("DecodeAll(%q) succeeded where encoding/json failed (%v) or found unknown keys", data, plainErr)
		}
		if len(dicts) != len(objs) {
			t.Fatalf("%d dicts, encoding/json found %d objects", len(dicts), len(objs))
		}
		for i, d := range dicts {
			out, err := json.Marshal(d)
			if err != nil || !sameJSON(out, objs[i]) {
				t.Fatalf("dict %d is %s, encoding/json %v (%v)", i, out, objs[i], err)
			}
		}
	})
}
