package slotdict

import "io"

// Decoder reads a stream of JSON objects into Dicts over one schema: either
// one JSON array of objects, or objects one after another separated by
// whitespace (JSON Lines, or concatenated JSON). Which one is decided by the
// first non-whitespace byte: '[' starts an array.
//
// A Decoder reads from r in chunks, and decodes each object as
// [Dict.DecodeJSON] would, with the same options ([WithIntern],
// [WithSkipUnknown]); it keeps in memory no more than the object being
// decoded and the rest of the chunk. Byte offsets in its errors count from
// the start of the stream.
//
// A Decoder is not safe for concurrent use.
type Decoder[K comparable, V any] struct {
	r      io.Reader
	schema *Schema[K]
	names  *jsonNames
	cfg    decodeConfig

	buf  []byte
	pos  int   // next unread byte of buf
	base int64 // stream offset of buf[0]
	rerr error // the error that ended reading from r (io.EOF at the end)

	state streamState
	err   error // once set, every Decode returns it
}

type streamState uint8

const (
	streamStart      streamState = iota // nothing decoded yet
	streamLines                         // objects separated by whitespace
	streamArrayFirst                    // after '[': an object or ']'
	streamArrayNext                     // after an element: ',' or ']'
)

// Chunk sizes for reading: the buffer starts at minRead bytes and doubles
// when an object does not fit in it.
const (
	minRead            = 32 << 10
	maxConsecutiveZero = 100 // reads returning (0, nil) before giving up, as in bufio
)

// NewDecoder returns a Decoder that reads objects from r into Dicts over s.
// V comes first so that NewDecoder[V](r, s) infers K from s. It panics if s
// is nil.
func NewDecoder[V any, K comparable](r io.Reader, s *Schema[K], opts ...DecodeOption) *Decoder[K, V] {
	if s == nil {
		panic("slotdict: NewDecoder with a nil schema")
	}
	dec := &Decoder[K, V]{r: r, schema: s, names: s.names(), cfg: newDecodeConfig(opts)}
	dec.err = dec.names.err
	return dec
}

// DecodeAll decodes every object of the JSON array or JSON-lines stream in
// r (see [Decoder]) into a new Dict over s. If it meets an error, it returns
// the Dicts decoded before it along with the error (a *[DecodeError] for bad
// input, or the error from r). Empty input is a stream of no objects. V comes
// first so that DecodeAll[V](r, s) infers K from s.
func DecodeAll[V any, K comparable](r io.Reader, s *Schema[K], opts ...DecodeOption) ([]*Dict[K, V], error) {
	dec := NewDecoder[V](r, s, opts...)
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

func (dec *Decoder[K, V]) decode() (*Dict[K, V], error) {
	c, ok := dec.peek()
	if !ok && dec.rerr != io.EOF {
		return nil, dec.rerr
	}
	switch dec.state {
	case streamStart:
		dec.state = streamLines
		if ok && c == '[' {
			dec.pos++
			dec.state = streamArrayFirst
		}
		return dec.decode()
	case streamLines:
		if !ok {
			return nil, io.EOF
		}
		return dec.object()
	case streamArrayFirst:
		if ok && c == ']' {
			dec.pos++
			return nil, dec.end()
		}
		dec.state = streamArrayNext
		return dec.object()
	default: // streamArrayNext
		switch {
		case ok && c == ']':
			dec.pos++
			return nil, dec.end()
		case ok && c == ',':
			dec.pos++
			return dec.object()
		default:
			return nil, dec.scanner().unexpected(0, "after array element")
		}
	}
}

// scanner returns a scanner over the unread part of the buffer.
func (dec *Decoder[K, V]) scanner() *scanner {
	return &scanner{data: dec.buf[dec.pos:], base: dec.base + int64(dec.pos)}
}

// end checks that only whitespace follows the closing ']' of an array.
func (dec *Decoder[K, V]) end() error {
	if _, ok := dec.peek(); ok {
		return dec.scanner().unexpected(0, "after top-level value")
	}
	if dec.rerr != io.EOF {
		return dec.rerr
	}
	return io.EOF
}

// object decodes the object that starts at the next non-whitespace byte.
func (dec *Decoder[K, V]) object() (*Dict[K, V], error) {
	dec.peek()
	if err := dec.frame(); err != nil {
		return nil, err
	}
	d := New[K, V](dec.schema)
	sc := dec.scanner()
	end, err := decodeObject(sc, 0, d, dec.names, &dec.cfg)
	if err != nil {
		if de, ok := err.(*DecodeError); ok && dec.rerr != nil && dec.rerr != io.EOF &&
			de.Err == ErrSyntax && de.Offset == sc.base+int64(len(sc.data)) {
			return nil, dec.rerr // the object was cut short by a read error
		}
		return nil, err
	}
	dec.pos += end
	return d, nil
}

// peek skips whitespace and returns the next byte, reading more input as
// needed; ok is false at the end of the input.
func (dec *Decoder[K, V]) peek() (c byte, ok bool) {
	for {
		for ; dec.pos < len(dec.buf); dec.pos++ {
			switch c := dec.buf[dec.pos]; c {
			case ' ', '\t', '\n', '\r':
			default:
				return c, true
			}
		}
		if !dec.fill() {
			return 0, false
		}
	}
}

// frame makes sure the whole value starting at dec.pos is in the buffer,
// reading more input as needed. It only matches brackets outside strings;
// decodeObject validates. It stops early at the end of the input, leaving
// the truncation for decodeObject to report, and returns only read errors.
func (dec *Decoder[K, V]) frame() error {
	depth, inString, escaped := 0, false, false
	for off := 0; ; off++ {
		if dec.pos+off == len(dec.buf) && !dec.fill() {
			if dec.rerr == io.EOF {
				return nil
			}
			return dec.rerr
		}
		c := dec.buf[dec.pos+off]
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth <= 0 {
				return nil
			}
		}
		if depth == 0 && !inString {
			return nil // not an object or array: decodeObject reports it
		}
	}
}

// fill reads more input into the buffer, first moving the unread bytes to
// its start and growing it if it is full. It reports whether any bytes were
// added; if not, dec.rerr says why.
func (dec *Decoder[K, V]) fill() bool {
	if dec.rerr != nil {
		return false
	}
	if dec.pos > 0 {
		n := copy(dec.buf, dec.buf[dec.pos:])
		dec.buf = dec.buf[:n]
		dec.base += int64(dec.pos)
		dec.pos = 0
	}
	if len(dec.buf) == cap(dec.buf) {
		grown := make([]byte, len(dec.buf), max(minRead, 2*cap(dec.buf)))
		copy(grown, dec.buf)
		dec.buf = grown
	}
	for range maxConsecutiveZero {
		n, err := dec.r.Read(dec.buf[len(dec.buf):cap(dec.buf)])
		dec.buf = dec.buf[:len(dec.buf)+n]
		if err != nil {
			dec.rerr = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
	dec.rerr = io.ErrNoProgress
	return false
}
