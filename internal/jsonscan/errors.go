package jsonscan

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The sentinels of the module's JSON errors. intern, slotdict and flyweight
// export the ones their decoders return under the same names; each is one
// value, so errors.Is matches it whichever package's name is used.
var (
	// ErrSyntax: the input is not valid JSON, or ends too early.
	ErrSyntax = errors.New("invalid JSON")
	// ErrUnknownKey: an object has a key that a locked key set lacks.
	ErrUnknownKey = errors.New("unknown key")
	// ErrDuplicateKey: an object has the same key twice.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrNotObject: an object was expected and another JSON value found.
	ErrNotObject = errors.New("not a JSON object")
	// ErrLimit: valid input that exceeds a documented limit of the decoder
	// (the number of keys in one object, say).
	ErrLimit = errors.New("limit exceeded")
)

// DecodeError is the error of every JSON decoder of the module, defined once
// here and exported by intern, slotdict and flyweight as an alias. It says
// where decoding stopped and why.
type DecodeError struct {
	// Offset is the byte at which the offending token or value starts,
	// counted from the start of the input or stream: the malformed byte of
	// a syntax error (the input's length when it ends too early), the key
	// that is unknown or duplicate, the value that is not an object or did
	// not decode, the element that breaks a rule.
	Offset int64
	// Line is the 1-based line of Offset, set by the decoders of streams
	// (each newline starts a line); it is 0 where lines are not counted,
	// as in the decoders of a single document.
	Line int
	// Key is the object key being decoded when decoding stopped: the
	// unknown or duplicate key, or the key whose value is at fault. It is
	// "" outside an object's values.
	Key string
	// Err is one of the sentinels above (or another package's, such as
	// intern.ErrConflict), or the error of decoding a valid value into its
	// Go type: a *json.UnmarshalTypeError, whose own Offset then counts
	// from the start of the input too, or what an UnmarshalJSON method
	// returned.
	Err error

	detail string // what was wrong, for a sentinel Err
	keyed  bool   // Key is set, if only to "" (an empty key is a key)
	inKey  bool   // the key itself failed to decode (see KeyDecodeError)
}

// Error says what went wrong, at which byte offset, and for which key,
// after "line N: " if Line is set.
func (e *DecodeError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.message())
	}
	return e.message()
}

func (e *DecodeError) message() string {
	keyed := e.keyed || e.Key != ""
	switch {
	case e.inKey:
		return fmt.Sprintf("cannot decode key %q at byte offset %d: %v", e.Key, e.Offset, e.Err)
	case e.Err == ErrUnknownKey || e.Err == ErrDuplicateKey:
		return fmt.Sprintf("%v %q at byte offset %d", e.Err, e.Key, e.Offset)
	case e.detail == "" && keyed:
		return fmt.Sprintf("cannot decode the value of key %q at byte offset %d: %v", e.Key, e.Offset, e.Err)
	case e.detail == "":
		return fmt.Sprintf("cannot decode the value at byte offset %d: %v", e.Offset, e.Err)
	case keyed:
		return fmt.Sprintf("%v at byte offset %d in the value of key %q: %s", e.Err, e.Offset, e.Key, e.detail)
	}
	return fmt.Sprintf("%v at byte offset %d: %s", e.Err, e.Offset, e.detail)
}

// Unwrap returns e.Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// Errorf returns a *DecodeError at offset for err, one of the sentinels,
// with a detail formatted as by fmt.Sprintf.
func Errorf(offset int64, err error, format string, args ...any) *DecodeError {
	return &DecodeError{Offset: offset, Err: err, detail: fmt.Sprintf(format, args...)}
}

// TooManyKeys returns the error of a decoder that meets, at offset, a key
// beyond the max an object may have (see ErrLimit).
func TooManyKeys(offset int64, max int) *DecodeError {
	return Errorf(offset, ErrLimit, "an object of more than %d keys", max)
}

// KeyError returns the *DecodeError at offset for err about key (copied:
// key may be a view of the input), such as ErrUnknownKey.
func KeyError(offset int64, key string, err error) *DecodeError {
	return &DecodeError{Offset: offset, Key: string([]byte(key)), Err: err, keyed: true}
}

// KeyDecodeError returns the *DecodeError of a key, at offset in the
// document, that could not be decoded into its Go type; a
// *json.UnmarshalTypeError err gets end, the offset after the key, as its
// own Offset, as for the values' errors.
func KeyDecodeError(offset, end int64, key string, err error) *DecodeError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		c := *te
		c.Offset = end
		err = &c
	}
	e := KeyError(offset, key, err)
	e.inKey = true
	return e
}

// WithKey returns err with its Key set to key (copied: key may be a view of
// the input), if err is a *DecodeError without one: the error of a value
// names the key of the innermost object it is in. Any other err, nil
// included, is returned as it is.
func WithKey(err error, key string) error {
	var de *DecodeError
	if !errors.As(err, &de) || de.keyed || de.Key != "" {
		return err
	}
	c := *de
	c.Key, c.keyed = string([]byte(key)), true
	return &c
}
