package slotdict

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// MarshalJSON encodes d as a JSON object of its present keys, in schema
// order, as encoding/json would encode a map[K]V with the same entries
// (except for the order): keys are named as described for encoding/json's
// map keys (string kinds as they are, encoding.TextMarshaler, integers in
// decimal), values are encoded by encoding/json. If K is not such a key
// type, MarshalJSON returns a *json.UnsupportedTypeError. Where encoding/json
// would write two keys with one name (string keys that differ only in
// invalid UTF-8, which JSON writes as U+FFFD), MarshalJSON refuses the
// schema with a *json.UnsupportedValueError that names both keys.
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
// it returns nil, the present keys of d are exactly the keys of the object
// (less the unknown ones, with [WithSkipUnknown]).
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
// no strings for keys. On any error d is unchanged. If K has no JSON names
// (see [Dict.MarshalJSON]), the error is the one MarshalJSON returns;
// otherwise it is a *[DecodeError] that gives the byte offset, and matches
// [ErrUnknownKey] or [ErrSyntax] with [errors.Is] when it is one of those.
func (d *Dict[K, V]) DecodeJSON(data []byte, opts ...DecodeOption) error {
	names := d.schema.names()
	if names.err != nil {
		return names.err
	}
	cfg := newDecodeConfig(opts)
	sc := jsonscan.Scanner{Data: data}
	i := sc.Space(0)
	if null, err := sc.Null(i); null {
		return decodeError(err, "")
	}
	fresh := Dict[K, V]{schema: d.schema}
	if d.schema != nil {
		fresh.vals = newValues[K, V](d.schema)
	}
	end, err := decodeObject(&sc, i, &fresh, names, &cfg)
	if err != nil {
		return err
	}
	if err := sc.End(end); err != nil {
		return decodeError(err, "")
	}
	d.vals, d.bits = fresh.vals, fresh.bits
	return nil
}

// decodeObject decodes the JSON object at position i of sc into d, which
// must be empty, and returns the position after the object.
func decodeObject[K comparable, V any](sc *jsonscan.Scanner, i int, d *Dict[K, V], names *jsonNames, cfg *decodeConfig) (int, error) {
	var scratch [64]byte // escaped keys unquote here, to be looked up without allocating
	i, more, err := sc.OpenObject(i)
	for err == nil && more {
		var key jsonscan.String
		var value int
		if key, value, err = sc.Member(i); err != nil {
			break
		}
		name := sc.Bytes(key)
		if !key.Verbatim {
			name = sc.Unquote(key, scratch[:0])
		}
		switch pos := names.lookup(name); {
		case pos >= 0:
			if value, err = jsonscan.DecodeValue(sc, value, 1, d.at(pos), &cfg.Options); err != nil {
				return 0, decodeError(err, sc.Text(key, nil))
			}
			d.mark(pos)
		case cfg.skipUnknown:
			if value, err = sc.Value(value, 1); err != nil {
				return 0, decodeError(err, sc.Text(key, nil))
			}
		default:
			return 0, &DecodeError{Offset: sc.Base + int64(key.Start), Key: sc.Text(key, nil), Err: ErrUnknownKey}
		}
		if err == nil {
			i, more, err = sc.NextMember(value)
		}
	}
	if err != nil {
		return 0, decodeError(err, "")
	}
	return i, nil
}
