package flyweight_test

import (
	"bytes"
	"errors"
	"runtime/debug"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// objectOfKeys returns a JSON object of n distinct short keys, each with
// the value 0, and the offset of the key at position last.
func objectOfKeys(n, last int) ([]byte, int64) {
	const digits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 0, 9*n)
	b = append(b, '{')
	var at int64
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		if i == last {
			at = int64(len(b))
		}
		b = append(b, '"')
		for j := i; ; j /= len(digits) {
			b = append(b, digits[j%len(digits)])
			if j < len(digits) {
				break
			}
		}
		b = append(b, `":0`...)
	}
	return append(b, '}'), at
}

// TestObjectsBeyondMaxKeysAreDecodeErrors: a valid object with more keys
// than a schema holds is refused with an error that matches ErrLimit at the
// first key beyond the limit, by every decoder that would make a schema of
// its keys, never with a panic (encoding/json does not recover one from an
// UnmarshalJSON method).
func TestObjectsBeyondMaxKeysAreDecodeErrors(t *testing.T) {
	gctest.SkipIfRace(t) // the decoders' scratch space for 2²⁴ keys, times the race detector's
	gctest.SkipIfCheckingFinalizers(t, "checks every cleanup at each of the collections of a gigabyte of heap")
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // under GOGC=1 it would collect all the time
	doc, at := objectOfKeys(slotdict.MaxKeys+1, slotdict.MaxKeys)
	check := func(what string, err error) {
		t.Helper()
		var de *flyweight.DecodeError
		if !errors.Is(err, flyweight.ErrLimit) || !errors.As(err, &de) || de.Offset != at {
			t.Errorf("%s: %v, want a limit error at byte offset %d", what, err, at)
		}
	}
	var r flyweight.Record[int]
	check("Record.UnmarshalJSON", r.UnmarshalJSON(doc))
	recs, err := flyweight.DecodeRecords[int](bytes.NewReader(doc))
	check("DecodeRecords", err)
	if len(recs) != 0 || r.Len() != 0 {
		t.Errorf("%d records decoded, and the receiver has %d keys", len(recs), r.Len())
	}
	var d slotdict.Dict[string, int]
	check("a zero Dict's DecodeJSON", d.DecodeJSON(doc))
}
