package flyweight

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// The errors of JSON decoding match one of these with [errors.Is], or wrap
// the error of decoding a value into V (a *json.UnmarshalTypeError, say).
var (
	ErrSyntax       = jsonscan.ErrSyntax
	ErrDuplicateKey = jsonscan.ErrDuplicateKey
	ErrNotObject    = jsonscan.ErrNotObject
)

// DecodeError is the error of every failed JSON decode in this package.
type DecodeError = jsonscan.DecodeError

// decodeError returns err with the key being decoded.
func decodeError(err error, key string) error {
	return jsonscan.WithKey(err, key)
}
