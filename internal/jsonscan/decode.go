package jsonscan

import (
	"encoding/json"
	"strconv"
	"unsafe"
)

// Bytes returns the bytes between the quotes of str, a sub-slice of Data:
// the string's value itself when str.Verbatim is set.
func (s *Scanner) Bytes(str String) []byte {
	return s.Data[str.Start+1 : str.End-1]
}

// Text returns the value of str (see [Scanner.Unquote]), through intern if
// intern is not nil. str must be a String that [Scanner.Quoted] returned for
// this Data.
//
// intern must return a string equal to string(b) and must not keep b, which
// may alias Data or a scratch buffer.
func (s *Scanner) Text(str String, intern func(b []byte) string) string {
	switch {
	case str.Verbatim && intern != nil:
		return intern(s.Bytes(str))
	case str.Verbatim:
		return string(s.Bytes(str))
	case intern != nil:
		return intern(s.Unquote(str, nil))
	}
	var scratch [64]byte // does not escape: one allocation, the string's
	return string(s.Unquote(str, scratch[:0]))
}

// DecodeValue decodes the value that starts at i, depth levels deep (see
// [Scanner.Value]), into *p, and returns the position after it. It decodes
// as encoding/json decodes a map element: into a fresh zero V, whatever *p
// held before. Strings going into a string or an any are made by
// [Scanner.Text] with intern; numbers and literals going into an int,
// int64, float64, bool or any are parsed here, the same way encoding/json
// parses them; any other value is validated here and then decoded by
// encoding/json. On error, *p is unspecified.
func DecodeValue[V any](s *Scanner, i, depth int, p *V, intern func(b []byte) string) (int, error) {
	if i < len(s.Data) && s.Data[i] == '"' {
		str, err := s.Quoted(i)
		if err != nil {
			return 0, err
		}
		switch p := any(p).(type) {
		case *string:
			*p = s.Text(str, intern)
			return str.End, nil
		case *any:
			*p = s.Text(str, intern)
			return str.End, nil
		}
		return str.End, unmarshal(s, i, str.End, p)
	}
	end, err := s.Value(i, depth)
	if err != nil {
		return 0, err
	}
	if parseScalar(s.Data[i:end], p) {
		return end, nil
	}
	return end, unmarshal(s, i, end, p)
}

// unmarshal decodes Data[i:end], a valid JSON value, into a zero V at *p
// with encoding/json.
func unmarshal[V any](s *Scanner, i, end int, p *V) error {
	var zero V
	*p = zero
	if err := json.Unmarshal(s.Data[i:end], p); err != nil {
		return &Error{Offset: s.Base + int64(i), Detail: err.Error(), Err: err}
	}
	return nil
}

// parseScalar stores the JSON value raw (valid, not a string) into *p and
// returns true if V is int, int64, float64, bool or any and raw is a number,
// true, false or null that decodes into it without error, exactly as
// encoding/json would decode it. Otherwise it returns false and leaves the
// work (and the error) to encoding/json.
func parseScalar[V any](raw []byte, p *V) bool {
	if len(raw) == 0 {
		return false
	}
	// strconv keeps no reference to its input on success, and clones it for
	// its errors, so a view of raw will do.
	s := unsafe.String(unsafe.SliceData(raw), len(raw))
	switch raw[0] {
	case '[', '{':
		return false
	case 't', 'f', 'n': // true, false or null
		switch p := any(p).(type) {
		case *bool:
			*p = s == "true"
			return s != "null" // encoding/json leaves a bool alone on null
		case *any:
			switch s {
			case "true", "false":
				*p = s == "true"
			default:
				*p = nil
			}
			return true
		}
		return false
	}
	switch p := any(p).(type) { // a number
	case *int:
		if n, err := strconv.ParseInt(s, 10, 0); err == nil {
			*p = int(n)
			return true
		}
	case *int64:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			*p = n
			return true
		}
	case *float64:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			*p = f
			return true
		}
	case *any:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			*p = f
			return true
		}
	}
	return false
}
