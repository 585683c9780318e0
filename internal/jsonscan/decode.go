package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unsafe"
)

// Options are the choices of a decoder that reach the decoding of values.
// The zero Options decode as encoding/json does, except that an object
// decoded into a map rejects a duplicate key (see AllowDuplicates).
type Options struct {
	// Intern, if not nil, makes every string decoded into a string or an
	// any (at every depth, by DecodeAny) Intern(b), where b holds the
	// string's bytes. It must return a string equal to string(b) and must
	// not keep b, which may alias Data or a scratch buffer.
	Intern func(b []byte) string
	// InternAny, if not nil, takes the place of Intern for the strings that
	// DecodeAny decodes: it returns the string(b) in an any, so that equal
	// strings can share the interface's boxed string as well as its bytes
	// (storing a string in an any allocates a string header). The same
	// rules as for Intern apply.
	InternAny func(b []byte) any
	// UseNumber decodes numbers into an any as a json.Number holding
	// their text, as json.Decoder.UseNumber does, rather than as float64.
	UseNumber bool
	// AllowDuplicates lets the last of two equal keys of an object win, as
	// encoding/json does; without it, a duplicate key is an error
	// matching ErrDuplicateKey, as in encoding/json/v2. DecodeAny applies
	// it to the objects it decodes into maps; decoders apply it to their
	// own objects.
	AllowDuplicates bool
	// Object, if not nil, decodes the objects that DecodeAny meets inside a
	// value (at i, depth levels deep), in place of a map[string]any.
	Object func(s *Scanner, i, depth int) (any, int, error)

	// SkipBadLines, if not nil, makes a stream decoder go on after an
	// element that fails to decode, passing its error to SkipBadLines
	// (see [Stream.SkipBadLines], to which decoders hand it).
	SkipBadLines func(*DecodeError)

	// The choices of one decoder, which this package does not read:
	// slotdict's WithSkipUnknown and flyweight's WithNestedRecords.
	SkipUnknown, NestedRecords bool
}

// A Setting is what an Option of a decoding package holds, each package's
// Option being a type of its own. It maps Options to new ones rather than
// changing them through a pointer, so that they stay on the stack and a
// decode allocates nothing for them. A nil Setting changes nothing.
type Setting func(Options) Options

// Configure returns the Options that opts make of the zero Options, in
// order, setting giving the Setting of each.
func Configure[O any](opts []O, setting func(O) Setting) Options {
	var c Options
	for _, o := range opts {
		if s := setting(o); s != nil {
			c = s(c)
		}
	}
	return c
}

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
		// A scratch buffer would escape through intern: the unquoted
		// bytes are allocated, as they were going to be.
		return intern(s.Unquote(str, nil))
	}
	var scratch [64]byte // does not escape: one allocation, the string's
	return string(s.Unquote(str, scratch[:0]))
}

// DecodeValue decodes the value that starts at i, depth levels deep (see
// [Scanner.Value]), into *p, and returns the position after it. It decodes
// as encoding/json decodes a map element, into a fresh zero V whatever *p
// held before, with the choices of o (nil for the zero Options): strings
// going into a string are made by [Scanner.Text] with o.Intern, values
// going into an any by [DecodeAny], numbers and literals going into an int,
// int64, float64 or bool are parsed here the way encoding/json parses them,
// and any other value is validated here and then decoded by encoding/json
// (with json.Decoder.UseNumber if o.UseNumber is set). On error, *p is
// unspecified.
func DecodeValue[V any](s *Scanner, i, depth int, p *V, o *Options) (int, error) {
	if o == nil {
		o = &noOptions
	}
	switch p := any(p).(type) {
	case *any:
		v, end, err := DecodeAny(s, i, depth, o)
		*p = v
		return end, err
	case *string:
		if i < len(s.Data) && s.Data[i] == '"' {
			str, err := s.Quoted(i)
			if err != nil {
				return 0, err
			}
			*p = s.Text(str, o.Intern)
			return str.End, nil
		}
	}
	end, err := s.Value(i, depth)
	if err != nil {
		return 0, err
	}
	if parseScalar(s.Data[i:end], p) {
		return end, nil
	}
	var zero V
	*p = zero
	return end, s.unmarshal(i, end, p, o)
}

var noOptions Options

