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
// decodes into a map whose keys are all in the schema and that have no key
// twice, holds the same data, is unchanged by a failed decode, and
// round-trips; interning values does not change what is decoded. A zero
// Dict, which adopts the object's keys, decodes the same objects whatever
// their keys.
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
		_, _, hasDup := firstDuplicateKey(data, false)
		checkSkipUnknown(t, data, m, plainErr)
		checkAdopted(t, data, m, plainErr, hasDup)
		if err != nil {
			checkDecodeError(t, data, err, true, dictSchema)
			if !reflect.DeepEqual(contents(d), before) {
				t.Fatalf("a failed decode (%v) changed the dict", err)
			}
			if plainErr == nil && m != nil && inSchema(m) && !hasDup {
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
		if m == nil { // null leaves the dict as it was
			if !reflect.DeepEqual(contents(d), before) {
				t.Fatalf("decoding %q changed the dict to %v", data, contents(d))
			}
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

// checkAdopted: a zero Dict decodes what encoding/json decodes into a map m
// (plainErr is its error), with the object's keys as its schema, refusing
// the objects with a key twice (hasDup), and with WithAllowDuplicates
// decodes those too, as encoding/json does.
func checkAdopted(t *testing.T, data []byte, m map[string]any, plainErr error, hasDup bool) {
	t.Helper()
	var d slotdict.Dict[string, any]
	err := d.DecodeJSON(data)
	switch {
	case err != nil:
		checkDecodeError(t, data, err, true, nil)
		if plainErr == nil && !hasDup {
			t.Fatalf("a zero Dict refuses %q (%v), which encoding/json decodes", data, err)
		}
	case plainErr != nil || hasDup:
		t.Fatalf("a zero Dict decodes %q, which encoding/json (%v) or the duplicate rule refuses", data, plainErr)
	case m != nil && !reflect.DeepEqual(contents(&d), m):
		t.Fatalf("a zero Dict decodes %q as %v, encoding/json as %v", data, contents(&d), m)
	}
	var allow slotdict.Dict[string, any]
	if err := allow.DecodeJSON(data, slotdict.WithAllowDuplicates()); (err == nil) != (plainErr == nil) {
		t.Fatalf("a zero Dict with WithAllowDuplicates decoding %q: %v; encoding/json: %v", data, err, plainErr)
	} else if err == nil && m != nil && !reflect.DeepEqual(contents(&allow), m) {
		t.Fatalf("a zero Dict with WithAllowDuplicates decodes %q as %v, encoding/json as %v", data, contents(&allow), m)
	}
}

// checkSkipUnknown: with WithSkipUnknown and WithAllowDuplicates, a Dict
// decodes the objects that encoding/json decodes into a map m (plainErr is
// its error), holding the members of m whose keys are in the schema, and
// refuses invalid JSON. (It may also accept an object that encoding/json
// cannot decode into a map: one whose unknown keys hold numbers out of
// range, which it skips.)
func checkSkipUnknown(t *testing.T, data []byte, m map[string]any, plainErr error) {
	t.Helper()
	d := slotdict.New[string, any](dictSchema)
	err := d.DecodeJSON(data, slotdict.WithSkipUnknown(), slotdict.WithAllowDuplicates())
	switch {
	case err != nil && plainErr != nil:
		var de *slotdict.DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("decoding %q skipping unknown keys: %v is not a DecodeError", data, err)
		}
	case plainErr != nil:
		if !json.Valid(data) {
			t.Fatalf("decoding %q skipping unknown keys succeeded where encoding/json failed: %v", data, plainErr)
		}
	case err != nil:
		t.Fatalf("decoding %q skipping unknown keys: %v; encoding/json decodes it", data, err)
	case m == nil: // null leaves the dict as it was
		if d.Len() != 0 {
			t.Fatalf("decoding %q skipping unknown keys gave %v", data, contents(d))
		}
	default:
		known := maps.Clone(m)
		maps.DeleteFunc(known, func(k string, _ any) bool { return !dictSchema.Has(k) })
		if out, err := json.Marshal(d); err != nil || !sameJSON(out, known) {
			t.Fatalf("decoding %q skipping unknown keys gave %s (%v); encoding/json %v", data, out, err, known)
		}
	}
}

// FuzzDictStream: a stream decodes into Dicts exactly when encoding/json
// finds a stream of objects with keys in the schema and none twice, holding
// the same data; on an error, the Dicts decoded before it are the objects
// before it. With WithSkipBadLines, the Dicts are exactly the lines (or the
// elements of a valid array) that decode alone, and the others are
// reported (checkSkipBadLines).
func FuzzDictStream(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s + "\n" + s))
		f.Add([]byte("[" + s + "," + s + "]"))
	}
	f.Add([]byte(`{"a":1} {"b":2} {"unknown":3} {"a":4}`))
	f.Add([]byte("{\"a\":1}\n{\"a\":\n\n\x00\xff\n{\"a\":2} {\"a\":3}\n{\"unknown\":3}\n7\n {\"b\":[1]}\r\n{\"a\":1,\"a\":2}"))
	f.Add([]byte(`[{"a":1}, {"unknown":2}, 3, {"a":1,"a":1}, {"b":2}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSkipBadLines(t, data, dictsSkipping, dictAlone)
		dicts, err := slotdict.DecodeAll[string, any](bytes.NewReader(data), dictSchema)
		objs, plainErr := plainStream(data)
		_, _, hasDup := firstDuplicateKey(data, true)
		ok := plainErr == nil && !hasDup
		for _, o := range objs {
			ok = ok && inSchema(o)
		}
		if err != nil {
			checkDecodeError(t, data, err, false, dictSchema)
			if ok {
				t.Fatalf("DecodeAll(%q) failed (%v) where encoding/json did not", data, err)
			}
			before := plainPrefix(data)
			if len(dicts) > len(before) {
				t.Fatalf("DecodeAll(%q) = %d dicts and %v; encoding/json decodes only %d objects before failing", data, len(dicts), err, len(before))
			}
			checkDicts(t, data, dicts, before[:len(dicts)])
			return
		}
		if !ok {
			t.Fatalf("DecodeAll(%q) succeeded where encoding/json failed (%v) or found unknown keys", data, plainErr)
		}
		checkDicts(t, data, dicts, objs)
	})
}

// checkDicts checks that dicts, decoded from data, hold objs, the objects
// that encoding/json decodes from it.
func checkDicts(t *testing.T, data []byte, dicts []*slotdict.Dict[string, any], objs []map[string]any) {
	t.Helper()
	if len(dicts) != len(objs) {
		t.Fatalf("DecodeAll(%q): %d dicts, encoding/json found %d objects", data, len(dicts), len(objs))
	}
	for i, d := range dicts {
		out, err := json.Marshal(d)
		if err != nil || !sameJSON(out, objs[i]) {
			t.Fatalf("DecodeAll(%q): dict %d is %s, encoding/json %v (%v)", data, i, out, objs[i], err)
		}
	}
}

// FuzzDictTyped: decoding into a Dict of strings, numbers or booleans (the
// decoders' fast paths for scalars), with WithAllowDuplicates, succeeds
// exactly when encoding/json decodes the object into a map of the same
// value type, keys in the schema, and gives the same values.
func FuzzDictTyped(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{`{"a":-0,"b":1.5e-3,"x":9007199254740993}`, `{"a":"x\u00e9","b":"\ud83d\ude00"}`,
		`{"a":true,"b":false,"x":null}`, `{"a":9223372036854775807,"b":-9223372036854775808}`, `{"a":9223372036854775808}`,
		`{"a":1.0}`, `{"a":1e2}`, `{"a":0x1}`, `{"a":01}`, `{"a":"1"}`, `{"a":tru}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTyped[string](t, data)
		checkTyped[float64](t, data)
		checkTyped[int](t, data)
		checkTyped[int64](t, data)
		checkTyped[bool](t, data)
	})
}

// checkTyped checks what FuzzDictTyped says for values of type T.
func checkTyped[T comparable](t *testing.T, data []byte) {
	t.Helper()
	d := slotdict.New[string, T](dictSchema)
	err := d.DecodeJSON(data, slotdict.WithAllowDuplicates())
	var m map[string]T
	plainErr := json.Unmarshal(data, &m)
	known := true
	for k := range m {
		known = known && dictSchema.Has(k)
	}
	switch {
	case err == nil && plainErr != nil:
		t.Fatalf("decoding %q into %T values succeeded where encoding/json failed: %v", data, *new(T), plainErr)
	case err != nil && plainErr == nil && known:
		t.Fatalf("decoding %q into %T values: %v; encoding/json gives %v", data, *new(T), err, m)
	case err == nil && m != nil:
		if got := maps.Collect(d.All()); !maps.Equal(got, m) {
			t.Fatalf("decoding %q into %T values gave %v; encoding/json %v", data, *new(T), got, m)
		}
	}
}
