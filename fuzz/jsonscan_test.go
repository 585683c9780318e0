package fuzz

import (
	"encoding/json"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// FuzzJSONString: the scanner under every decoder accepts a string literal
// exactly when encoding/json does, and unquotes it to the same value
// (escapes, surrogate pairs and invalid UTF-8 included).
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{`""`, `"plain"`, `"caf\u00e9"`, `"\ud83d\ude00"`, `"\ude00\ud83d"`, `"\ud83d\u0041"`,
		"\"\xff\xe2\x82\"", `"\"\\\/\b\f\n\r\t"`, `"\x"`, `"\u12"`, "\"\x01\"", `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '"' {
			return // Quoted starts at a quote
		}
		var want string
		sc := jsonscan.Scanner{Data: data}
		str, err := sc.Quoted(0)
		if err != nil {
			if json.Unmarshal(data, &want) == nil {
				t.Fatalf("Quoted(%q): %v; encoding/json decodes %q", data, err, want)
			}
			return
		}
		lit := data[:str.End]
		if err := json.Unmarshal(lit, &want); err != nil {
			t.Fatalf("Quoted accepts %q; encoding/json: %v", lit, err)
		}
		if got := sc.Unquote(str, nil); string(got) != want {
			t.Fatalf("Unquote(%q) = %q; encoding/json gives %q", lit, got, want)
		}
	})
}
