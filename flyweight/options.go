package flyweight

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// An Option configures JSON decoding into Records ([Record.DecodeJSON],
// [DecodeRecords]) and Frames ([DecodeFrame]): one of the WithXxx values
// below. The zero Option changes nothing. [WithSkipBadLines] acts on
// streams only, and is ignored by DecodeJSON.
type Option struct{ set jsonscan.Setting }

func (o Option) setting() jsonscan.Setting { return o.set }

// WithUseNumber makes numbers decoded into an any (at any depth) a
// json.Number holding their text, as json.Decoder.UseNumber does, instead
// of a float64, which cannot hold every integer above 2⁵³ exactly.
func WithUseNumber() Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.UseNumber = true; return c }}
}

// WithAllowDuplicates makes an object that has a key more than once decode
// as encoding/json decodes it: the last value wins, and the key keeps the
// position of its first occurrence. Without it a duplicate key is an error
// matching [ErrDuplicateKey], as in encoding/json/v2 (and as in
// slotdict, whose WithAllowDuplicates is the same choice).
func WithAllowDuplicates() Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.AllowDuplicates = true; return c }}
}

// WithNestedRecords makes the objects inside the values of a Record[any]
// (at any depth, arrays included) decode as *Record[any], sharing schemas
// with the records around them, instead of as map[string]any.
func WithNestedRecords() Option {
	return Option{func(c jsonscan.Options) jsonscan.Options { c.NestedRecords = true; return c }}
}

// WithSkipBadLines makes [DecodeRecords], [DecodeFrame] and [Frame.Decode]
// skip the records that fail to decode and go on with the next, instead
// of ending the stream. Each
// skipped record's *[DecodeError], with its Line (1-based), byte offset and
// error, is passed to report, in the decoding goroutine and in stream
// order, before the next record is decoded; report may keep it. A nil
// report skips silently. No record before or after a skipped one is lost.
//
// Which errors are skipped depends on the form of the stream:
//
//   - In JSON Lines (any stream that is not an array), each line is one
//     record, and every error of a line is skipped, syntax errors
//     included: decoding goes on at the next line. A line must then hold
//     one JSON object and nothing else but whitespace (blank lines are
//     passed over); an object may not span lines, as it may without this
//     option (so the pretty-printed output of `go list -json` is all bad
//     lines).
//   - In a JSON array, where a syntax error leaves no way to find the next
//     element, only an element that is valid JSON is skipped: one that is
//     not an object ([ErrNotObject]), has a key twice ([ErrDuplicateKey]),
//     a value that does not decode into V (a *json.UnmarshalTypeError,
//     say), or more keys than a schema can hold ([ErrLimit]). An element
//     with a syntax error ([ErrSyntax]) ends the stream with that error, as
//     without the option, and so do errors between elements (a missing
//     ',').
//
// A reader's error always ends the stream. It is the same choice as
// slotdict's WithSkipBadLines.
func WithSkipBadLines(report func(*DecodeError)) Option {
	if report == nil {
		report = func(*DecodeError) {}
	}
	return Option{func(c jsonscan.Options) jsonscan.Options { c.SkipBadLines = report; return c }}
}