// DecodeAny decodes the value that starts at i, depth levels deep, as
// encoding/json decodes it into an any: objects as map[string]any (or
// through o.Object), arrays as []any, strings as string (through
// o.Intern), numbers as float64 (json.Number with o.UseNumber), true and
// false as bool, null as nil. It returns the value and the position after
// it.
func DecodeAny(s *Scanner, i, depth int, o *Options) (any, int, error) {
	if i >= len(s.Data) {
		return nil, 0, s.unexpected(i, "looking for beginning of value")
	}
	switch c := s.Data[i]; {
	case c == '"':
		str, err := s.Quoted(i)
		switch {
		case err != nil:
			return nil, 0, err
		case o.InternAny != nil && str.Verbatim:
			return o.InternAny(s.Bytes(str)), str.End, nil
		case o.InternAny != nil:
			return o.InternAny(s.Unquote(str, nil)), str.End, nil
		}
		return s.Text(str, o.Intern), str.End, nil
	case c == '{' && o.Object != nil:
		if err := s.Nest(i, depth); err != nil {
			return nil, 0, err
		}
		// A copy goes to the hook, which the compiler cannot see through:
		// s itself must not escape, or every decoder's Scanner would be
		// allocated.
		sub := *s
		return o.Object(&sub, i, depth)
	case c == '{':
		return s.decodeMap(i, depth, o)
	case c == '[':
		return s.decodeSlice(i, depth, o)
	}
	end, err := s.Value(i, depth)
	if err != nil {
		return nil, 0, err
	}
	raw := s.Data[i:end]
	switch raw[0] {
	case 't':
		return true, end, nil
	case 'f':
		return false, end, nil
	case 'n':
		return nil, end, nil
	}
	if o.UseNumber {
		return json.Number(raw), end, nil
	}
	if f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(raw), len(raw)), 64); err == nil {
		return f, end, nil
	}
	var v any // out of float64's range: encoding/json's error
	return nil, 0, s.unmarshal(i, end, &v, o)
}

// decodeMap decodes the object at i into a map[string]any.
func (s *Scanner) decodeMap(i, depth int, o *Options) (any, int, error) {
	if err := s.Nest(i, depth); err != nil {
		return nil, 0, err
	}
	i, more, err := s.OpenObject(i)
	if err != nil {
		return nil, 0, err
	}
	m := map[string]any{}
	for more {
		key, err := s.Key(i)
		if err != nil {
			return nil, 0, err
		}
		name := s.Text(key, o.Intern)
		if _, dup := m[name]; dup && !o.AllowDuplicates {
			return nil, 0, KeyError(s.Base+int64(key.Start), name, ErrDuplicateKey)
		}
		v, err := s.Colon(key.End)
		if err != nil {
			return nil, 0, err
		}
		var val any
		if val, v, err = DecodeAny(s, v, depth+1, o); err != nil {
			return nil, 0, err
		}
		m[name] = val
		if i, more, err = s.NextMember(v); err != nil {
			return nil, 0, err
		}
	}
	return m, i, nil
}

// decodeSlice decodes the array at i into a []any.
func (s *Scanner) decodeSlice(i, depth int, o *Options) (any, int, error) {
	if err := s.Nest(i, depth); err != nil {
		return nil, 0, err
	}
	i, more, err := s.OpenArray(i)
	if err != nil {
		return nil, 0, err
	}
	// The elements are gathered on the stack (the first few) and then
	// copied into a slice of their number: growing the result by append
	// would leave it up to twice its length, for as long as it lives.
	var first [16]any
	elems := first[:0]
	for more {
		var e any
		if e, i, err = DecodeAny(s, i, depth+1, o); err != nil {
			return nil, 0, err
		}
		elems = append(elems, e)
		if i, more, err = s.NextElement(i); err != nil {
			return nil, 0, err
		}
	}
	out := make([]any, len(elems))
	copy(out, elems)
	return out, i, nil
}

// unmarshal decodes Data[i:end], a valid JSON value, into *p with
// encoding/json, and returns its error as a *DecodeError at i whose
// *json.UnmarshalTypeError, if that is what it wraps, counts its Offset from
// the start of the stream too.
func (s *Scanner) unmarshal(i, end int, p any, o *Options) error {
	raw := s.Data[i:end]
	var err error
	if o.UseNumber {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		err = dec.Decode(p)
	} else {
		err = json.Unmarshal(raw, p)
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		c := *te
		c.Offset += s.Base + int64(i)
		err = &c
	}
	return &DecodeError{Offset: s.Base + int64(i), Err: err}
}

// parseScalar stores the JSON value raw (valid, not a string) into *p and
// returns true if V is int, int64, float64 or bool and raw is a number,
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
	case '[', '{', '"':
		return false
	case 't', 'f', 'n': // true, false or null
		if p, ok := any(p).(*bool); ok {
			*p = s == "true"
			return s != "null" // encoding/json leaves a bool alone on null
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
	}
	return false
}
