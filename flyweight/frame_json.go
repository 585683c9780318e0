package flyweight

// AppendJSON appends row to dst as a JSON object, its keys in the order of
// its input, and returns the extended buffer. Strings are written with the
// escapes JSON needs, numbers as their input wrote them, and nested arrays
// and objects as their input, without its white space. It panics if row is
// not in [0, f.Len()).
func (f *Frame) AppendJSON(dst []byte, row int) []byte {
	lay := f.layoutAt(row)
	dst = append(dst, '{')
	for k, c := range lay.cols {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, c.key)
		dst = append(dst, ':')
		if i, ok := c.slot(row); ok {
			dst = c.store.appendJSON(dst, i)
		} else {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, '}')
}

// MarshalJSON encodes f as a JSON array of its rows, each as
// [Frame.AppendJSON] writes it. It has a value receiver, so that a Frame
// held by value encodes as its records too.
func (f Frame) MarshalJSON() ([]byte, error) {
	dst := []byte{'['}
	for row := range f.Len() {
		if row > 0 {
			dst = append(dst, ',')
		}
		dst = f.AppendJSON(dst, row)
	}
	return append(dst, ']'), nil
}

// appendText appends the JSON of a value of kind k whose text is t.
func appendText(dst []byte, k kind, t string) []byte {
	switch k {
	case kString:
		return appendString(dst, t)
	case kTrue:
		return append(dst, "true"...)
	case kFalse:
		return append(dst, "false"...)
	}
	return append(dst, t...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s, valid UTF-8 (a Frame's strings are decoded ones),
// as a JSON string.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendCompact appends raw, a valid JSON value, without the white space
// between its tokens.
func appendCompact(dst, raw []byte) []byte {
	inString, escaped := false, false
	start := 0
	for i, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			dst = append(dst, raw[start:i]...)
			start = i + 1
		}
	}
	return append(dst, raw[start:]...)
}
