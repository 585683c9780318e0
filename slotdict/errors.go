package slotdict

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// ErrUnknownKey is matched (with [errors.Is]) by the errors of every
// operation that meets a key outside a Dict's schema: [Dict.Set], [FromMap]
// and JSON decoding. The error's message names the key.
var ErrUnknownKey = jsonscan.ErrUnknownKey

// ErrSyntax is matched (with [errors.Is]) by the errors for malformed or
// truncated JSON input.
var ErrSyntax = jsonscan.ErrSyntax

// DecodeError is the error of a JSON decode that failed on its input.
type DecodeError = jsonscan.DecodeError

// decodeError returns err with the key being decoded.
func decodeError(err error, key string) error {
	return jsonscan.WithKey(err, key)
}
