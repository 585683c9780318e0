package slotdict_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

func TestMarshalJSON(t *testing.T) {
	s := slotdict.NewSchema("name", "age", "tags", "<html>", "note")
	d := mustFromMap(s, map[string]any{"age": 36, "name": "Ada", "tags": []string{"x"}, "<html>": "a&b", "note": nil})
	got, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// Schema order, HTML-safe escaping as encoding/json does for maps.
	want := `{"name":"Ada","age":36,"tags":["x"],"\u003chtml\u003e":"a\u0026b","note":null}`
	if string(got) != want {
		t.Errorf("MarshalJSON = %s\nwant          %s", got, want)
	}
	// Through encoding/json, as a field.
	wrapped, err := json.Marshal(struct{ D *slotdict.Dict[string, any] }{d})
	if err != nil || string(wrapped) != `{"D":`+want+`}` {
		t.Errorf("json.Marshal = %s, %v", wrapped, err)
	}
}

type color int

func (c color) MarshalText() ([]byte, error) {
	if c < 0 {
		return nil, errors.New("negative color")
	}
	return []byte([]string{"red", "green", "blue"}[c]), nil
}

// TestJSONKeyTypes: keys are named as encoding/json names map keys, and
// decoding matches those names.
func TestJSONKeyTypes(t *testing.T) {
	roundTrip := func(t *testing.T, d interface {
		MarshalJSON() ([]byte, error)
	}, fresh interface{ UnmarshalJSON([]byte) error }, want string) {
		t.Helper()
		got, err := d.MarshalJSON()
		if err != nil || string(got) != want {
			t.Fatalf("MarshalJSON = %s, %v; want %s", got, err, want)
		}
		if err := fresh.UnmarshalJSON(got); err != nil {
			t.Fatalf("UnmarshalJSON(%s): %v", got, err)
		}
		again, _ := fresh.(interface{ MarshalJSON() ([]byte, error) }).MarshalJSON()
		if string(again) != want {
			t.Fatalf("round trip gave %s, want %s", again, want)
		}
	}
	t.Run("int", func(t *testing.T) {
		s := slotdict.NewSchema(-1, 7, 100)
		roundTrip(t, mustFromMap(s, map[int]bool{-1: true, 100: false}), slotdict.New[int, bool](s), `{"-1":true,"100":false}`)
	})
	t.Run("uint8", func(t *testing.T) {
		s := slotdict.NewSchema[uint8](255, 0)
		roundTrip(t, mustFromMap(s, map[uint8]int{255: 1, 0: 2}), slotdict.New[uint8, int](s), `{"255":1,"0":2}`)
	})
	t.Run("TextMarshaler", func(t *testing.T) {
		s := slotdict.NewSchema[color](2, 0)
		roundTrip(t, mustFromMap(s, map[color]int{2: 1}), slotdict.New[color, int](s), `{"blue":1}`)
	})
	t.Run("named string", func(t *testing.T) {
		type field string
		s := slotdict.NewSchema[field]("a", "b")
		roundTrip(t, mustFromMap(s, map[field]int{"b": 1}), slotdict.New[field, int](s), `{"b":1}`)
	})
	t.Run("any", func(t *testing.T) {
		s := slotdict.NewSchema[any]("x", 3, uint(4))
		roundTrip(t, mustFromMap(s, map[any]int{"x": 1, 3: 2, uint(4): 3}), slotdict.New[any, int](s), `{"x":1,"3":2,"4":3}`)
	})
	t.Run("many int keys", func(t *testing.T) {
		keys := make([]int, 20)
		for i := range keys {
			keys[i] = i * 10
		}
		s := slotdict.NewSchema(keys...)
		roundTrip(t, mustFromMap(s, map[int]int{190: 1, 0: 2}), slotdict.New[int, int](s), `{"0":2,"190":1}`)
	})
}

