package jsonscan

import "io"

// Stream frames the elements of a JSON stream read from an io.Reader:
// either one JSON array, whose elements are the stream's, or values one
// after another separated by whitespace (JSON Lines, or concatenated JSON).
// Which one is decided by the first non-whitespace byte: '[' starts an
// array.
//
// Stream reads in chunks and keeps in memory no more than the element being
// scanned and the rest of the chunk. It finds where an element ends by
// matching brackets and quotes only, and leaves validating it to the
// caller's scan; but before reading more of an element that goes on past
// what it has read, it checks that what it has is valid so far (see frame).
type Stream struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte of buf
	base int64 // stream offset of buf[0]
	rerr error // the error that ended reading from r (io.EOF at the end)

	state streamState
	sc    Scanner // what Next returns
}

type streamState uint8

const (
	streamStart      streamState = iota // nothing read yet
	streamLines                         // values separated by whitespace
	streamArrayFirst                    // after '[': an element or ']'
	streamArrayNext                     // after an element: ',' or ']'
)

// Chunk sizes for reading: the buffer starts at minRead bytes and doubles
// when an element does not fit in it.
const (
	minRead            = 32 << 10
	maxConsecutiveZero = 100 // reads returning (0, nil) before giving up, as in bufio
)

// NewStream returns a Stream that reads from r.
func NewStream(r io.Reader) *Stream {
	return &Stream{r: r}
}

// Next returns a Scanner whose Data starts with the next element of the
// stream and holds all of it (unless the input ends first, which the
// caller's scan then reports), with Base set to the element's offset in the
// stream. The Scanner is valid until the next call of Next; before that
// call, the caller reports how far it scanned with [Stream.Advance].
//
// After the last element, Next returns io.EOF: at the end of input in a
// stream of values, or after the closing ']' of an array followed by
// whitespace only. It returns the reader's error if reading failed before
// the next element was whole, and a *[DecodeError] if the stream is not an array
// or values separated by whitespace (an element not followed by ',' or ']'
// in an array, anything but whitespace after an array's ']').
func (st *Stream) Next() (*Scanner, error) {
	for {
		c, ok := st.peek()
		if !ok && st.rerr != io.EOF {
			return nil, st.rerr
		}
		switch st.state {
		case streamStart:
			st.state = streamLines
			if ok && c == '[' {
				st.pos++
				st.state = streamArrayFirst
			}
			continue
		case streamLines:
			if !ok {
				return nil, io.EOF
			}
		case streamArrayFirst:
			if ok && c == ']' {
				st.pos++
				return nil, st.end()
			}
			st.state = streamArrayNext
		case streamArrayNext:
			switch {
			case ok && c == ']':
				st.pos++
				return nil, st.end()
			case ok && c == ',':
				st.pos++
				st.peek()
			default:
				sc := st.scanner()
				return nil, sc.unexpected(0, "after array element")
			}
		}
		if err := st.frame(); err != nil {
			return nil, err
		}
		st.sc = st.scanner()
		return &st.sc, nil
	}
}

// Advance records that the caller scanned the first n bytes of the Data of
// the Scanner that Next returned: the next element starts after them.
func (st *Stream) Advance(n int) {
	st.pos += n
}

// scanner returns a Scanner over the unread part of the buffer.
func (st *Stream) scanner() Scanner {
	return Scanner{Data: st.buf[st.pos:], Base: st.base + int64(st.pos)}
}

// end checks that only whitespace follows the closing ']' of an array.
func (st *Stream) end() error {
	if _, ok := st.peek(); ok {
		sc := st.scanner()
		return sc.unexpected(0, "after top-level value")
	}
	if st.rerr != io.EOF {
		return st.rerr
	}
	return io.EOF
}

// peek skips whitespace and returns the next byte, reading more input as
// needed; ok is false at the end of the input.
func (st *Stream) peek() (c byte, ok bool) {
	for {
		for ; st.pos < len(st.buf); st.pos++ {
			switch c := st.buf[st.pos]; c {
			case ' ', '\t', '\n', '\r':
			default:
				return c, true
			}
		}
		if !st.fill() {
			return 0, false
		}
	}
}

// frame makes sure the whole element starting at st.pos is in the buffer,
// reading more input as needed: up to the bracket that closes an array or
// object, the quote that closes a string, or for anything else the first
// byte that cannot continue a number or literal. It stops early at the end
// of the input, leaving the truncation for the caller's scan to report, and
// returns only read errors.
//
// Brackets alone would let a malformed element (an object missing its '}')
// run on until the brackets happen to balance: through the whole rest of the
// input, held in memory, or forever on a stream that stays open. So when an
// element goes on past the buffer, frame first scans what it has and stops
// at a syntax error before the end, which the caller's scan then reports.
// It scans only when the element has doubled since its last scan, so that
// an element read in small pieces costs at most about three scans of it.
func (st *Stream) frame() error {
	depth, inString, escaped, scalar := 0, false, false, false
	scanned := 0 // the length of the element's prefix last scanned
	for off := 0; ; off++ {
		if st.pos+off == len(st.buf) {
			if off > 0 && off >= 2*scanned {
				scanned = off
				if st.malformed() {
					return nil
				}
			}
			if !st.fill() {
				if st.rerr == io.EOF {
					return nil
				}
				return st.rerr
			}
		}
		switch c := st.buf[st.pos+off]; {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case scalar:
			switch c {
			case ' ', '\t', '\n', '\r', ',', ':', '"', '[', ']', '{', '}':
				return nil
			}
			continue
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case off == 0:
			scalar = true
			continue
		}
		if depth <= 0 && !inString {
			return nil
		}
	}
}

// malformed reports whether the unread part of the buffer, the start of an
// element whose end is not in it, has a syntax error before its end (a
// truncated value is an error at the end: see DecodeError.Offset).
func (st *Stream) malformed() bool {
	sc := st.scanner()
	_, err := sc.Value(0, 0)
	e, ok := err.(*DecodeError)
	return ok && e.Offset < sc.Base+int64(len(sc.Data))
}

// fill reads more input into the buffer, first moving the unread bytes to
// its start, growing it if it is full and shrinking it back to minRead once
// the long element that grew it is behind. It reports whether any bytes were
// added; if not, st.rerr says why.
func (st *Stream) fill() bool {
	if st.rerr != nil {
		return false
	}
	unread := st.buf[st.pos:]
	switch {
	case len(unread) == cap(st.buf):
		st.buf = append(make([]byte, 0, max(minRead, 2*cap(st.buf))), unread...)
	case cap(st.buf) > minRead && len(unread) <= minRead/2:
		// Without this, one long element would cost its size for the rest
		// of the stream.
		st.buf = append(make([]byte, 0, minRead), unread...)
	default:
		st.buf = st.buf[:copy(st.buf, unread)]
	}
	st.base += int64(st.pos)
	st.pos = 0
	for range maxConsecutiveZero {
		n, err := st.r.Read(st.buf[len(st.buf):cap(st.buf)])
		st.buf = st.buf[:len(st.buf)+n]
		if err != nil {
			st.rerr = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
	st.rerr = io.ErrNoProgress
	return false
}
