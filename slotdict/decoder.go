package slotdict

import (
	"io"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// Decoder reads a stream of JSON objects into Dicts over one schema: either
// one JSON array of objects, or objects one after another separated by
// whitespace (JSON Lines, or concatenated JSON). Which one is decided by the
// first non-whitespace byte: '[' starts an array.
//
// A Decoder reads from r in chunks, and decodes each object as
// [Dict.DecodeJSON] would with the same options: as a document of its own,
// so that its nesting depth counts from the object in an array too, where
// encoding/json decoding the whole array would count one more. It keeps in
// memory no more than the object being decoded and the rest of the chunk,
// and reports a malformed object having read no further than the end of its
// first chunk or about twice as far into the object as the error. Byte
// offsets in its errors count from the start of the stream. An element that
// is valid JSON but not an object is an error matching [ErrNotObject].
//
// Errors end the stream: once Decode has returned an error other than
// io.EOF, it returns the same error again. With [WithSkipBadLines] the bad
// records are skipped instead, as far as the form of the stream allows. The
// errors of a Decoder give the line of their offset too ([DecodeError].Line).
// flyweight.DecodeRecords follows the same rules.
//
// A Decoder is not safe for concurrent use.
type Decoder[K comparable, V any] struct {
	stream *jsonscan.Stream
	schema *Schema[K]
	names  *jsonNames
	cfg    jsonscan.Options
	err    error // once set, every Decode returns it
}

// NewDecoder returns a Decoder that reads objects from r into Dicts over s.
// It panics if s is nil.
func NewDecoder[K comparable, V any](r io.Reader, s *Schema[K], opts ...Option) *Decoder[K, V] {
	if s == nil {
		panic("slotdict: NewDecoder with a nil schema")
	}
	names := s.names()
	cfg := jsonscan.Configure(opts, Option.setting)
	stream := jsonscan.NewStream(r)
	stream.SkipBadLines(cfg.SkipBadLines)
	return &Decoder[K, V]{stream: stream, schema: s, names: names, cfg: cfg, err: names.err}
}

// DecodeAll decodes every object of the JSON array or JSON Lines stream in
// r (see [Decoder]) into a new Dict over s. If it meets an error, it returns
// the Dicts decoded before it, in order, along with the error: a
// *[DecodeError] for bad input, the error from r, or, before reading
// anything, the error that [Dict.MarshalJSON] would give for s's keys (a key
// type with no JSON names, or two keys with one name). Empty input is a
// stream of no objects.
func DecodeAll[K comparable, V any](r io.Reader, s *Schema[K], opts ...Option) ([]*Dict[K, V], error) {
	dec := NewDecoder[K, V](r, s, opts...)
	var out []*Dict[K, V]
	for {
		d, err := dec.Decode()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
}

// Decode returns the next object of the stream as a new Dict, or io.EOF
// after the last one (after the closing ']' of an array, and whitespace
// only until the end of the input). Errors are final: once Decode has
// returned an error, it returns the same error again.
func (dec *Decoder[K, V]) Decode() (*Dict[K, V], error) {
	if dec.err != nil {
		return nil, dec.err
	}
	d, err := dec.decode()
	if err != nil {
		dec.err = err
	}
	return d, err
}

// decode returns the next record, skipping those that Skip skips.
func (dec *Decoder[K, V]) decode() (*Dict[K, V], error) {
	for {
		d, err := dec.next()
		if err == nil {
			return d, nil
		}
		if err = dec.stream.Skip(err); err != nil {
			return nil, err
		}
	}
}

// next decodes the next element of the stream.
func (dec *Decoder[K, V]) next() (*Dict[K, V], error) {
	var d *Dict[K, V]
	err := dec.stream.Scan(func(sc *jsonscan.Scanner) (int, error) {
		if err := sc.Object(0, 0); err != nil {
			return 0, err
		}
		d = New[K, V](dec.schema)
		return decodeObject(sc, 0, d, dec.names, &dec.cfg)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