func TestJSONUnsupportedKeys(t *testing.T) {
	var ute *json.UnsupportedTypeError
	f := slotdict.New[float64, int](slotdict.NewSchema(1.5))
	if _, err := f.MarshalJSON(); !errors.As(err, &ute) || ute.Type != reflect.TypeFor[float64]() {
		t.Errorf("MarshalJSON with float keys: %v", err)
	}
	if err := f.UnmarshalJSON([]byte(`{}`)); !errors.As(err, &ute) {
		t.Errorf("UnmarshalJSON with float keys: %v", err)
	}
	if _, err := slotdict.DecodeAll[float64, int](strings.NewReader(`{}`), slotdict.NewSchema(1.5)); !errors.As(err, &ute) {
		t.Errorf("DecodeAll with float keys: %v", err)
	}
	type pair struct{ A, B int }
	if _, err := slotdict.New[pair, int](slotdict.NewSchema(pair{})).MarshalJSON(); !errors.As(err, &ute) {
		t.Errorf("MarshalJSON with struct keys: %v", err)
	}
	// Without keys too, as encoding/json refuses an empty map[float64]int.
	if _, err := slotdict.New[float64, int](slotdict.NewSchema[float64]()).MarshalJSON(); !errors.As(err, &ute) {
		t.Errorf("MarshalJSON with float keys and an empty schema: %v", err)
	}
	if _, err := new(slotdict.Dict[float64, int]).MarshalJSON(); !errors.As(err, &ute) {
		t.Errorf("MarshalJSON of a zero Dict with float keys: %v", err)
	}
	if err := slotdict.New[float64, int](slotdict.NewSchema[float64]()).UnmarshalJSON([]byte(`{}`)); !errors.As(err, &ute) {
		t.Errorf("UnmarshalJSON with float keys and an empty schema: %v", err)
	}
	var uve *json.UnsupportedValueError
	clash := slotdict.New[any, int](slotdict.NewSchema[any](1, "1"))
	if _, err := clash.MarshalJSON(); !errors.As(err, &uve) || !strings.Contains(err.Error(), `same JSON name "1"`) {
		t.Errorf("MarshalJSON with keys 1 and \"1\": %v", err)
	}
	if _, err := slotdict.New[color, int](slotdict.NewSchema[color](-1)).MarshalJSON(); err == nil || !strings.Contains(err.Error(), "negative color") {
		t.Errorf("MarshalJSON with a failing TextMarshaler: %v", err)
	}
}

func TestMarshalJSONValueError(t *testing.T) {
	d := mustFromMap(slotdict.NewSchema("fn"), map[string]any{"fn": func() {}})
	if _, err := d.MarshalJSON(); err == nil || !strings.Contains(err.Error(), `key "fn"`) {
		t.Errorf("MarshalJSON of a func value: %v", err)
	}
}

// decodeCase is one bad input for TestDecodeJSONErrors.
type decodeCase struct {
	in     string
	is     error  // what the error matches
	offset int64  // DecodeError.Offset
	key    string // DecodeError.Key
	msg    string // a part of the message
}

