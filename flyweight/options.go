package flyweight

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// An Option configures JSON decoding into Records ([Record.DecodeJSON],
// [DecodeRecords]): one of the WithXxx values below. The zero Option
// changes nothing.
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
