package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// syntaxOffset returns the byte offset of the first syntax error that
// encoding/json finds in data, in this module's convention (the offending
// byte, or len(data) for truncated input; encoding/json counts the bytes
// read, one more), and true; or false if data is one valid JSON value.
func syntaxOffset(data []byte) (int64, bool) {
	var v any
	var se *json.SyntaxError
	if !errors.As(json.Unmarshal(data, &v), &se) {
		return 0, false
	}
	n := int64(len(data))
	// At the end of its input encoding/json scans a space, so a number or
	// literal cut short is "invalid character ' '" just past the end.
	cut := se.Offset == n && strings.HasPrefix(se.Error(), "invalid character ' '") && (n == 0 || data[n-1] != ' ')
	if cut || strings.HasPrefix(se.Error(), "unexpected end") {
		return n, true
	}
	return se.Offset - 1, true
}

// checkSyntaxError checks an error that matches a package's ErrSyntax and
// says it is at offset in data, a single JSON document: encoding/json must
// find data's first syntax error at offset.
func checkSyntaxError(t *testing.T, data []byte, offset int64, err error) {
	t.Helper()
	want, bad := syntaxOffset(data)
	if !bad {
		t.Fatalf("decoding %q: %v, but it is valid", data, err)
	}
	if offset != want {
		t.Fatalf("decoding %q: %v at byte offset %d; encoding/json finds it at %d", data, err, offset, want)
	}
}

// exactlyOne reports whether exactly one of bs is true: an error is of
// exactly one of the kinds a package documents.
func exactlyOne(bs ...bool) bool {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n == 1
}

// firstDuplicateKey walks the JSON text in data token by token, as a
// decoder that refuses duplicate keys would, and returns the first key that
// occurs twice in one object of a record, the offset at which that second
// occurrence starts, and true; or false if it meets none before the end or
// the first syntax error. A record is the document, if it is an object; in
// a stream (stream set), each top-level object and each object element of a
// top-level array. A value that is not a record is refused whole, so the
// duplicates inside it do not count.
func firstDuplicateKey(data []byte, stream bool) (string, int64, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys         map[string]bool // nil in an array
		expectKey    bool
		inRecord     bool // the value is a record or inside one
		holdsRecords bool // a stream's array, whose object elements are records
	}
	var stack []frame
	for {
		// A key starts at the first byte after the previous token that is
		// not white space or a comma.
		start := dec.InputOffset()
		start += int64(len(data[start:]) - len(bytes.TrimLeft(data[start:], " \t\r\n,")))
		tok, err := dec.Token()
		if err != nil {
			return "", 0, false // the end, or a syntax error
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].keys != nil && stack[top].expectKey
		switch tok {
		case json.Delim('{'):
			in := top < 0 || stack[top].inRecord || stack[top].holdsRecords
			stack = append(stack, frame{keys: map[string]bool{}, expectKey: true, inRecord: in})
			continue
		case json.Delim('['):
			in := top >= 0 && stack[top].inRecord
			stack = append(stack, frame{inRecord: in, holdsRecords: stream && top < 0})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
			if top--; top >= 0 && stack[top].keys != nil {
				stack[top].expectKey = true // the object or array was a value
			}
			continue
		}
		if isKey {
			k := tok.(string)
			if stack[top].keys[k] && stack[top].inRecord {
				return k, start, true
			}
			stack[top].keys[k] = true
			stack[top].expectKey = false
		} else if top >= 0 && stack[top].keys != nil {
			stack[top].expectKey = true // a scalar value
		}
	}
}
