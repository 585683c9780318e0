package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// checkDecodeError checks an error of decoding data, a single JSON document
// or (if !single) a stream, into Dicts over schema (nil for Records or a
// zero Dict) with values of type any and without options: it is the
// module's one *DecodeError, whichever package's name is used for it, with
// an offset within data, and exactly one of
//   - a syntax error (ErrSyntax), where encoding/json finds the document's
//     first one;
//   - an unknown key (ErrUnknownKey, with a schema only), which it names, at
//     a key in data that the schema lacks, and before any syntax error;
//   - a duplicate key (ErrDuplicateKey), the first that occurs twice in an
//     object of data, at its second occurrence;
//   - not an object (ErrNotObject), at a value that does not start one;
//   - a value that encoding/json cannot decode into an any (a number out of
//     range).
//
// Errors come in the order of the document: no duplicate key precedes one
// of the other kinds.
func checkDecodeError(t *testing.T, data []byte, err error, single bool, schema *slotdict.Schema[string]) {
	t.Helper()
	var de *slotdict.DecodeError
	var fde *flyweight.DecodeError
	var ide *intern.DecodeError
	if !errors.As(err, &de) || !errors.As(err, &fde) || !errors.As(err, &ide) || de.Offset < 0 || de.Offset > int64(len(data)) {
		t.Fatalf("decoding %q: %v is not the module's DecodeError with an offset within the input", data, err)
	}
	if !errors.Is(err, slotdict.ErrSyntax) != !errors.Is(err, flyweight.ErrSyntax) || !errors.Is(err, intern.ErrSyntax) != !errors.Is(err, slotdict.ErrSyntax) {
		t.Fatalf("decoding %q: %v: the packages' ErrSyntax disagree", data, err)
	}
	var te *json.UnmarshalTypeError
	syntax, unknown := errors.Is(err, slotdict.ErrSyntax), errors.Is(err, slotdict.ErrUnknownKey)
	dup, notObject, value := errors.Is(err, slotdict.ErrDuplicateKey), errors.Is(err, slotdict.ErrNotObject), errors.As(err, &te)
	dupKey, dupAt, hasDup := firstDuplicateKey(data, !single)
	switch {
	case !exactlyOne(syntax, unknown, dup, notObject, value):
		t.Fatalf("decoding %q: %v matches ErrSyntax: %v, ErrUnknownKey: %v, ErrDuplicateKey: %v, ErrNotObject: %v, a value error: %v; want exactly one",
			data, err, syntax, unknown, dup, notObject, value)
	case unknown && schema == nil:
		t.Fatalf("decoding %q without a schema: %v", data, err)
	case dup:
		if !hasDup || dupKey != de.Key || dupAt != de.Offset {
			t.Fatalf("decoding %q: %v; the first duplicate key is %q at %d (%v)", data, err, dupKey, dupAt, hasDup)
		}
		return
	case hasDup && dupAt < de.Offset:
		t.Fatalf("decoding %q: %v, after the duplicate key %q at byte offset %d", data, err, dupKey, dupAt)
	case syntax && single:
		checkSyntaxError(t, data, de.Offset, err)
	case unknown:
		if schema.Has(de.Key) || de.Offset == int64(len(data)) || data[de.Offset] != '"' {
			t.Fatalf("decoding %q: %v names key %q at byte offset %d", data, err, de.Key, de.Offset)
		}
		if off, bad := syntaxOffset(data); single && bad && off < de.Offset {
			t.Fatalf("decoding %q: %v, after a syntax error at byte offset %d", data, err, off)
		}
	case notObject:
		if de.Offset == int64(len(data)) || data[de.Offset] == '{' {
			t.Fatalf("decoding %q: %v at byte offset %d", data, err, de.Offset)
		}
	}
}

// startsWith reports whether the first byte of data after white space is c.
func startsWith(data []byte, c byte) bool {
	rest := bytes.TrimLeft(data, " \t\r\n")
	return len(rest) > 0 && rest[0] == c
}
