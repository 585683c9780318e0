package flyweight

import (
	"errors"
	"fmt"
	"strings"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// The errors of JSON decoding match one of these with [errors.Is], or wrap
// the error of decoding a value into V (a *json.UnmarshalTypeError, say).
var (
	// ErrSyntax: the input is not valid JSON, or ends too early.
	ErrSyntax = errors.New("flyweight: invalid JSON")
	// ErrDuplicateKey: an object has the same key twice. encoding/json lets
	// the last value win; a Record refuses to guess.
	ErrDuplicateKey = errors.New("flyweight: duplicate key")
	// ErrNotObject: a record was expected, and the input holds another JSON
	// value (an array, a number, null in a stream).
	ErrNotObject = errors.New("flyweight: not a JSON object")
)

// DecodeError is the error of every failed JSON decode in this package: it
// says where decoding stopped and why. Nothing was decoded into the
// receiver.
type DecodeError struct {
	// Offset is the byte offset in the input (from the start of the stream
	// for DecodeRecords) of the malformed byte, the duplicate key, the value
	// that is not an object or that failed to decode; for truncated input,
	// the input's length.
	Offset int64
	// Key is the key whose value failed to decode, or the duplicate key;
	// "" otherwise.
	Key string
	// Err is ErrSyntax, ErrDuplicateKey, ErrNotObject, or the error of
	// decoding the value into V.
	Err error

	detail string // what was wrong, for ErrSyntax and ErrNotObject
}

// Error says what went wrong, where, and for which key.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("flyweight: decoding JSON at byte offset %d", e.Offset)
	if e.Key != "" {
		msg += fmt.Sprintf(", key %q", e.Key)
	}
	switch {
	case e.detail != "":
		return msg + ": " + e.detail
	case e.Err == ErrDuplicateKey:
		return msg + ": duplicate key"
	default:
		return msg + ": " + e.Err.Error()
	}
}

// Unwrap returns e.Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// decodeError returns err as this package reports it: a *jsonscan.Error
// becomes a *DecodeError for key; other errors (a reader's) are returned as
// they are.
func decodeError(err error, key string) error {
	var se *jsonscan.Error
	if !errors.As(err, &se) {
		return err
	}
	key = strings.Clone(key) // it may be a view of the input (see keyName)
	if se.Err != nil {
		return &DecodeError{Offset: se.Offset, Key: key, Err: se.Err}
	}
	return &DecodeError{Offset: se.Offset, Key: key, Err: ErrSyntax, detail: se.Detail}
}
