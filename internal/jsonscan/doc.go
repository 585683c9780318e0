// Package jsonscan is the JSON scanner that slotdict and flyweight decode
// records with: it walks JSON text in a byte slice position by position,
// validating as it goes, so that a decoder can match object keys against the
// names it knows without allocating them, and decode each value straight
// into its destination with no temporary map or token stream.
//
// # Contract
//
// A [Scanner] holds the input (Data) and the offset of Data[0] in a longer
// stream (Base). Every method takes a position i in Data and returns the
// position after what it scanned; the caller threads positions through.
// The scans of one value ([Scanner.Value], [Scanner.Quoted],
// [Scanner.Number], [Scanner.Literal], [DecodeValue]) start at the value's
// first byte; [Scanner.Space], [Scanner.End] and the object steps skip
// whitespace, and the object steps return positions of significant bytes.
//
// Objects are walked in three steps that allocate nothing (see the example
// of [Scanner.OpenObject]):
//
//	i, more, err := sc.OpenObject(i)          // '{'
//	for err == nil && more {
//		var key String
//		var v int
//		if key, v, err = sc.Member(i); err != nil { // "key" ':' (the value starts at v)
//			break
//		}
//		// match sc.Unquote(key, scratch[:0]), or sc.Bytes(key) if key.Verbatim
//		if v, err = sc.Value(v, depth); err != nil { // or DecodeValue, or another scan
//			break
//		}
//		i, more, err = sc.NextMember(v)         // ',' or '}'
//	}
//
// A [String] is a string literal found by the scanner. When its Verbatim
// field is set, the bytes between the quotes ([Scanner.Bytes]) are the
// string's value as they are: no escapes, valid UTF-8. Otherwise
// [Scanner.Unquote] decodes it into a caller's buffer (and [Scanner.Text]
// into a string), handling escapes and invalid UTF-8 exactly as
// encoding/json does.
//
// [DecodeValue] decodes one value into a Go variable as encoding/json decodes
// a map element: strings into string and any, and numbers and literals into
// int, int64, float64, bool and any, by fast paths that agree with
// encoding/json; everything else by handing the raw value, already
// validated, to encoding/json.
//
// [Stream] frames a stream read from an io.Reader: the elements of one JSON
// array, or values separated by whitespace (JSON Lines, concatenated JSON).
// It hands out a Scanner over each element in turn, with Base set so that
// offsets count from the start of the stream.
//
// # Errors
//
// Every error this package makes is a *[DecodeError], the one JSON error of
// the module, which intern, slotdict and flyweight export as their own: the
// byte offset, from the start of the stream, at which the offending token
// starts (the input's length for truncated input), and a sentinel such as
// [ErrSyntax] with a detail worded as encoding/json words its syntax errors,
// or, for a valid value that encoding/json could not decode into its Go
// type, encoding/json's error. Decoders add the key ([WithKey],
// [KeyError]). A [Stream] also returns io.EOF after the last element and the
// reader's own errors as they are.
//
// The scanner accepts exactly the JSON grammar that encoding/json accepts,
// with the same nesting limit (TestValueAgreesWithEncodingJSONProperty
// checks this). None of its types is safe for concurrent use.
package jsonscan
