package slotdict

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// The errors of this package match one of these with [errors.Is]. They are
// the module's JSON sentinels: intern and flyweight export the same values,
// so a check written with either package's names works on all three.
var (
	// ErrUnknownKey: a key outside a Dict's schema, met by [Dict.Set],
	// [FromMap] or JSON decoding. The error's message names the key.
	ErrUnknownKey = jsonscan.ErrUnknownKey
	// ErrSyntax: malformed or truncated JSON input.
	ErrSyntax = jsonscan.ErrSyntax
	// ErrDuplicateKey: a JSON object has a key twice (see
	// [WithAllowDuplicates]).
	ErrDuplicateKey = jsonscan.ErrDuplicateKey
	// ErrNotObject: an element of a stream is not a JSON object.
	ErrNotObject = jsonscan.ErrNotObject
	// ErrLimit: valid JSON that exceeds a limit, such as an object with more
	// keys than a schema can hold (2²⁴−2).
	ErrLimit = jsonscan.ErrLimit
)

// DecodeError is the error of a JSON decode that failed on its input: the
// byte offset at which the offending token or value starts (from the start
// of the input or stream), the key being decoded, and the sentinel it
// matches or the error of decoding a value into V. It is the one decode
// error of the module: intern.DecodeError and flyweight.DecodeError are the
// same type.
type DecodeError = jsonscan.DecodeError
