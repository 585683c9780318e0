package slotdict

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// An Option configures JSON decoding by [Dict.DecodeJSON], [NewDecoder] and
// [DecodeAll]: one of the WithXxx values below. The zero Option changes
// nothing. [WithSkipBadLines] acts on streams only, and is ignored by
// DecodeJSON.
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

// WithSkipBadLines makes a [Decoder] (and [DecodeAll]) skip the records
// that fail to decode and go on with the next, instead of ending the
// stream. Each skipped record's *[DecodeError], with its Line (1-based),
// byte offset and error, is passed to report, in the decoding goroutine
// and in stream order, before the next record is decoded; report may keep
// it. A nil report skips silently. No record before or after a skipped one
// is lost.
//
// Which errors are skipped depends on the form of the stream:
//
//   - In JSON Lines (any stream that is not an array), each line is one
//     record, and every error of a line is skipped, syntax errors
//     included: decoding goes on at the next line. A line must then hold
//     one JSON object and nothing else but whitespace (blank lines are
//     passed over); an object may not span lines, as it may without this
//     option.
//   - In a JSON array, where a syntax error leaves no way to find the next
//     element, only an element that is valid JSON is skipped: one that is
//     not an object ([ErrNotObject]), has a key outside the schema
//     ([ErrUnknownKey]) or a key twice ([ErrDuplicateKey]), a value that
//     does not decode into V (a *json.UnmarshalTypeError, say), or that
//     exceeds a limit ([ErrLimit]). An element with a syntax error
//     ([ErrSyntax]) ends the stream with that error, as without the
//     option, and so do errors between elements (a missing ',').
//
// A reader's error always ends the stream.
func WithSkipBadLines(report func(*DecodeError)) Option {
	if report == nil {
		report = func(*DecodeError) {}
	}
	return Option{func(c jsonscan.Options) jsonscan.Options { c.SkipBadLines = report; return c }}
}
