package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/intern"
)

// FuzzInternBytes: Bytes returns string(b), not b's memory, unchanged by
// later writes to b, and the same copy as String of equal content.
func FuzzInternBytes(f *testing.F) {
	for _, s := range []string{"", "a", "content-type", "\xff\xfe invalid utf-8", string(make([]byte, 300))} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := string(b)
		got := intern.Bytes(b)
		if got != want {
			t.Fatalf("Bytes(%q) = %q", want, got)
		}
		if len(b) > 0 && unsafe.StringData(got) == &b[0] {
			t.Fatal("Bytes returned the caller's memory")
		}
		for i := range b {
			b[i] ^= 0xff
		}
		if got != want {
			t.Fatalf("the result changed with its source: %q, want %q", got, want)
		}
		if s := intern.String(want); s != got {
			t.Fatalf("String(%q) = %q", want, s)
		}
	})
}

// FuzzTableJSON: decoding into a Table either fails and leaves it as it was,
// or succeeds exactly when encoding/json decodes the same text into an array
// of distinct strings (no nulls) that extends the table, and then the table
// round-trips. A table of arbitrary strings (the input cut at commas)
// round-trips too, or, if one of them is not valid UTF-8, does not encode.
func FuzzTableJSON(f *testing.F) {
	for _, s := range []string{`["a","b"]`, `["a","b",null]`, "\xff,\xfe", `["a","b","c"]`, `["b"]`, `null`, `[]`, `["a","a"]`, `["a","b","c","c"]`, `["a",`, `{"a":1}`, `["a"] x`, "\xef\xbb\xbf[\"a\"]", `["\u00e9","\ud800"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab := new(intern.Table[string])
		tab.ID("a")
		tab.ID("b")
		before := slices.Collect(valuesOf(tab))
		err := tab.UnmarshalJSON(data)

		plain, plainErr := plainStrings(data)
		got := slices.Collect(valuesOf(tab))
		if err != nil {
			if !slices.Equal(got, before) {
				t.Fatalf("a failed decode (%v) changed the table from %q to %q", err, before, got)
			}
			if plainErr == nil && (plain == nil || distinct(plain) && extends(plain, before)) {
				t.Fatalf("decoding %q failed (%v) where encoding/json found %q", data, err, plain)
			}
			// The module's DecodeError, exactly one kind of error, and the
			// right one where encoding/json finds an array of strings. (An
			// element of another type is an error of its value, even where
			// a syntax error follows it: errors come in the order of the
			// document.)
			var de *intern.DecodeError
			var te *json.UnmarshalTypeError
			syntax, dup, conflict, value := errors.Is(err, intern.ErrSyntax), errors.Is(err, intern.ErrDuplicate), errors.Is(err, intern.ErrConflict), errors.As(err, &te)
			switch {
			case !errors.As(err, &de) || de.Offset < 0 || de.Offset > int64(len(data)):
				t.Fatalf("decoding %q: %v is not a DecodeError with an offset within the input", data, err)
			case !exactlyOne(syntax, dup, conflict, value):
				t.Fatalf("decoding %q: %v matches ErrSyntax: %v, ErrDuplicate: %v, ErrConflict: %v, a value error: %v; want exactly one", data, err, syntax, dup, conflict, value)
			case plainErr != nil:
			case syntax, value:
				t.Fatalf("decoding %q: %v, but encoding/json finds the strings %q", data, err, plain)
			case dup && distinct(plain), conflict && extends(plain, before):
				t.Fatalf("decoding %q: %v, but encoding/json finds %q", data, err, plain)
			}
			return
		}
		if plainErr != nil {
			t.Fatalf("decoding %q succeeded where encoding/json failed: %v", data, plainErr)
		}
		if plain == nil && !slices.Equal(got, before) { // null: a no-op
			t.Fatalf("decoding %q changed the table from %q to %q", data, before, got)
		}
		if plain != nil && !slices.Equal(got, plain) {
			t.Fatalf("decoded %q, encoding/json %q", got, plain)
		}
		if !distinct(got) {
			t.Fatalf("decoding %q gave a table with a value twice: %q", data, got)
		}
		out, err := json.Marshal(tab)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, tab, out)

		raw := new(intern.Table[string])
		valid := true
		for _, k := range bytes.Split(data, []byte(",")) {
			raw.ID(string(k))
			valid = valid && utf8.Valid(k)
		}
		out, err = json.Marshal(raw)
		switch {
		case err == nil:
			roundTrip(t, raw, out)
		case valid:
			t.Fatalf("encoding a table of valid strings: %v", err)
		}
	})
}

// plainStrings decodes data with encoding/json as an array of strings, nil
// for null; null elements, which decode into a []string as "", are errors.
func plainStrings(data []byte) ([]string, error) {
	var elems []any
	if err := json.Unmarshal(data, &elems); err != nil {
		return nil, err
	}
	if elems == nil {
		return nil, nil // null
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%v is not a string", e)
		}
		out = append(out, s)
	}
	return out, nil
}

// roundTrip decodes out, the JSON of tab, and checks that it gives tab's
// values under the same Syms.
func roundTrip(t *testing.T, tab *intern.Table[string], out []byte) {
	t.Helper()
	var back intern.Table[string]
	if err := json.Unmarshal(out, &back); err != nil || !slices.Equal(slices.Collect(valuesOf(&back)), slices.Collect(valuesOf(tab))) {
		t.Fatalf("round trip of %s: %v", out, err)
	}
}

func valuesOf(tab *intern.Table[string]) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range tab.All() {
			if !yield(v) {
				return
			}
		}
	}
}

func distinct(vs []string) bool {
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

func extends(vs, prefix []string) bool {
	return len(vs) >= len(prefix) && slices.Equal(vs[:len(prefix)], prefix)
}