func TestDecodeJSONErrors(t *testing.T) {
	s := slotdict.NewSchema("a", "b", "list")
	var typeErr *json.UnmarshalTypeError
	for _, tt := range []decodeCase{
		{`{"a": 1, "zz": 2}`, slotdict.ErrUnknownKey, 9, "zz", `unknown key "zz" at byte offset 9`},
		{`{"a\u0062c": 2}`, slotdict.ErrUnknownKey, 1, "abc", `unknown key "abc"`},
		{``, slotdict.ErrSyntax, 0, "", "unexpected end of input"},
		{`   `, slotdict.ErrSyntax, 3, "", "unexpected end of input"},
		{`{"a": 1`, slotdict.ErrSyntax, 7, "", "unexpected end of input"},
		{`{"a": 1,`, slotdict.ErrSyntax, 8, "", "unexpected end of input"},
		{`{"a": "x`, slotdict.ErrSyntax, 8, "a", "unexpected end of input"},
		{`{"a": [1, 2`, slotdict.ErrSyntax, 11, "a", "unexpected end of input"},
		{`{"a": 1,}`, slotdict.ErrSyntax, 8, "", `invalid character '}' looking for beginning of object key string`},
		{`{"a" 1}`, slotdict.ErrSyntax, 5, "", `invalid character '1' after object key`},
		{`{"a": 1 "b": 2}`, slotdict.ErrSyntax, 8, "", `after object key:value pair`},
		{`{"a": 01}`, slotdict.ErrSyntax, 7, "", `invalid character '1' after object key:value pair`},
		{`{"a": -}`, slotdict.ErrSyntax, 7, "a", `in numeric literal`},
		{`{"a": 1.}`, slotdict.ErrSyntax, 8, "a", `after decimal point`},
		{`{"a": 1e}`, slotdict.ErrSyntax, 8, "a", `in exponent`},
		{`{"a": tru}`, slotdict.ErrSyntax, 9, "a", `in literal true`},
		{`{"a": nul`, slotdict.ErrSyntax, 9, "a", `unexpected end of input`},
		{`{"a": "\x"}`, slotdict.ErrSyntax, 8, "a", `in string escape code`},
		{`{"a": "\u12G4"}`, slotdict.ErrSyntax, 11, "a", `in \u hexadecimal`},
		{"{\"a\": \"x\ty\"}", slotdict.ErrSyntax, 8, "a", `in string literal`},
		{`{"a": [1 2]}`, slotdict.ErrSyntax, 9, "a", `after array element`},
		{`{"a": {"x" 1}}`, slotdict.ErrSyntax, 11, "a", `after object key`},
		{`{"a": {1: 2}}`, slotdict.ErrSyntax, 7, "a", `looking for beginning of object key string`},
		{`{"a": 1} x`, slotdict.ErrSyntax, 9, "", `after top-level value`},
		{`{"a": 1}}`, slotdict.ErrSyntax, 8, "", `after top-level value`},
		{`[{"a": 1}]`, slotdict.ErrNotObject, 0, "", `not a JSON object at byte offset 0: found an array`},
		{`"a"`, slotdict.ErrNotObject, 0, "", `found a string`},
		{`{"a": 1, "b": 2, "a": 3}`, slotdict.ErrDuplicateKey, 17, "a", `duplicate key "a" at byte offset 17`},
		{`nulL`, slotdict.ErrSyntax, 3, "", `in literal null`},
		{`null x`, slotdict.ErrSyntax, 5, "", `after top-level value`},
		{`{"a": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, slotdict.ErrSyntax, 6 + 9999, "a", `exceeded max depth`},
		{`{"a": "x"}`, typeErr, 6, "a", `key "a" at byte offset 6: json: cannot unmarshal string into Go value of type int`},
		{`{"b": 1.5}`, typeErr, 6, "b", `cannot unmarshal number 1.5`},
		{`{"b": 1e400}`, typeErr, 6, "b", `cannot unmarshal number 1e400`},
		{`{"list": [1, "x"]}`, typeErr, 9, "list", `key "list"`},
	} {
		t.Run(tt.in[:min(len(tt.in), 24)], func(t *testing.T) {
			d := slotdict.New[string, int](s)
			_ = d.Set("b", 7)
			err := d.UnmarshalJSON([]byte(tt.in))
			checkDecodeError(t, err, tt)
			if d.Len() != 1 || !d.Has("b") {
				t.Errorf("the Dict changed: %v", d)
			}
		})
	}
}

func checkDecodeError(t *testing.T, err error, tt decodeCase) {
	t.Helper()
	var de *slotdict.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *DecodeError", err, err)
	}
	if te, ok := tt.is.(*json.UnmarshalTypeError); ok {
		if !errors.As(err, &te) {
			t.Errorf("error %v does not wrap a *json.UnmarshalTypeError", err)
		}
	} else if !errors.Is(err, tt.is) {
		t.Errorf("error %v does not match %v", err, tt.is)
	}
	if de.Offset != tt.offset || de.Key != tt.key {
		t.Errorf("Offset, Key = %d, %q; want %d, %q", de.Offset, de.Key, tt.offset, tt.key)
	}
	if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "offset "+strconv.FormatInt(tt.offset, 10)) {
		t.Errorf("message %q lacks %q or the offset", err, tt.msg)
	}
}

func TestDecodeJSONReplacesContents(t *testing.T) {
	d := mustFromMap(slotdict.NewSchema("a", "b", "c"), map[string]int{"a": 1, "b": 2})
	if err := d.UnmarshalJSON([]byte(`{"c": 3, "a": 0}`)); err != nil {
		t.Fatal(err)
	}
	checkContents(t, d, []string{"a", "b", "c"}, map[string]int{"a": 0, "c": 3})
	if err := d.UnmarshalJSON([]byte("\n{ }\t")); err != nil || d.Len() != 0 {
		t.Errorf(`after "{ }": %v, %v`, d, err)
	}
}

func TestDecodeJSONNull(t *testing.T) {
	d := mustFromMap(slotdict.NewSchema("a", "b"), map[string]*int{"a": new(int)})
	if err := d.UnmarshalJSON([]byte(" null ")); err != nil || d.Len() != 1 {
		t.Errorf(`"null" is not a no-op: %v, %v`, d, err)
	}
	if err := d.UnmarshalJSON([]byte(`{"b": null}`)); err != nil {
		t.Fatal(err)
	}
	if v, ok := d.Get("b"); !ok || v != nil || d.Has("a") {
		t.Errorf(`after {"b": null}: %v`, d)
	}
	n := slotdict.New[string, int](slotdict.NewSchema("n"))
	if err := n.UnmarshalJSON([]byte(`{"n": null}`)); err != nil {
		t.Fatal(err)
	}
	if v, ok := n.Get("n"); !ok || v != 0 {
		t.Errorf(`{"n": null} into an int gives %d, %v; want the zero value, present`, v, ok)
	}
}

// TestDecodeJSONRepeatedKeyIsAnErrorUnlessAllowed: a key twice in one
// object, at any depth of a V = any, is refused by default, and with
// WithAllowDuplicates the last value wins, as in encoding/json.
func TestDecodeJSONRepeatedKeyIsAnErrorUnlessAllowed(t *testing.T) {
	for _, tt := range []struct {
		in     string
		offset int64
		key    string
	}{
		{`{"m": {"x": 1}, "m": {"y": 2}}`, 16, "m"},
		{`{"m": {"x": 1, "x": 2}}`, 15, "x"},
		{`{"m": [{"a": [{"z": 1, "z": 1}]}]}`, 23, "z"},
		{`{"m": 1, "u": 2, "u": 3}`, 17, "u"},                                        // skipped unknown keys too
		{`{"u1":1,"u2":2,"u3":3,"u4":4,"u5":5,"u\u0036":6,"u7":7,"u6":8}`, 55, "u6"}, // beyond the first few, escaped
	} {
		d := slotdict.New[string, any](slotdict.NewSchema("m"))
		err := d.DecodeJSON([]byte(tt.in), slotdict.WithSkipUnknown())
		var de *slotdict.DecodeError
		if !errors.Is(err, slotdict.ErrDuplicateKey) || !errors.As(err, &de) || de.Offset != tt.offset || de.Key != tt.key {
			t.Errorf("%s: %v, want a duplicate key %q at byte offset %d", tt.in, err, tt.key, tt.offset)
		}
		if d.Len() != 0 {
			t.Errorf("%s: the Dict changed: %v", tt.in, d)
		}
		if err := d.DecodeJSON([]byte(tt.in), slotdict.WithSkipUnknown(), slotdict.WithAllowDuplicates()); err != nil {
			t.Errorf("%s with WithAllowDuplicates: %v", tt.in, err)
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(tt.in), &want); err != nil {
			t.Fatal(err)
		}
		if v, _ := d.Get("m"); !reflect.DeepEqual(v, want["m"]) {
			t.Errorf("%s with WithAllowDuplicates: m = %v, encoding/json %v", tt.in, v, want["m"])
		}
	}
}

func TestDecodeJSONSkipUnknown(t *testing.T) {
	d := slotdict.New[string, int](slotdict.NewSchema("a", "b"))
	in := `{"x": {"deep": [1, {"y": "}"}]}, "a": 1, "z": "\u00e9", "b": 2, "w": null}`
	if err := d.DecodeJSON([]byte(in), slotdict.WithSkipUnknown()); err != nil {
		t.Fatal(err)
	}
	checkContents(t, d, []string{"a", "b"}, map[string]int{"a": 1, "b": 2})
	// Skipped values are still validated.
	err := d.DecodeJSON([]byte(`{"x": [1,}, "a": 5}`), slotdict.WithSkipUnknown())
	checkDecodeError(t, err, decodeCase{is: slotdict.ErrSyntax, offset: 9, key: "x", msg: "looking for beginning of value"})
	if v, _ := d.Get("a"); v != 1 {
		t.Error("a failed decode changed the Dict")
	}
}

func TestDecodeJSONStringsAndEscapes(t *testing.T) {
	s := slotdict.NewSchema("plain", "é", "tab\t", "bad")
	d := slotdict.New[string, string](s)
	in := `{"plain": "x", "\u00e9": "caf\u00e9 \ud83d\ude00", "tab\t": "a\"b\\c\/d\b\f\n\r\t", "bad": "` + "\xff" + `"}`
	if err := d.UnmarshalJSON([]byte(in)); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"plain": "x", "é": "café 😀", "tab\t": "a\"b\\c/d\b\f\n\r\t", "bad": "\ufffd"}
	var m map[string]string
	if err := json.Unmarshal([]byte(in), &m); err != nil || !reflect.DeepEqual(m, want) {
		t.Fatalf("encoding/json decodes the input as %q, %v; the test's want is wrong", m, err)
	}
	for k, w := range want {
		if v, _ := d.Get(k); v != w {
			t.Errorf("%q = %q, want %q", k, v, w)
		}
	}
}

func TestDecodeJSONValueTypes(t *testing.T) {
	type point struct{ X, Y int }
	check := func(t *testing.T, in string, d interface{ UnmarshalJSON([]byte) error }, get func() any, want any) {
		t.Helper()
		if err := d.UnmarshalJSON([]byte(in)); err != nil {
			t.Fatalf("UnmarshalJSON(%s): %v", in, err)
		}
		if got := get(); !reflect.DeepEqual(got, want) {
			t.Errorf("UnmarshalJSON(%s): got %#v, want %#v", in, got, want)
		}
	}
	t.Run("struct", func(t *testing.T) {
		d := slotdict.New[string, point](slotdict.NewSchema("p"))
		check(t, `{"p": {"X": 1, "Y": -2}}`, d, func() any { v, _ := d.Get("p"); return v }, point{1, -2})
	})
	t.Run("pointer", func(t *testing.T) {
		d := slotdict.New[string, *point](slotdict.NewSchema("p"))
		check(t, `{"p": {"X": 3}}`, d, func() any { v, _ := d.Get("p"); return *v }, point{X: 3})
	})
	t.Run("time", func(t *testing.T) {
		d := slotdict.New[string, time.Time](slotdict.NewSchema("t"))
		check(t, `{"t": "2024-02-29T12:00:00Z"}`, d, func() any { v, _ := d.Get("t"); return v.Format(time.RFC3339) }, "2024-02-29T12:00:00Z")
	})
	t.Run("any", func(t *testing.T) {
		d := slotdict.New[string, any](slotdict.NewSchema("s", "n", "b", "l", "o", "z"))
		check(t, `{"s": "x", "n": 1.5, "b": true, "l": [1, "a"], "o": {"k": null}, "z": null}`, d,
			func() any { return fmt.Sprint(d) }, "dict[s:x n:1.5 b:true l:[1 a] o:map[k:<nil>] z:<nil>]")
	})
	t.Run("numbers", func(t *testing.T) {
		i := slotdict.New[string, int](slotdict.NewSchema("min", "max", "neg0"))
		check(t, `{"min": -9223372036854775808, "max": 9223372036854775807, "neg0": -0}`, i,
			func() any { return fmt.Sprint(i) }, "dict[min:-9223372036854775808 max:9223372036854775807 neg0:0]")
		f := slotdict.New[string, float64](slotdict.NewSchema("a", "b", "c"))
		check(t, `{"a": 1e-7, "b": -0.5E+2, "c": 12345678901234567890}`, f,
			func() any { return fmt.Sprint(f) }, "dict[a:1e-07 b:-50 c:1.2345678901234567e+19]")
		i64 := slotdict.New[string, int64](slotdict.NewSchema("x"))
		check(t, `{"x": 42}`, i64, func() any { v, _ := i64.Get("x"); return v }, int64(42))
	})
	t.Run("raw", func(t *testing.T) {
		d := slotdict.New[string, json.RawMessage](slotdict.NewSchema("r"))
		check(t, `{"r": [1, {"a": 2}]}`, d, func() any { v, _ := d.Get("r"); return string(v) }, `[1, {"a": 2}]`)
	})
}

// countingIntern is a strong interner for tests: a map from contents to the
// first copy, which counts its calls.
type countingIntern struct {
	pool  map[string]string
	calls int
}

func newCountingIntern() *countingIntern { return &countingIntern{pool: map[string]string{}} }

func (c *countingIntern) intern(b []byte) string {
	c.calls++
	if s, ok := c.pool[string(b)]; ok {
		return s
	}
	s := string(b)
	c.pool[s] = s
	return s
}

func TestDecodeJSONIntern(t *testing.T) {
	in := newCountingIntern()
	s := slotdict.NewSchema("a", "b", "n")
	d1 := slotdict.New[string, any](s)
	d2 := slotdict.New[string, any](s)
	for _, d := range []*slotdict.Dict[string, any]{d1, d2} {
		if err := d.DecodeJSON([]byte(`{"a": "shared", "b": "caf\u00e9", "n": 1}`), slotdict.WithIntern(in.intern)); err != nil {
			t.Fatal(err)
		}
	}
	if in.calls != 4 || len(in.pool) != 2 {
		t.Errorf("intern called %d times with %d distinct strings; want 4 and 2", in.calls, len(in.pool))
	}
	a1, _ := d1.Get("a")
	a2, _ := d2.Get("a")
	if a1.(string) != "shared" || !sameString(a1.(string), a2.(string)) {
		t.Error("interned values do not share memory")
	}
	if b, _ := d1.Get("b"); b != "café" {
		t.Errorf("escaped value = %q", b)
	}
}

// sameString reports whether a and b are the same bytes in memory.
func sameString(a, b string) bool {
	return a == b && unsafeData(a) == unsafeData(b)
}

// TestDecodeJSONAllocations pins that decoding a record allocates its
// storage and nothing per key: no key strings (escaped or not), no temporary
// map. With an interner that already holds the strings, unescaped string
// values cost nothing.
func TestDecodeJSONAllocations(t *testing.T) {
	keys := []string{"a_rather_long_key_name_0", "a_rather_long_key_name_1", "a_rather_long_key_name_2"}
	for _, n := range []int{3, 20} {
		s := slotdict.NewSchema(append(keys, numberedKeys("more", n-3)...)...)
		ints := slotdict.New[string, int](s)
		in := []byte(`{"a_rather_long_key_name_0": 1, "a_rather_long_key_name_2": -20, "a_rather_long_key_name_1": 3}`)
		if got := testing.AllocsPerRun(100, func() { _ = ints.UnmarshalJSON(in) }); got != 1 {
			t.Errorf("%d keys: decoding ints: %v allocations, want 1 (the value array)", n, got)
		}
		floats := slotdict.New[string, float64](s)
		fin := []byte(`{"a_rather_long_key_name_0": 1.5, "a_rather_long_key_name_2": -2e10}`)
		if got := testing.AllocsPerRun(100, func() { _ = floats.UnmarshalJSON(fin) }); got != 1 {
			t.Errorf("%d keys: decoding floats: %v allocations, want 1 (the value array)", n, got)
		}
		strs := slotdict.New[string, string](s)
		withIntern := slotdict.WithIntern(newCountingIntern().intern)
		sin := []byte(`{"a_rather_long_key_name_0": "v", "a_rather_long_key_name_2": "w"}`)
		if got := testing.AllocsPerRun(100, func() { _ = strs.DecodeJSON(sin, withIntern) }); got != 1 {
			t.Errorf("%d keys: decoding interned strings: %v allocations, want 1 (the value array)", n, got)
		}
		// Keys written with escapes (as Python's json.dumps writes every
		// non-ASCII key, and MarshalJSON writes <, > and &) are unquoted into
		// a buffer on the stack.
		esc := []byte(`{"a_rather_long_key_name_\u0030": 1, "\u0061_rather_long_key_name_2": 2}`)
		if err := ints.UnmarshalJSON(esc); err != nil {
			t.Fatal(err)
		}
		if v, _ := ints.Get("a_rather_long_key_name_2"); v != 2 || ints.Len() != 2 {
			t.Fatalf("%d keys: decoding escaped keys gave %v", n, ints)
		}
		if got := testing.AllocsPerRun(100, func() { _ = ints.UnmarshalJSON(esc) }); got != 1 {
			t.Errorf("%d keys: decoding escaped keys: %v allocations, want 1 (the value array)", n, got)
		}
	}
}

type recordWithDict struct {
	ID   int
	Attr *slotdict.Dict[string, string]
}

func TestDictInsideEncodingJSON(t *testing.T) {
	r := recordWithDict{Attr: slotdict.New[string, string](slotdict.NewSchema("k"))}
	if err := json.Unmarshal([]byte(`{"ID": 1, "Attr": {"k": "v"}}`), &r); err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Attr.Get("k"); v != "v" || r.ID != 1 {
		t.Errorf("decoded %+v", r)
	}
	// A nil *Dict field is allocated by encoding/json as a zero Dict,
	// which adopts the object's keys.
	var fresh recordWithDict
	if err := json.Unmarshal([]byte(`{"Attr": {"k": "v", "j": "w"}}`), &fresh); err != nil {
		t.Fatalf("decoding into a nil *Dict field: %v", err)
	}
	if got := slices.Collect(fresh.Attr.Keys()); !slices.Equal(got, []string{"k", "j"}) {
		t.Errorf("adopted keys %q, want the object's, in order", got)
	}
}

// TestJSONCrossProcess: what one process writes another reads. The child
// (this test binary, re-run) makes its schemas with its own registry and
// hash seed and writes JSON; the parent decodes it.
func TestJSONCrossProcess(t *testing.T) {
	keys := numberedKeys("field", 70)
	if os.Getenv("SLOTDICT_WRITE_JSON") == "1" {
		d := slotdict.New[string, any](slotdict.NewSchema(keys...))
		for i, k := range keys {
			if i%3 != 0 {
				_ = d.Set(k, fmt.Sprint("value ", i))
			}
		}
		b, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s\n", b)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestJSONCrossProcess$")
	cmd.Env = append(os.Environ(), "SLOTDICT_WRITE_JSON=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	d := slotdict.New[string, any](slotdict.NewSchema(keys...))
	if err := d.UnmarshalJSON([]byte(line)); err != nil {
		t.Fatalf("decoding the child's %q: %v", line, err)
	}
	if d.Len() != 46 {
		t.Errorf("decoded %d keys, want 46", d.Len())
	}
	if v, _ := d.Get("field68"); v != "value 68" {
		t.Errorf("field68 = %v", v)
	}
}

func TestScalarFastPathsAgreeOnEdges(t *testing.T) {
	for _, v := range []string{"0", "-0", "1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
		"1.0", "1e2", "1E-2", "-0.0", "1e400", "-1e400", "4.9e-324", "1e-400", "123456789012345678901234567890",
		"true", "false", "null", `"1"`, `"true"`, "[]", "[true]", "{}", `{"a": 1}`} {
		in := []byte(`{"v": ` + v + `}`)
		agree[int](t, in, v)
		agree[int64](t, in, v)
		agree[float64](t, in, v)
		agree[float32](t, in, v)
		agree[bool](t, in, v)
		agree[any](t, in, v)
		agree[string](t, in, v)
	}
}

// agree checks that decoding in into a Dict[string, V] gives the value and
// error-ness that encoding/json gives for a map[string]V.
func agree[V any](t interface {
	Helper()
	Errorf(format string, args ...any)
}, in []byte, what string) {
	t.Helper()
	var m map[string]V
	jerr := json.Unmarshal(in, &m)
	d := slotdict.New[string, V](slotdict.NewSchema("v"))
	err := d.UnmarshalJSON(in)
	if (err == nil) != (jerr == nil) {
		t.Errorf("%s into %T: error %v, encoding/json %v", what, *new(V), err, jerr)
		return
	}
	if v, _ := d.Get("v"); err == nil && !reflect.DeepEqual(v, m["v"]) && !(isNaN(v) && isNaN(m["v"])) {
		t.Errorf("%s into %T: %v, encoding/json %v", what, v, v, m["v"])
	}
}

func isNaN(v any) bool {
	f, ok := v.(float64)
	return ok && math.IsNaN(f)
}

// TestZeroDictKeyThatDoesNotParse: a zero Dict of integer keys refuses an
// object key that is not a number with an error about the key, at the
// key's offset in the document (its UnmarshalTypeError too).
func TestZeroDictKeyThatDoesNotParse(t *testing.T) {
	var d slotdict.Dict[int, int]
	err := d.UnmarshalJSON([]byte(`{"1":1, "x":2}`))
	var de *slotdict.DecodeError
	var te *json.UnmarshalTypeError
	if !errors.As(err, &de) || de.Offset != 8 || de.Key != "x" || !errors.As(err, &te) || te.Offset != 11 {
		t.Fatalf("%v (%#v), want the key \"x\" at byte offset 8, its type error after it", err, de)
	}
	if want := `cannot decode key "x" at byte offset 8: `; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start %q", err, want)
	}
	if d.Len() != 0 || d.Schema().Len() != 0 {
		t.Errorf("the Dict changed: %v", &d)
	}
}
