package jsonscan

import (
	"bytes"
	"errors"
	"io"
)

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
//
// A Stream counts lines, so that the errors that go through [Stream.Skip]
// say on which line they are ([DecodeError].Line). With
// [Stream.SkipBadLines] it goes on after an element that fails to decode,
// as far as the form of the stream allows (see Skip).
type Stream struct {
	r     io.Reader
	buf   []byte
	pos   int   // next unread byte of buf
	base  int64 // stream offset of buf[0]
	lines int64 // newlines in the stream before buf[0]
	rerr  error // the error that ended reading from r (io.EOF at the end)

	state streamState
	sc    Scanner // what Next returns

	report func(*DecodeError) // set by SkipBadLines: bad elements are skipped
	// elem is set while the element that Next returned is the current
	// one: until Advance or Skip. lineEnd is, in line mode, the position
	// in buf of the newline (or the end of input) that ends it, or -1 when
	// Next stopped reading a malformed line before its end.
	elem    bool
	lineEnd int
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

// SkipBadLines makes st skip the elements that fail to decode, as far as
// the form of the stream allows, and pass each error it skips to report
// (see [Stream.Skip]); a nil report turns skipping off. It is called before
// the first Next.
//
// In a stream of values (anything but an array), SkipBadLines makes each
// line a record: Next hands out one line at a time (a Scanner whose Data
// ends before the line's newline), blank lines are passed over, and
// [Stream.Advance] refuses a line that holds more than one value. An
// element may then not span lines, so the pretty-printed output of
// `go list -json`, say, is all bad lines.
func (st *Stream) SkipBadLines(report func(*DecodeError)) {
	st.report = report
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
	return st.next(true)
}

// Scan scans the next element of the stream with scan, which returns the
// position after the element in the Data of the Scanner it is given, or
// the element's error; Scan then advances past the element, as
// [Stream.Advance] does, and returns nil, or the error of scan, of
// Advance, or of [Stream.Next], for the caller to give to [Stream.Skip].
// scan must have no effect that matters until it succeeds: Scan may call
// it twice for one element.
//
// Scan is Next, scan and Advance, with the same results, but cheaper: it
// first gives scan the element where it stands in the buffer, without
// finding its end first, and only if scan fails, or stops at the end of
// the buffer (where the element might go on), before the end of input,
// does it find the element's end as Next does and give scan the whole
// element again.
func (st *Stream) Scan(scan func(*Scanner) (int, error)) error {
	sc, err := st.next(false)
	if err != nil {
		return err
	}
	n, err := scan(sc)
	if (err != nil || n == len(sc.Data)) && !st.lineMode() && st.rerr != io.EOF {
		if err := st.frame(); err != nil {
			return err
		}
		st.sc = st.scanner()
		n, err = scan(&st.sc)
	}
	if err != nil {
		return err
	}
	return st.Advance(n)
}

// next is Next; without frame, it returns the element where it stands in
// the buffer, which may hold only the start of it.
func (st *Stream) next(frame bool) (*Scanner, error) {
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
		if st.lineMode() {
			if err := st.frameLine(); err != nil {
				return nil, err
			}
		} else if frame {
			if err := st.frame(); err != nil {
				return nil, err
			}
		}
		st.sc = st.scanner()
		if st.lineMode() && st.lineEnd >= 0 {
			st.sc.Data = st.buf[st.pos:st.lineEnd]
		}
		st.elem = true
		return &st.sc, nil
	}
}

// lineMode reports whether each line of st is a record: a stream of values
// read with SkipBadLines.
func (st *Stream) lineMode() bool {
	return st.report != nil && st.state == streamLines
}

// Advance records that the caller scanned the first n bytes of the Data of
// the Scanner that Next returned: the next element starts after them.
//
// With SkipBadLines in a stream of values, it first checks that only
// whitespace follows on the element's line, and if not returns the
// *[DecodeError] of the byte that does (and does not advance), for the
// caller to give to [Stream.Skip]. Otherwise it returns nil.
func (st *Stream) Advance(n int) error {
	if st.lineMode() && st.elem {
		if err := st.sc.End(n); err != nil {
			return err
		}
	}
	st.pos += n
	st.elem = false
	return nil
}

