package jsonscan_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// decodeInto decodes raw, placed after a prefix so that positions are not
// zero, into a V that starts as start, and returns what DecodeValue gives.
func decodeInto[V any](raw string, start V, intern func([]byte) string) (V, error) {
	const prefix = `{"k": `
	sc := jsonscan.Scanner{Data: []byte(prefix + raw + `}`), Base: 100}
	v := start
	end, err := jsonscan.DecodeValue(&sc, len(prefix), 1, &v, &jsonscan.Options{Intern: intern})
	if err == nil && end != len(prefix)+len(raw) {
		panic("DecodeValue ended at the wrong position")
	}
	return v, err
}

// agree checks that DecodeValue into a V gives what json.Unmarshal into a
// zero V gives, value and error-ness.
func agree[V any](t *testing.T, raw string) {
	t.Helper()
	var want V
	jerr := json.Unmarshal([]byte(raw), &want)
	var nonzero V
	if _, ok := any(&nonzero).(*any); !ok {
		_ = json.Unmarshal([]byte(`1`), &nonzero) // a non-zero start where V takes a number
	}
	got, err := decodeInto(raw, nonzero, nil)
	if (err == nil) != (jerr == nil) {
		t.Errorf("%s into %T: error %v, encoding/json %v", raw, want, err, jerr)
		return
	}
	isNaN := func(v any) bool { f, ok := v.(float64); return ok && math.IsNaN(f) }
	if err == nil && !reflect.DeepEqual(got, want) && !(isNaN(got) && isNaN(want)) {
		t.Errorf("%s into %T: %#v, encoding/json %#v", raw, want, got, want)
	}
}

// TestDecodeValueAgreesWithEncodingJSON covers the fast paths (string, any,
// int, int64, float64, bool) and the hand-off to encoding/json (the other
// types) on the edges of each.
func TestDecodeValueAgreesWithEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		"0", "-0", "1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
		"1.0", "1e2", "1E-2", "-0.0", "1e400", "-1e400", "4.9e-324", "1e-400", "123456789012345678901234567890",
		"true", "false", "null", `"1"`, `"true"`, `""`, `"caf\u00e9"`, "\"\xff\"", "[]", "[true]", "{}", `{"a": 1}`,
	} {
		agree[int](t, raw)
		agree[int64](t, raw)
		agree[float64](t, raw)
		agree[float32](t, raw)
		agree[bool](t, raw)
		agree[any](t, raw)
		agree[string](t, raw)
		agree[[]int](t, raw)
		agree[map[string]int](t, raw)
	}
}

func TestDecodeValueNullGivesZero(t *testing.T) {
	// As for a map element, the value is decoded into a fresh zero V:
	// whatever *p held does not survive, null included.
	if got, err := decodeInto("null", map[string]int{"old": 1}, nil); err != nil || got != nil {
		t.Errorf("null into a non-nil map: %v, %v", got, err)
	}
	if got, err := decodeInto(`{"b": 2}`, map[string]int{"old": 1}, nil); err != nil || !reflect.DeepEqual(got, map[string]int{"b": 2}) {
		t.Errorf("an object into a non-nil map: %v, %v", got, err)
	}
	if got, err := decodeInto("null", true, nil); err != nil || got {
		t.Errorf("null into a true bool: %v, %v", got, err)
	}
}

func TestDecodeValueIntern(t *testing.T) {
	calls := 0
	intern := func(b []byte) string { calls++; return "<" + string(b) + ">" }
	if s, _ := decodeInto(`"abc"`, "", intern); s != "<abc>" {
		t.Errorf("string through intern: %q", s)
	}
	if a, _ := decodeInto(`"caf\u00e9"`, any(nil), intern); a != "<café>" {
		t.Errorf("any through intern: %q", a)
	}
	if ts, _ := decodeInto(`"2024-02-29T12:00:00Z"`, time.Time{}, intern); ts.Year() != 2024 {
		t.Errorf("time.Time: %v", ts)
	}
	if l, _ := decodeInto(`["x"]`, []any(nil), intern); !reflect.DeepEqual(l, []any{"x"}) {
		t.Errorf("strings nested in a value: %v", l)
	}
	if calls != 2 {
		t.Errorf("intern called %d times, want 2 (strings going into string or any only)", calls)
	}
}

func TestDecodeValueErrors(t *testing.T) {
	_, err := decodeInto(`"x"`, 0, nil)
	var se *jsonscan.DecodeError
	var te *json.UnmarshalTypeError
	if !errors.As(err, &se) || se.Offset != 106 || !errors.As(err, &te) || te.Offset != 106+3 {
		t.Errorf("a string into an int: %v (%#v), type error offset %d, want 109 (after the value, in the document)", err, se, te.Offset)
	}
	_, err = decodeInto(`[1, "x"]`, []int(nil), nil)
	if !errors.As(err, &se) || se.Offset != 106 || !errors.As(err, &te) || te.Offset != 106+7 {
		t.Errorf("a bad element in a slice: %v, type error offset %d, want 113", err, te.Offset)
	}
	// Syntax errors are found by the scanner, before encoding/json sees the
	// value, and match ErrSyntax.
	_, err = decodeInto(`[1, }`, []int(nil), nil)
	checkError(t, err, 110, "looking for beginning of value")
	_, err = decodeInto(`"a\q"`, "", nil)
	checkError(t, err, 109, "in string escape code")
}
