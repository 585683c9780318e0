package slotdict_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// jsonValue generates JSON text, valid by construction, that exercises the
// scanner: nested values, numbers of every shape, strings with escapes,
// non-ASCII and invalid UTF-8, and whitespace everywhere it may go.
func jsonValue(depth int) *rapid.Generator[string] {
	ws := rapid.SampledFrom([]string{"", "", " ", "\n\t", "\r\n "})
	str := rapid.Custom(func(t *rapid.T) string {
		parts := rapid.SliceOfN(rapid.SampledFrom([]string{
			"a", "b", "c", "key", "x y", "é", "日本", "\xff", "\xe2\x82", `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`,
			`\u0061`, `\u00e9`, `\ud83d\ude00`, `\ud800`, `\udc00x`, "}", "]", ",", ":", "{", "[",
		}), 0, 4).Draw(t, "parts")
		return `"` + strings.Join(parts, "") + `"`
	})
	num := rapid.Custom(func(t *rapid.T) string {
		n := rapid.SampledFrom([]string{"", "-"}).Draw(t, "sign") +
			rapid.SampledFrom([]string{"0", "1", "7", "12", "9007199254740993", "123456789012345678901234567890"}).Draw(t, "int")
		n += rapid.SampledFrom([]string{"", "", ".0", ".5", ".000001"}).Draw(t, "frac")
		return n + rapid.SampledFrom([]string{"", "", "e1", "E+2", "e-3", "e400", "E-400"}).Draw(t, "exp")
	})
	scalar := rapid.OneOf(str, num, rapid.SampledFrom([]string{"true", "false", "null"}))
	if depth == 0 {
		return scalar
	}
	inner := jsonValue(depth - 1)
	return rapid.OneOf(scalar, scalar,
		rapid.Custom(func(t *rapid.T) string {
			elems := rapid.SliceOfN(inner, 0, 3).Draw(t, "elems")
			for i := range elems {
				elems[i] = ws.Draw(t, "ws") + elems[i] + ws.Draw(t, "ws")
			}
			return "[" + strings.Join(elems, ",") + ws.Draw(t, "ws") + "]"
		}),
		jsonObject(rapid.SampledFrom([]string{`"a"`, `"b"`, `"z"`}), inner))
}

// jsonObject generates objects with keys from key and values from value.
func jsonObject(key, value *rapid.Generator[string]) *rapid.Generator[string] {
	ws := rapid.SampledFrom([]string{"", " ", "\n"})
	return rapid.Custom(func(t *rapid.T) string {
		n := rapid.IntRange(0, 5).Draw(t, "members")
		members := make([]string, n)
		for i := range members {
			members[i] = ws.Draw(t, "ws") + key.Draw(t, "key") + ws.Draw(t, "ws") + ":" + ws.Draw(t, "ws") + value.Draw(t, "value") + ws.Draw(t, "ws")
		}
		return "{" + strings.Join(members, ",") + ws.Draw(t, "ws") + "}"
	})
}

