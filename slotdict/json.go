package slotdict

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unsafe"
)

// MarshalJSON encodes d as a JSON object of its present keys, in schema
// order, as encoding/json would encode a map[K]V with the same entries
// (except for the order): keys are named as described for encoding/json's
// map keys (string kinds as they are, encoding.TextMarshaler, integers in
// decimal), values are encoded by encoding/json. If K is not such a key
// type, MarshalJSON returns a *json.UnsupportedTypeError.
func (d *Dict[K, V]) MarshalJSON() ([]byte, error) {
	names := d.schema.names()
	if names.err != nil {
		return nil, names.err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	buf.WriteByte('{')
	for i := d.next(0); i >= 0; i = d.next(i + 1) {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.WriteString(names.quoted[i])
		buf.WriteByte(':')
		if err := enc.Encode(*d.at(i)); err != nil {
			return nil, fmt.Errorf("slotdict: encoding the value of key %s: %w", names.quoted[i], err)
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON is [Dict.DecodeJSON] without options: it replaces the
// contents of d with the JSON object in data, and rejects keys that are not
// in d's schema.
func (d *Dict[K, V]) UnmarshalJSON(data []byte) error {
	return d.DecodeJSON(data)
}

// DecodeJSON replaces the contents of d with the JSON object in data: after
// it returns nil, the present keys of d are exactly the keys of the object.
// Keys are matched against the JSON names of d's schema (see
// [Dict.MarshalJSON]); each value is decoded into V as encoding/json would
// decode it (strings, numbers and literals have fast paths that agree with
// it). As in encoding/json, if a key occurs twice the last value wins, and
// null decodes as a no-op: "null" input leaves d unchanged, and a null value
// leaves its key present with the zero V (or what V's UnmarshalJSON makes of
// null). By default, a key that is not in the schema is an error; see
// [WithSkipUnknown] and [WithIntern] for the options.
//
// Decoding streams over data without building a temporary map and allocates
// no strings for keys. On any error d is unchanged; the error is a
// *[DecodeError] that gives the byte offset, and matches [ErrUnknownKey] or
// [ErrSyntax] with [errors.Is] when it is one of those.
func (d *Dict[K, V]) DecodeJSON(data []byte, opts ...DecodeOption) error {
	names := d.schema.names()
	if names.err != nil {
		return names.err
	}
	cfg := newDecodeConfig(opts)
	sc := scanner{data: data}
	i := sc.ws(0)
	if i < len(data) && data[i] == 'n' {
		end, err := sc.literal(i, "null")
		if err != nil {
			return err
		}
		if end = sc.ws(end); end < len(data) {
			return sc.unexpected(end, "after top-level value")
		}
		return nil
	}
	fresh := Dict[K, V]{schema: d.schema}
	if d.schema != nil {
		fresh.vals = newValues[K, V](d.schema)
	}
	end, err := decodeObject(&sc, i, &fresh, names, &cfg)
	if err != nil {
		return err
	}
	if end = sc.ws(end); end < len(data) {
		return sc.unexpected(end, "after top-level value")
	}
	d.vals, d.bits = fresh.vals, fresh.bits
	return nil
}

// decodeObject decodes the JSON object at position i of sc into d, which
// must be empty, and returns the position after the object.
func decodeObject[K comparable, V any](sc *scanner, i int, d *Dict[K, V], names *jsonNames, cfg *decodeConfig) (int, error) {
	data := sc.data
	if i >= len(data) || data[i] != '{' {
		return 0, sc.unexpected(i, "looking for beginning of a JSON object")
	}
	if i = sc.ws(i + 1); i < len(data) && data[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return 0, sc.unexpected(i, "looking for beginning of object key string")
		}
		keyAt := i
		end, verbatim, err := sc.str(i)
		if err != nil {
			return 0, err
		}
		var pos int
		if verbatim {
			pos = names.lookup(data[i+1 : end-1])
		} else {
			key, err := sc.unquote(i, end)
			if err != nil {
				return 0, err
			}
			pos = names.lookupString(key)
		}
		if i = sc.ws(end); i >= len(data) || data[i] != ':' {
			return 0, sc.unexpected(i, "after object key")
		}
		i = sc.ws(i + 1)
		switch {
		case pos >= 0:
			if i, err = decodeValue(sc, i, d, pos, cfg); err != nil {
				if de, ok := err.(*DecodeError); ok && de.Key == "" {
					de.Key, _ = sc.unquote(keyAt, end)
				}
				return 0, err
			}
		case cfg.skipUnknown:
			if i, err = sc.value(i, 1); err != nil {
				return 0, err
			}
		default:
			key, _ := sc.unquote(keyAt, end)
			return 0, &DecodeError{Offset: sc.base + int64(keyAt), Key: key, Err: ErrUnknownKey}
		}
		i = sc.ws(i)
		switch {
		case i < len(data) && data[i] == ',':
			i = sc.ws(i + 1)
		case i < len(data) && data[i] == '}':
			return i + 1, nil
		default:
			return 0, sc.unexpected(i, "after object key:value pair")
		}
	}
}

// unquote returns the value of the string literal data[i:end], which
// str has scanned. Keys and values with escapes or invalid UTF-8 are rare;
// they are left to encoding/json, so that both decode them the same way.
func (sc *scanner) unquote(i, end int) (string, error) {
	var s string
	if err := json.Unmarshal(sc.data[i:end], &s); err != nil {
		return "", sc.syntaxError(i, err.Error())
	}
	return s, nil
}

// stringValue returns the value of the string literal data[i:end], which
// str has scanned, through intern if it is not nil. verbatim is what str
// said.
func (sc *scanner) stringValue(i, end int, verbatim bool, intern func([]byte) string) (string, error) {
	if verbatim {
		b := sc.data[i+1 : end-1]
		if intern != nil {
			return intern(b), nil
		}
		return string(b), nil
	}
	s, err := sc.unquote(i, end)
	if err != nil || intern == nil {
		return s, err
	}
	return intern([]byte(s)), nil
}

// decodeValue decodes the JSON value at position i of sc into the value of
// key position pos of d, marks it present, and returns the position after
// the value.
func decodeValue[K comparable, V any](sc *scanner, i int, d *Dict[K, V], pos int, cfg *decodeConfig) (int, error) {
	if d.present(pos) { // a repeated key: the last value wins whole
		var zero V
		*d.at(pos) = zero
	}
	p := d.at(pos)
	if i < len(sc.data) && sc.data[i] == '"' {
		end, verbatim, err := sc.str(i)
		if err != nil {
			return 0, err
		}
		switch p := any(p).(type) {
		case *string:
			if *p, err = sc.stringValue(i, end, verbatim, cfg.intern); err != nil {
				return 0, err
			}
			d.mark(pos)
			return end, nil
		case *any:
			v, err := sc.stringValue(i, end, verbatim, cfg.intern)
			if err != nil {
				return 0, err
			}
			*p = v
			d.mark(pos)
			return end, nil
		}
		return end, d.unmarshal(sc, i, end, pos)
	}
	end, err := sc.value(i, 1)
	if err != nil {
		return 0, err
	}
	if parseScalar(sc.data[i:end], p) {
		d.mark(pos)
		return end, nil
	}
	return end, d.unmarshal(sc, i, end, pos)
}

// unmarshal decodes sc.data[i:end], a valid JSON value, into the value of
// position pos with encoding/json.
func (d *Dict[K, V]) unmarshal(sc *scanner, i, end, pos int) error {
	if err := json.Unmarshal(sc.data[i:end], d.at(pos)); err != nil {
		return &DecodeError{Offset: sc.base + int64(i), Err: err}
	}
	d.mark(pos)
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
			return s != "null" // null leaves a bool as it is: encoding/json's no-op
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
