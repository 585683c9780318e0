package slotdict

import (
	"fmt"
	"unicode/utf8"
)

// scanner validates JSON in a byte slice that holds a whole value (or, in a
// stream, at least the object being decoded), position by position. It is
// written for this package's needs: it finds where each value ends without
// building it, tells whether a string can be used byte for byte (no escapes,
// valid UTF-8), and reports errors with their byte offset. Values it does not
// build itself are handed to encoding/json, so both agree on what JSON means;
// the scanner accepts exactly the JSON grammar, as encoding/json does
// (TestDecodeAgreesWithEncodingJSONProperty checks this).
type scanner struct {
	data []byte
	base int64 // stream offset of data[0], for error messages
}

// maxDepth bounds the nesting of arrays and objects, as in encoding/json.
const maxDepth = 10000

func (sc *scanner) syntaxError(i int, detail string) error {
	return &DecodeError{Offset: sc.base + int64(i), Err: ErrSyntax, detail: detail}
}

// unexpected reports the byte at i (or the end of input) as unexpected while
// looking for what.
func (sc *scanner) unexpected(i int, what string) error {
	if i >= len(sc.data) {
		return sc.syntaxError(len(sc.data), "unexpected end of input")
	}
	return sc.syntaxError(i, fmt.Sprintf("invalid character %q %s", sc.data[i], what))
}

// ws returns the position of the first non-whitespace byte at or after i.
func (sc *scanner) ws(i int) int {
	for i < len(sc.data) {
		switch sc.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// plainByte marks the bytes a string literal may contain that need no
// attention: not '"', not '\\', not a control character, not beyond ASCII.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans the string literal starting with the '"' at i. It returns the
// position after the closing quote, and whether the bytes between the quotes
// are the string's value as they are (no escapes, valid UTF-8).
func (sc *scanner) str(i int) (end int, verbatim bool, err error) {
	d := sc.data
	escaped, ascii := false, true
	for j := i + 1; ; {
		for j < len(d) && plainByte[d[j]] {
			j++
		}
		if j >= len(d) {
			return 0, false, sc.unexpected(j, "")
		}
		switch c := d[j]; {
		case c == '"':
			return j + 1, !escaped && (ascii || utf8.Valid(d[i+1:j])), nil
		case c == '\\':
			escaped = true
			j++
			if j >= len(d) {
				return 0, false, sc.unexpected(j, "")
			}
			switch d[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				for k := j + 1; k < j+5; k++ {
					if k >= len(d) || !isHex(d[k]) {
						return 0, false, sc.unexpected(k, "in \\u hexadecimal character escape")
					}
				}
				j += 5
			default:
				return 0, false, sc.unexpected(j, "in string escape code")
			}
		case c < 0x20:
			return 0, false, sc.unexpected(j, "in string literal")
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

// number scans the number literal starting at i and returns the position
// after it.
func (sc *scanner) number(i int) (int, error) {
	d := sc.data
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
		return 0, sc.unexpected(i, "in numeric literal")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return 0, sc.unexpected(i, "after decimal point in numeric literal")
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
			return 0, sc.unexpected(i, "in exponent of numeric literal")
		}
		for i++; i < len(d) && isDigit(d[i]); i++ {
		}
	}
	return i, nil
}

// literal scans the literal lit (true, false or null) at i.
func (sc *scanner) literal(i int, lit string) (int, error) {
	for k := range len(lit) {
		if i+k >= len(sc.data) || sc.data[i+k] != lit[k] {
			return 0, sc.unexpected(i+k, fmt.Sprintf("in literal %s (expecting %q)", lit, lit[k]))
		}
	}
	return i + len(lit), nil
}

// value scans the value starting at i (no leading whitespace), nested depth
// levels deep, and returns the position after it.
func (sc *scanner) value(i, depth int) (int, error) {
	if i >= len(sc.data) {
		return 0, sc.unexpected(i, "")
	}
	switch c := sc.data[i]; {
	case c == '"':
		end, _, err := sc.str(i)
		return end, err
	case c == '-' || isDigit(c):
		return sc.number(i)
	case c == 't':
		return sc.literal(i, "true")
	case c == 'f':
		return sc.literal(i, "false")
	case c == 'n':
		return sc.literal(i, "null")
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return 0, sc.syntaxError(i, "exceeded max depth")
		}
		return sc.container(i, depth+1)
	default:
		return 0, sc.unexpected(i, "looking for beginning of value")
	}
}

// container scans the object or array starting at i.
func (sc *scanner) container(i, depth int) (int, error) {
	isObject := sc.data[i] == '{'
	closer := byte(']')
	if isObject {
		closer = '}'
	}
	i = sc.ws(i + 1)
	if i < len(sc.data) && sc.data[i] == closer {
		return i + 1, nil
	}
	for {
		var err error
		if isObject {
			if i >= len(sc.data) || sc.data[i] != '"' {
				return 0, sc.unexpected(i, "looking for beginning of object key string")
			}
			if i, _, err = sc.str(i); err != nil {
				return 0, err
			}
			if i = sc.ws(i); i >= len(sc.data) || sc.data[i] != ':' {
				return 0, sc.unexpected(i, "after object key")
			}
			i = sc.ws(i + 1)
		}
		if i, err = sc.value(i, depth); err != nil {
			return 0, err
		}
		i = sc.ws(i)
		switch {
		case i < len(sc.data) && sc.data[i] == ',':
			i = sc.ws(i + 1)
		case i < len(sc.data) && sc.data[i] == closer:
			return i + 1, nil
		case isObject:
			return 0, sc.unexpected(i, "after object key:value pair")
		default:
			return 0, sc.unexpected(i, "after array element")
		}
	}
}
