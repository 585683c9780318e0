package flyweight

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// The errors of JSON decoding match one of these with [errors.Is], or wrap
// the error of decoding a value into V (a *json.UnmarshalTypeError, say).
// They are the module's JSON sentinels: slotdict and intern export the same
// values.
var (
	// ErrSyntax: the input is not valid JSON, or ends too early.
	ErrSyntax = jsonscan.ErrSyntax
	// ErrDuplicateKey: an object has the same key twice (see
	// [WithAllowDuplicates]).
	ErrDuplicateKey = jsonscan.ErrDuplicateKey
	// ErrNotObject: a record was expected, and the input holds another JSON
	// value (an array, a number, null in a stream).
	ErrNotObject = jsonscan.ErrNotObject
	// ErrLimit: an object has more keys than a schema can hold
	// ([slotdict.MaxKeys]).
	ErrLimit = jsonscan.ErrLimit
)

// DecodeError is the error of every failed JSON decode in this package: the
// byte offset at which the offending token or value starts (from the start
// of the input or stream), the key being decoded, and the sentinel it
// matches or the error of decoding a value into V. It is the one decode
// error of the module: slotdict.DecodeError and intern.DecodeError are the
// same type.
type DecodeError = jsonscan.DecodeError
