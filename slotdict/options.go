package slotdict

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// An Option configures JSON decoding by [Dict.DecodeJSON], [NewDecoder] and
// [DecodeAll]: one of the WithXxx values below. The zero Option changes
// nothing.
type Option struct{ set jsonscan.Setting }

func (o Option) setting() jsonscan.Setting { return o.set }

// WithIntern makes string values go through f: every JSON string decoded
// into a value of type string, or into a value of type any (at any depth),
// is stored as f(b), where b holds the string's bytes. Pass an interner
// such as the Bytes method of an intern.Pool made for the decode, so that
// equal strings across records share one copy and the pool goes with the
// decode, or the intern package's Bytes, whose process-wide entries live as
// long as their strings (this package imports neither).
//
// f must return a string equal to string(b) and must not keep or modify b,
// which is only valid during the call (it aliases the input or a scratch
// buffer). Strings inside values of other types (a []string, a struct) are
// decoded by encoding/json and are not passed to f.
func WithIntern(f func(b []byte) string) Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.Intern = f; return c }}
}

// WithSkipUnknown makes decoding skip object keys that are not in the
// schema, with their values (which must still be valid JSON), instead of
// failing with [ErrUnknownKey].
func WithSkipUnknown() Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.SkipUnknown = true; return c }}
}

// WithUseNumber makes numbers decoded into an any (at any depth) a
// json.Number holding their text, as json.Decoder.UseNumber does, instead
// of a float64, which cannot hold every integer above 2⁵³ exactly.
func WithUseNumber() Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.UseNumber = true; return c }}
}

// WithAllowDuplicates makes an object that has a key more than once decode
// as encoding/json decodes it: the last value wins (and, for a zero Dict,
// the key keeps the position of its first occurrence). Without it a
// duplicate key is an error matching [ErrDuplicateKey], as in
// encoding/json/v2: a document that two decoders would read differently is
// refused.
func WithAllowDuplicates() Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.AllowDuplicates = true; return c }}
}