// mutate returns s, or s with one byte deleted, inserted or replaced.
func mutate(t *rapid.T, s string) string {
	if len(s) == 0 || rapid.IntRange(0, 2).Draw(t, "mutate") == 0 {
		return s
	}
	i := rapid.IntRange(0, len(s)-1).Draw(t, "at")
	b := rapid.SampledFrom([]string{"{", "}", "[", "]", `"`, `\`, ",", ":", "0", "-", ".", "e", "t", "n", " ", "x", "\x01", "\xff"}).Draw(t, "byte")
	switch rapid.IntRange(0, 2).Draw(t, "how") {
	case 0:
		return s[:i] + s[i+1:]
	case 1:
		return s[:i] + b + s[i:]
	default:
		return s[:i] + b + s[i+1:]
	}
}

// TestDecodeAgreesWithEncodingJSONProperty: on valid and mutated JSON,
// DecodeJSON with WithSkipUnknown and WithAllowDuplicates accepts exactly
// what encoding/json accepts, and decodes the schema's keys to the same
// values; see decodeWithEncodingJSON for the oracle. Without
// WithAllowDuplicates it decodes the same or fails with ErrDuplicateKey.
// On failure the Dict is unchanged.
func TestDecodeAgreesWithEncodingJSONProperty(t *testing.T) {
	keys := []string{"a", "b", "é", "x y"}
	s := slotdict.NewSchema(keys...)
	key := rapid.SampledFrom([]string{`"a"`, `"b"`, `"\u0061"`, `"é"`, `"\u00e9"`, `"x y"`, `"other"`, `"\ud800"`, `"b\u0000"`})
	doc := rapid.OneOf(jsonObject(key, jsonValue(2)), jsonValue(1))
	rapid.Check(t, func(t *rapid.T) {
		in := []byte(mutate(t, doc.Draw(t, "json")))
		want, jerr := decodeWithEncodingJSON(in, s)

		strict := mustFromMap(s, map[string]any{"a": "before"})
		serr := strict.DecodeJSON(in, slotdict.WithSkipUnknown())
		d := mustFromMap(s, map[string]any{"a": "before"})
		err := d.DecodeJSON(in, slotdict.WithSkipUnknown(), slotdict.WithAllowDuplicates())
		var sde, de *slotdict.DecodeError
		switch {
		case errors.Is(serr, slotdict.ErrDuplicateKey) && errors.As(serr, &sde) && errors.As(err, &de) && de.Offset <= sde.Offset:
			// Errors are reported in the order of the document.
			t.Fatalf("DecodeJSON(%q): a duplicate key, %v, in a document that fails before it with WithAllowDuplicates: %v", in, serr, err)
		case !errors.Is(serr, slotdict.ErrDuplicateKey) && (serr == nil) != (err == nil):
			t.Fatalf("DecodeJSON(%q): %v, but %v with WithAllowDuplicates", in, serr, err)
		case serr == nil && !reflect.DeepEqual(maps.Collect(strict.All()), maps.Collect(d.All())):
			t.Fatalf("DecodeJSON(%q): %v, but %v with WithAllowDuplicates", in, strict, d)
		}
		if (err == nil) != (jerr == nil) {
			t.Fatalf("DecodeJSON(%q): error %v; encoding/json: %v", in, err, jerr)
		}
		if err != nil {
			if !errors.As(err, &de) || de.Offset < 0 || de.Offset > int64(len(in)) {
				t.Fatalf("DecodeJSON(%q): error %v has no offset within the input", in, err)
			}
			if v, _ := d.Get("a"); d.Len() != 1 || v != "before" {
				t.Fatalf("a failed decode changed the Dict to %v", d)
			}
			return
		}
		if want == nil { // the input was null: a no-op
			want = map[string]any{"a": "before"}
		}
		for _, k := range keys {
			v, ok := d.Get(k)
			w, wok := want[k]
			if ok != wok || !reflect.DeepEqual(v, w) {
				t.Fatalf("DecodeJSON(%q): %q = %#v, %v; encoding/json: %#v, %v", in, k, v, ok, w, wok)
			}
		}
	})
}

// decodeWithEncodingJSON is the oracle: it decodes in with encoding/json
// alone, as a Dict[string, any] over s with WithSkipUnknown should: the
// input must be valid JSON, an object or null; every value of a key in s is
// decoded into an any (and may fail, for a number out of float64's range);
// the values of other keys are only validated. It returns nil for null.
func decodeWithEncodingJSON(in []byte, s *slotdict.Schema[string]) (map[string]any, error) {
	if !json.Valid(in) {
		return nil, errors.New("invalid JSON")
	}
	switch trimmed := bytes.TrimSpace(in); {
	case string(trimmed) == "null":
		return nil, nil
	case trimmed[0] != '{':
		return nil, errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.Token() // the '{'
	m := map[string]any{}
	for dec.More() {
		k, _ := dec.Token()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if s.Has(k.(string)) {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			m[k.(string)] = v
		}
	}
	return m, nil
}

// TestNumberDecodingAgreesProperty: the fast paths for int, int64 and
// float64 values agree with encoding/json on every JSON number, including
// ones that overflow or are not integers.
func TestNumberDecodingAgreesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		num := jsonValue(0).Filter(func(s string) bool { return s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') }).Draw(t, "number")
		in := []byte(`{"v": ` + num + `}`)
		agree[int](t, in, num)
		agree[int64](t, in, num)
		agree[float64](t, in, num)
	})
}
