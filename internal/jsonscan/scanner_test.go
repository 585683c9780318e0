package jsonscan_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// scanValue scans in as one top-level value with Base set to base, as a
// decoder of a whole document would.
func scanValue(in string, base int64) error {
	sc := jsonscan.Scanner{Data: []byte(in), Base: base}
	end, err := sc.Value(sc.Space(0), 0)
	if err != nil {
		return err
	}
	return sc.End(end)
}

// checkError fails t unless err is a syntax *jsonscan.DecodeError at offset
// whose message contains detail.
func checkError(t *testing.T, err error, offset int64, detail string) {
	t.Helper()
	var se *jsonscan.DecodeError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *jsonscan.DecodeError", err, err)
	}
	if se.Offset != offset || !strings.Contains(se.Error(), detail) || se.Err != jsonscan.ErrSyntax {
		t.Errorf("error at offset %d, %q, Err %v; want offset %d, a message containing %q, ErrSyntax", se.Offset, se.Error(), se.Err, offset, detail)
	}
}

func TestValueErrors(t *testing.T) {
	const base = 1000 // every offset is Base plus the position in Data
	for _, tt := range []struct {
		in     string
		offset int64
		detail string
	}{
		{``, 0, "unexpected end of input"},
		{`   `, 3, "unexpected end of input"},
		{`x`, 0, `invalid character 'x' looking for beginning of value`},
		{`[1, 2`, 5, "unexpected end of input"},
		{`[1 2]`, 3, `invalid character '2' after array element`},
		{`[1,]`, 3, `invalid character ']' looking for beginning of value`},
		{`{"a": 1`, 7, "unexpected end of input"},
		{`{"a": 1,}`, 8, `invalid character '}' looking for beginning of object key string`},
		{`{"a" 1}`, 5, `invalid character '1' after object key`},
		{`{"a": 1 "b": 2}`, 8, `invalid character '"' after object key:value pair`},
		{`{1: 2}`, 1, `looking for beginning of object key string`},
		{`01`, 1, `invalid character '1' after top-level value`},
		{`-`, 1, "unexpected end of input"},
		{`-x`, 1, `invalid character 'x' in numeric literal`},
		{`1.`, 2, "unexpected end of input"},
		{`1.e3`, 2, `after decimal point in numeric literal`},
		{`1e`, 2, "unexpected end of input"},
		{`1e+x`, 3, `in exponent of numeric literal`},
		{`tru`, 3, "unexpected end of input"},
		{`trUe`, 2, `invalid character 'U' in literal true (expecting 'u')`},
		{`nulL`, 3, `in literal null (expecting 'l')`},
		{`"abc`, 4, "unexpected end of input"},
		{`"a\`, 3, "unexpected end of input"},
		{`"\x"`, 2, `invalid character 'x' in string escape code`},
		{`"\u12G4"`, 5, `in \u hexadecimal character escape`},
		{"\"a\tb\"", 2, `invalid character '\t' in string literal`},
		{`"a" "b"`, 4, `after top-level value`},
		{strings.Repeat("[", 10001) + strings.Repeat("]", 10001), 10000, "exceeded max depth"},
	} {
		t.Run(tt.in[:min(len(tt.in), 20)], func(t *testing.T) {
			checkError(t, scanValue(tt.in, base), base+tt.offset, tt.detail)
		})
	}
}

// TestValueNestingLimit: exactly 10000 levels are accepted, as by
// encoding/json.
func TestValueNestingLimit(t *testing.T) {
	in := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	if err := scanValue(in, 0); err != nil || !json.Valid([]byte(in)) {
		t.Errorf("10000 levels: %v; encoding/json valid: %v", err, json.Valid([]byte(in)))
	}
}

func TestQuoted(t *testing.T) {
	for _, tt := range []struct {
		in       string
		verbatim bool
	}{
		{`""`, true},
		{`"plain text"`, true},
		{`"café 日本"`, true},
		{`"a\"b"`, false},
		{`"\u00e9"`, false},
		{`"\/"`, false},
		{"\"\xff\"", false},     // invalid UTF-8: encoding/json makes it U+FFFD
		{"\"\xe2\x82\"", false}, // a truncated sequence
	} {
		data := []byte(`  ` + tt.in + `, 1`)
		sc := jsonscan.Scanner{Data: data}
		str, err := sc.Quoted(2)
		if err != nil {
			t.Fatalf("Quoted(%s): %v", tt.in, err)
		}
		if str.Start != 2 || str.End != 2+len(tt.in) || str.Verbatim != tt.verbatim {
			t.Errorf("Quoted(%s) = %+v, want {Start:2 End:%d Verbatim:%v}", tt.in, str, 2+len(tt.in), tt.verbatim)
		}
		var want string
		if err := json.Unmarshal([]byte(tt.in), &want); err != nil {
			t.Fatal(err)
		}
		if got := sc.Text(str, nil); got != want {
			t.Errorf("Text(%s) = %q; encoding/json gives %q", tt.in, got, want)
		}
		if tt.verbatim && string(sc.Bytes(str)) != want {
			t.Errorf("Bytes(%s) = %q, want %q", tt.in, sc.Bytes(str), want)
		}
	}
}

// TestQuotedFindsEveryByteAtEveryPosition: a string literal with one byte
// of any value at any position of a run of plain bytes, where Quoted reads
// eight bytes at a time, is judged as encoding/json judges it: accepted
// with the same value, or rejected at that byte (or at the end, for an
// escape that the run cannot finish).
func TestQuotedFindsEveryByteAtEveryPosition(t *testing.T) {
	for c := range 256 {
		for at := range 19 {
			b := []byte(`"` + strings.Repeat("a", 20) + `"`)
			b[1+at] = byte(c)
			sc := jsonscan.Scanner{Data: b}
			str, err := sc.Quoted(0)
			if c == '"' {
				if err != nil || str.End != at+2 {
					t.Fatalf("a quote at %d: Quoted ends at %d (%v), want %d", at, str.End, err, at+2)
				}
				continue
			}
			var want string
			werr := json.Unmarshal(b, &want)
			switch {
			case (err == nil) != (werr == nil):
				t.Fatalf("byte %#x at %d: Quoted says %v, encoding/json %v", c, at, err, werr)
			case err == nil && (str.End != len(b) || sc.Text(str, nil) != want):
				t.Fatalf("byte %#x at %d: Quoted ends at %d with %q, want %d and %q", c, at, str.End, sc.Text(str, nil), len(b), want)
			case err == nil && str.Verbatim != (c >= 0x20 && c < 0x80 && c != '\\'):
				t.Fatalf("byte %#x at %d: Verbatim is %v", c, at, str.Verbatim)
			}
			var de *jsonscan.DecodeError
			if err != nil && errors.As(err, &de) && c < 0x20 && de.Offset != int64(1+at) {
				t.Fatalf("byte %#x at %d: error at %d, want %d", c, at, de.Offset, 1+at)
			}
		}
	}
}

func TestTextIntern(t *testing.T) {
	sc := jsonscan.Scanner{Data: []byte(`["abc", "caf\u00e9"]`)}
	var got []string
	intern := func(b []byte) string {
		got = append(got, string(b))
		return "interned"
	}
	for _, i := range []int{1, 8} {
		str, err := sc.Quoted(i)
		if err != nil {
			t.Fatal(err)
		}
		if s := sc.Text(str, intern); s != "interned" {
			t.Errorf("Text through intern = %q", s)
		}
	}
	if strings.Join(got, "|") != "abc|café" {
		t.Errorf("intern was given %q, want the decoded values", got)
	}
}

func TestTextPanicsOnAStringItDidNotScan(t *testing.T) {
	sc := jsonscan.Scanner{Data: []byte(`"\x"`)}
	defer func() {
		if r, _ := recover().(string); r != "jsonscan: Unquote of a string literal that Quoted did not scan" {
			t.Errorf("panic value %q", r)
		}
	}()
	sc.Text(jsonscan.String{Start: 0, End: 4}, nil)
}

func TestNull(t *testing.T) {
	for in, want := range map[string]struct {
		null bool
		err  string
	}{
		"null":     {true, ""},
		" null \n": {true, ""},
		"nul":      {true, "invalid JSON at byte offset 3: unexpected end of input"},
		"null x":   {true, "invalid JSON at byte offset 5: invalid character 'x' after top-level value"},
		"{}":       {false, ""},
		"":         {false, ""},
	} {
		sc := jsonscan.Scanner{Data: []byte(in)}
		null, err := sc.Null(sc.Space(0))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if null != want.null || got != want.err {
			t.Errorf("Null(%q) = %v, %q; want %v, %q", in, null, got, want.null, want.err)
		}
	}
}
