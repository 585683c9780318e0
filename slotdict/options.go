package slotdict

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// DecodeOption configures JSON decoding by [Dict.DecodeJSON], [NewDecoder]
// and [DecodeAll]. The zero DecodeOption changes nothing.
type DecodeOption struct {
	// apply maps a configuration to a new one rather than changing it
	// through a pointer, so that the configuration stays on the stack and a
	// decode allocates nothing for it.
	apply func(decodeConfig) decodeConfig
}

type decodeConfig struct {
	jsonscan.Options
	skipUnknown bool
}

func newDecodeConfig(opts []DecodeOption) decodeConfig {
	var c decodeConfig
	for _, o := range opts {
		if o.apply != nil {
			c = o.apply(c)
		}
	}
	return c
}

// WithIntern makes string values go through f: every JSON string decoded
// into a value of type string, or into a value of type any, is stored as
// f(b), where b holds the string's bytes. Pass an interner such as the Bytes
// method of an intern.Pool made for the decode, so that equal strings across
// records share one copy and the pool goes with the decode, or the intern
// package's Bytes, whose process-wide entries cost about 100 bytes each for
// as long as their strings live (this package imports neither).
//
// f must return a string equal to string(b) and must not keep or modify b,
// which is only valid during the call (it aliases the input or a scratch
// buffer). Strings nested inside other values (in an array held by an any,
// say) are decoded by encoding/json and are not passed to f.
func WithIntern(f func(b []byte) string) DecodeOption {
	return DecodeOption{func(c decodeConfig) decodeConfig {
		c.Intern = f
		return c
	}}
}

// WithSkipUnknown makes decoding skip object keys that are not in the
// schema, with their values (which must still be valid JSON), instead of
// failing with [ErrUnknownKey].
func WithSkipUnknown() DecodeOption {
	return DecodeOption{func(c decodeConfig) decodeConfig {
		c.skipUnknown = true
		return c
	}}
}
