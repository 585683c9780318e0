package slotdict

import (
	"errors"
	"fmt"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// ErrUnknownKey is matched (with [errors.Is]) by the errors of every
// operation that meets a key outside a Dict's schema: [Dict.Set], [FromMap]
// and JSON decoding. The error's message names the key.
var ErrUnknownKey = errors.New("slotdict: unknown key")

// ErrSyntax is matched (with [errors.Is]) by the errors for malformed or
// truncated JSON input.
var ErrSyntax = errors.New("slotdict: invalid JSON")

// DecodeError is the error of a JSON decode in this package that failed on
// its input (rather than on a key type with no JSON names, or on the reader
// of a [Decoder]). It says where in the input decoding stopped and why.
type DecodeError struct {
	// Offset is the byte offset in the input (counted from the start of the
	// stream for a [Decoder]) of the unknown key, the malformed byte or the
	// value that failed to decode; for truncated input it is the input's
	// length.
	Offset int64
	// Key is the object key being decoded (the unknown key, or the key
	// whose value failed), or "" for a syntax error outside a value.
	Key string
	// Err is [ErrUnknownKey], [ErrSyntax], or the error from decoding the
	// value into V (for example a *json.UnmarshalTypeError).
	Err error

	detail string // for ErrSyntax: what was wrong
}

// Error names what went wrong, the key if there is one, and the offset.
func (e *DecodeError) Error() string {
	switch {
	case e.Err == ErrUnknownKey:
		return fmt.Sprintf("slotdict: unknown key %q at byte offset %d", e.Key, e.Offset)
	case e.Err == ErrSyntax && e.Key != "":
		return fmt.Sprintf("slotdict: invalid JSON at byte offset %d in the value of key %q: %s", e.Offset, e.Key, e.detail)
	case e.Err == ErrSyntax:
		return fmt.Sprintf("slotdict: invalid JSON at byte offset %d: %s", e.Offset, e.detail)
	default:
		return fmt.Sprintf("slotdict: key %q at byte offset %d: %v", e.Key, e.Offset, e.Err)
	}
}

// Unwrap returns e.Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// decodeError returns err as this package reports it: a *jsonscan.Error
// becomes a *DecodeError for key (matching ErrSyntax, or wrapping the error
// from decoding the value into V); any other error, nil, io.EOF and a
// reader's errors included, is returned as it is.
func decodeError(err error, key string) error {
	se, ok := err.(*jsonscan.Error)
	if !ok {
		return err
	}
	if se.Err != nil {
		return &DecodeError{Offset: se.Offset, Key: key, Err: se.Err}
	}
	return &DecodeError{Offset: se.Offset, Key: key, Err: ErrSyntax, detail: se.Detail}
}
