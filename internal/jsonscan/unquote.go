package jsonscan

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Unquote appends the value of str to buf and returns the extended buffer:
// the bytes between the quotes, with escapes decoded and invalid UTF-8
// replaced by U+FFFD, as encoding/json decodes a string (a \u escape of a
// surrogate that is not the first half of a valid pair becomes U+FFFD too).
// It keeps no reference to buf, so a caller that looks the value up and
// drops it can unquote into a buffer on its stack and allocate nothing.
//
// str must be a String that [Scanner.Quoted] returned for this Data:
// Unquote panics on an escape that Quoted would have rejected.
func (s *Scanner) Unquote(str String, buf []byte) []byte {
	b := s.Bytes(str)
	if str.Verbatim {
		return append(buf, b...)
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i += 2
			switch e := b[i-1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r := hex4(b, i)
				i += 4
				if utf16.IsSurrogate(r) {
					// Like encoding/json: a pair decodes to one rune; any
					// other surrogate, alone or with a \u escape that does
					// not complete it, becomes U+FFFD and the next escape
					// stays for the next turn.
					if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if d := utf16.DecodeRune(r, hex4(b, i+2)); d != utf8.RuneError {
							r = d
							i += 6
						}
					}
					if utf16.IsSurrogate(r) {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				notScanned()
			}
		case c == '\\':
			notScanned()
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, n := utf8.DecodeRune(b[i:]) // (RuneError, 1) for an invalid byte
			buf = utf8.AppendRune(buf, r)
			i += n
		}
	}
	return buf
}

// hex4 returns the value of the four hexadecimal digits at b[i:].
func hex4(b []byte, i int) rune {
	if i+4 > len(b) {
		notScanned()
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			notScanned()
		}
		r = r<<4 | rune(c)
	}
	return r
}

func notScanned() {
	panic("jsonscan: Unquote of a string literal that Quoted did not scan")
}
