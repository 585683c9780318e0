package jsonscan_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// token is a piece of JSON text, valid or not on its own: documents are
// sequences of them, so that most are invalid in interesting places and
// some are valid.
var token = rapid.SampledFrom([]string{
	"{", "}", "[", "]", ",", ":", " ", "\n\t",
	`"a"`, `"key"`, `""`, `"\u00e9"`, `"\ud83d\ude00"`, `"\"}"`, `"\\"`, "\"\xff\"", `"\x"`, `"\u12"`, "\"\x01\"", `"`,
	"0", "-1", "12.5", "1e3", "-0.0E-2", "01", "1.", "-", "1e", "+1",
	"true", "false", "null", "nul", "tru", "x",
})

// document generates JSON text: token soup, or a valid document made by
// encoding/json with random indentation and then perhaps mutated by one
// byte.
func document() *rapid.Generator[[]byte] {
	leaf := rapid.OneOf(
		rapid.Map(rapid.String(), func(s string) any { return s }),
		rapid.Map(rapid.Float64Range(-1e9, 1e9), func(f float64) any { return f }),
		rapid.Map(rapid.Bool(), func(b bool) any { return b }),
		rapid.Just[any](nil),
	)
	value := rapid.OneOf(leaf,
		rapid.Map(rapid.SliceOfN(leaf, 0, 4), func(l []any) any { return l }),
		rapid.Map(rapid.MapOfN(rapid.StringN(0, 4, -1), rapid.OneOf(leaf, rapid.Map(rapid.SliceOfN(leaf, 0, 3), func(l []any) any { return l })), 0, 4),
			func(m map[string]any) any { return m }))
	valid := rapid.Custom(func(t *rapid.T) []byte {
		b, err := json.Marshal(value.Draw(t, "value"))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := json.Indent(&out, b, rapid.SampledFrom([]string{"", " "}).Draw(t, "prefix"), rapid.SampledFrom([]string{"", "\t", "  "}).Draw(t, "indent")); err != nil {
			t.Fatal(err)
		}
		doc := out.Bytes()
		if len(doc) > 0 && rapid.Bool().Draw(t, "mutate") {
			i := rapid.IntRange(0, len(doc)-1).Draw(t, "at")
			c := rapid.SampledFrom([]byte(`{}[]",:0-.etn \x`)).Draw(t, "byte")
			switch rapid.IntRange(0, 2).Draw(t, "how") {
			case 0:
				doc = append(doc[:i], doc[i+1:]...)
			case 1:
				doc = append(doc[:i], append([]byte{c}, doc[i:]...)...)
			default:
				doc[i] = c
			}
		}
		return doc
	})
	soup := rapid.Map(rapid.SliceOfN(token, 0, 12), func(ts []string) []byte { return []byte(strings.Join(ts, "")) })
	return rapid.OneOf(valid, soup)
}

// TestValueAgreesWithEncodingJSONProperty: a document is accepted (one
// value, then only whitespace) exactly when encoding/json says it is valid,
// and every error is a syntax error at an offset within the input.
func TestValueAgreesWithEncodingJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := document().Draw(t, "json")
		base := rapid.Int64Range(0, 1<<40).Draw(t, "base")
		err := scanValue(string(in), base)
		if valid := json.Valid(in); (err == nil) != valid {
			t.Fatalf("%q: scanner error %v; encoding/json valid: %v", in, err, valid)
		}
		var se *jsonscan.DecodeError
		if err != nil && (!errors.As(err, &se) || se.Err != jsonscan.ErrSyntax || se.Offset < base || se.Offset > base+int64(len(in))) {
			t.Fatalf("%q: error %#v is not a syntax error within the input", in, err)
		}
	})
}

// stringPiece is a piece of the inside of a string literal: plain text,
// every kind of escape (valid and not), surrogate halves alone, in pairs and
// out of order, and invalid or truncated UTF-8.
var stringPiece = rapid.SampledFrom([]string{
	"a", "key", " ", "é", "日本", "\U0001F600", "\xff", "\xe2\x82", "\xed\xa0\x80", "\xef\xbf\xbd",
	`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00e9`, `\u0000`, `\uFFFD`, `\u20AC`,
	`\ud83d`, `\ude00`, `\ud83d\ude00`, `\ude00\ud83d`, `\ud83d\u0041`, `\uD83D\uDE00`,
	`\x`, `\u12`, `\uzzzz`, "\x01", `\`, `"`,
})

// TestUnquoteAgreesWithEncodingJSONProperty: Quoted accepts a string literal
// exactly when encoding/json does, and Unquote and Text give the value
// encoding/json gives, whatever the buffer Unquote appends to.
func TestUnquoteAgreesWithEncodingJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lit := `"` + strings.Join(rapid.SliceOfN(stringPiece, 0, 8).Draw(t, "pieces"), "") + `"`
		var want string
		jsonErr := json.Unmarshal([]byte(lit), &want)
		sc := jsonscan.Scanner{Data: []byte(lit + " ")}
		str, err := sc.Quoted(0)
		if err != nil || str.End != len(lit) {
			if jsonErr == nil {
				t.Fatalf("Quoted(%s) = %+v, %v; encoding/json decodes %q", lit, str, err, want)
			}
			return
		}
		if jsonErr != nil {
			t.Fatalf("Quoted accepts %s; encoding/json: %v", lit, jsonErr)
		}
		prefix := rapid.SampledFrom([]string{"", "prefix"}).Draw(t, "prefix")
		if got := sc.Unquote(str, []byte(prefix)); string(got) != prefix+want {
			t.Fatalf("Unquote(%s) appended %q; encoding/json gives %q", lit, got[len(prefix):], want)
		}
		if got := sc.Text(str, nil); got != want {
			t.Fatalf("Text(%s) = %q; encoding/json gives %q", lit, got, want)
		}
	})
}