// Skip takes the error that ended the decoding of the element that Next
// returned last (the error of the caller's scan, or of Advance), or an
// error of Next itself. It returns nil if st has skipped the element and
// the caller may go on with Next; otherwise it returns the error that ends
// the stream: err itself, a *[DecodeError] with its Line set, or the
// reader's error or io.EOF as they are.
//
// Without SkipBadLines, Skip skips nothing. With it, in a stream of values,
// every *DecodeError of an element is skipped: Skip reports it, with its
// Line set, and moves to the start of the next line, reading past the bad
// line without holding it in memory. In a JSON array, where a syntax
// error leaves no way to tell where the next element starts, it skips
// only an element that is valid JSON, whose error is not ErrSyntax: an
// unknown or duplicate key, an element that is not an object, a value of
// the wrong type for its Go variable (an error that wraps encoding/json's),
// a limit of the decoder (ErrLimit). For an element that is not valid JSON
// it returns the element's first syntax error, the one that makes
// resynchronising impossible, even where the decoder stopped at an earlier
// key. Errors of the array itself (no ',' between elements, say) and the
// reader's errors are never skipped.
func (st *Stream) Skip(err error) error {
	de, ok := err.(*DecodeError)
	if !ok {
		return err
	}
	de = st.withLine(de)
	elem := st.elem
	st.elem = false
	switch {
	case st.report == nil || !elem:
		return de
	case st.state == streamLines:
		st.report(de)
		st.skipLine()
		return nil
	case errors.Is(de.Err, ErrSyntax):
		return de
	}
	sc := st.scanner()
	end, serr := sc.Value(0, 0)
	if serr != nil {
		return st.withLine(serr.(*DecodeError))
	}
	st.report(de)
	st.pos += end
	return nil
}

// withLine returns a copy of e with Line set to the line of e.Offset, if
// that offset is in the buffer; otherwise e itself.
func (st *Stream) withLine(e *DecodeError) *DecodeError {
	at := e.Offset - st.base
	if at < 0 || at > int64(len(st.buf)) {
		return e
	}
	c := *e
	c.Line = int(st.lines + int64(bytes.Count(st.buf[:at], newline)) + 1)
	return &c
}

var newline = []byte{'\n'}

// skipLine moves past the newline that ends the current line, reading on
// (and dropping what it reads) if the line goes on past the buffer.
func (st *Stream) skipLine() {
	if st.lineEnd >= 0 {
		st.pos = st.lineEnd
		return
	}
	for {
		if i := bytes.IndexByte(st.buf[st.pos:], '\n'); i >= 0 {
			st.pos += i
			return
		}
		st.pos = len(st.buf)
		if !st.fill() {
			return
		}
	}
}

// frameLine finds the end of the line that starts at st.pos, reading more
// input as needed, and sets st.lineEnd. As frame does, it stops reading a
// line that goes on past the buffer once what it has of the line is
// malformed (lineEnd -1), and returns only read errors.
func (st *Stream) frameLine() error {
	scanned := 0
	for off := 0; ; {
		if i := bytes.IndexByte(st.buf[st.pos+off:], '\n'); i >= 0 {
			st.lineEnd = st.pos + off + i
			return nil
		}
		if off = len(st.buf) - st.pos; off >= 2*scanned {
			scanned = off
			if st.malformed() {
				st.lineEnd = -1
				return nil
			}
		}
		if !st.fill() {
			st.lineEnd = len(st.buf)
			if st.rerr == io.EOF {
				return nil
			}
			return st.rerr
		}
	}
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
//
// In line mode (see SkipBadLines), a line holds one value, so a value
// followed by anything but whitespace is malformed too.
func (st *Stream) malformed() bool {
	sc := st.scanner()
	end, err := sc.Value(0, 0)
	if err == nil && st.lineMode() {
		err = sc.End(end)
	}
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
	st.lines += int64(bytes.Count(st.buf[:st.pos], newline))
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
