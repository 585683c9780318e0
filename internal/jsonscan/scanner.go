package jsonscan

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf8"
)

// Scanner scans the JSON text in Data. Data must hold at least the whole of
// every value scanned; what lies beyond it is never read. The zero Scanner
// scans empty input.
type Scanner struct {
	Data []byte
	// Base is the offset of Data[0] in the stream Data was taken from; it
	// is added to the offset of every error.
	Base int64
}

// maxDepth bounds the nesting of arrays and objects, as in encoding/json.
const maxDepth = 10000

func (s *Scanner) syntaxError(i int, detail string) error {
	return &DecodeError{Offset: s.Base + int64(i), Err: ErrSyntax, detail: detail}
}

// unexpected reports the byte at i (or the end of input) as unexpected while
// looking for what, in encoding/json's words.
func (s *Scanner) unexpected(i int, what string) error {
	if i >= len(s.Data) {
		return s.syntaxError(len(s.Data), "unexpected end of input")
	}
	return s.syntaxError(i, fmt.Sprintf("invalid character %q %s", s.Data[i], what))
}

// Space returns the position of the first non-whitespace byte at or after
// i, or len(Data).
func (s *Scanner) Space(i int) int {
	for i < len(s.Data) {
		switch s.Data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// End checks that only whitespace follows position i, as after a top-level
// value.
func (s *Scanner) End(i int) error {
	if i = s.Space(i); i < len(s.Data) {
		return s.unexpected(i, "after top-level value")
	}
	return nil
}

// String is a string literal in a Scanner's Data: Data[Start:End], the
// quotes included.
type String struct {
	Start, End int
	// Verbatim reports that the bytes between the quotes are the string's
	// value as they are: it has no escapes and is valid UTF-8.
	Verbatim bool
}

// plainByte marks the bytes a string literal may contain that need no
// attention: not '"', not '\\', not a control character, not beyond ASCII.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// unplain returns, for the eight bytes of x (the first in its low byte),
// a word whose lowest set bit is the high bit of the first byte that is
// not plain (see plainByte), or 0 if they all are: a string literal's run
// of plain bytes is skipped eight bytes a step. Above the first byte that
// is not plain, bits may be set for plain bytes (a borrow runs on), which
// only the lowest set bit makes harmless.
func unplain(x uint64) uint64 {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	q, b := x^(ones*'"'), x^(ones*'\\')
	// A zero byte of q or b has its high bit set by the subtraction and not
	// cleared by the mask; x-ones*0x20 sets the high bit of a byte below
	// 0x20; x, of a byte beyond ASCII.
	return ((q-ones)&^q | (b-ones)&^b | (x - ones*0x20) | x) & high
}

// Quoted scans the string literal that starts with the '"' at i.
func (s *Scanner) Quoted(i int) (String, error) {
	d := s.Data
	escaped, ascii := false, true
	for j := i + 1; ; {
		for j+8 <= len(d) {
			if m := unplain(binary.LittleEndian.Uint64(d[j:])); m != 0 {
				j += bits.TrailingZeros64(m) / 8
				break
			}
			j += 8
		}
		for j < len(d) && plainByte[d[j]] {
			j++
		}
		if j >= len(d) {
			return String{}, s.unexpected(j, "")
		}
		switch c := d[j]; {
		case c == '"':
			return String{Start: i, End: j + 1, Verbatim: !escaped && (ascii || utf8.Valid(d[i+1:j]))}, nil
		case c == '\\':
			escaped = true
			j++
			if j >= len(d) {
				return String{}, s.unexpected(j, "")
			}
			switch d[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				for k := j + 1; k < j+5; k++ {
					if k >= len(d) || !isHex(d[k]) {
						return String{}, s.unexpected(k, "in \\u hexadecimal character escape")
					}
				}
				j += 5
			default:
				return String{}, s.unexpected(j, "in string escape code")
			}
		case c < 0x20:
			return String{}, s.unexpected(j, "in string literal")
		default:
			ascii = false
			j++
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Number scans the number literal that starts at i and returns the position
// after it.
func (s *Scanner) Number(i int) (int, error) {
	d := s.Data
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i++; i < len(d) && isDigit(d[i]); i++ {
		}
	default:
		return 0, s.unexpected(i, "in numeric literal")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return 0, s.unexpected(i, "after decimal point in numeric literal")
		}
		for i++; i < len(d) && isDigit(d[i]); i++ {
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return 0, s.unexpected(i, "in exponent of numeric literal")
		}
		for i++; i < len(d) && isDigit(d[i]); i++ {
		}
	}
	return i, nil
}

// Literal scans the literal lit ("true", "false" or "null") at i and
// returns the position after it.
func (s *Scanner) Literal(i int, lit string) (int, error) {
	for k := range len(lit) {
		if i+k >= len(s.Data) || s.Data[i+k] != lit[k] {
			return 0, s.unexpected(i+k, fmt.Sprintf("in literal %s (expecting %q)", lit, lit[k]))
		}
	}
	return i + len(lit), nil
}

// Value scans the value that starts at i (not at whitespace) and returns
// the position after it. depth is the number of arrays and objects that
// enclose the value: 0 for a top-level value, 1 for a member of a top-level
// object. Like encoding/json, Value rejects nesting deeper than 10000.
func (s *Scanner) Value(i, depth int) (int, error) {
	if i >= len(s.Data) {
		return 0, s.unexpected(i, "")
	}
	switch c := s.Data[i]; {
	case c == '"':
		str, err := s.Quoted(i)
		return str.End, err
	case c == '-' || isDigit(c):
		return s.Number(i)
	case c == 't':
		return s.Literal(i, "true")
	case c == 'f':
		return s.Literal(i, "false")
	case c == 'n':
		return s.Literal(i, "null")
	case c == '{' || c == '[':
		if err := s.Nest(i, depth); err != nil {
			return 0, err
		}
		return s.container(i, depth+1)
	default:
		return 0, s.unexpected(i, "looking for beginning of value")
	}
}

// container scans the object or array that starts at i, depth levels deep
// counting itself.
func (s *Scanner) container(i, depth int) (int, error) {
	if s.Data[i] == '{' {
		i, more, err := s.OpenObject(i)
		for err == nil && more {
			var v int
			if _, v, err = s.Member(i); err != nil {
				break
			}
			if v, err = s.Value(v, depth); err != nil {
				break
			}
			i, more, err = s.NextMember(v)
		}
		if err != nil {
			return 0, err
		}
		return i, nil
	}
	i, more, err := s.OpenArray(i)
	for err == nil && more {
		if i, err = s.Value(i, depth); err != nil {
			break
		}
		i, more, err = s.NextElement(i)
	}
	if err != nil {
		return 0, err
	}
	return i, nil
}

// Null reports whether the document in Data is JSON null: the literal at i,
// the first non-whitespace position, followed by whitespace only. Decoders
// treat such a document as "leave the value as it is", as encoding/json
// does. The error is that of the literal or of what follows it; for any
// other value Null returns false and nil.
func (s *Scanner) Null(i int) (bool, error) {
	if i >= len(s.Data) || s.Data[i] != 'n' {
		return false, nil
	}
	end, err := s.Literal(i, "null")
	if err == nil {
		err = s.End(end)
	}
	return true, err
}
