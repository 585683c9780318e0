package slotdict

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
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
//
// It has a value receiver, so that a Dict held by value (a struct field of
// type Dict[K, V]) encodes as its contents too.
func (d Dict[K, V]) MarshalJSON() ([]byte, error) {
	names := d.schema.names()
	if names.err != nil {
		return nil, names.err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	buf.WriteByte('{')
	vs := d.values()
	for i := d.next(0); i >= 0; i = d.next(i + 1) {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.WriteString(names.quoted[i])
		buf.WriteByte(':')
		if err := enc.Encode(vs[i]); err != nil {
			return nil, fmt.Errorf("slotdict: encoding the value of key %s: %w", names.quoted[i], err)
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON is [Dict.DecodeJSON] without options.
func (d *Dict[K, V]) UnmarshalJSON(data []byte) error {
	return d.DecodeJSON(data)
}

// DecodeJSON replaces the contents of d with the JSON object in data: after
// it returns nil, the present keys of d are exactly the keys of the object
// (less the unknown ones, with [WithSkipUnknown]).
//
// A Dict that has a schema keeps it: keys are matched against the JSON
// names of its keys (see [Dict.MarshalJSON]), and a key that is not in the
// schema is an error ([ErrUnknownKey]) unless [WithSkipUnknown] is given.
// The zero Dict has no schema and adopts the object's keys, in the order of
// the object, as its schema ([NewSchema], so equal key sequences share
// one); each JSON name is parsed into K as encoding/json parses a map key
// (a K of string kind, of integer kind, or with an encoding.TextUnmarshaler).
//
// Each value is decoded into V as encoding/json decodes the elements of a
// map[K]V (strings, numbers and literals by fast paths that agree with it),
// except for the choices of the options: [WithIntern], [WithUseNumber]. A
// key that occurs twice in the object is an error ([ErrDuplicateKey]), as
// in encoding/json/v2, unless [WithAllowDuplicates] is given; that rule
// holds for the objects inside a V = any too (decoded as map[string]any).
// JSON null decodes as a no-op: "null" input leaves d unchanged, and a null
// value leaves its key present with the zero V (or what V's UnmarshalJSON
// makes of null).
//
// Decoding scans data once without building a temporary map, and with a
// schema it allocates no strings for keys. On any error d is unchanged. If
// K has no JSON names (see [Dict.MarshalJSON]), the error is the one
// MarshalJSON returns; otherwise it is a *[DecodeError] that gives the byte
// offset and matches [ErrSyntax], [ErrUnknownKey], [ErrDuplicateKey] or
// [ErrLimit] with [errors.Is], or wraps the error of decoding a value into V.
//
// DecodeJSON writes into d's storage, which copies of d share (see [Dict]);
// a zero Dict gets storage of its own, which its earlier copies do not.
func (d *Dict[K, V]) DecodeJSON(data []byte, opts ...Option) error {
	names := d.schema.names()
	if names.err != nil {
		return names.err
	}
	cfg := jsonscan.Configure(opts, Option.setting)
	sc := jsonscan.Scanner{Data: data}
	i := sc.Space(0)
	if null, err := sc.Null(i); null {
		return err
	}
	if err := sc.Object(i, 0); err != nil {
		return err
	}
	if d.schema == nil {
		adopted, end, err := adoptObject[K, V](&sc, i, &cfg)
		if err == nil {
			err = sc.End(end)
		}
		if err == nil {
			*d = adopted
		}
		return err
	}
	fresh := Dict[K, V]{schema: d.schema, vals: newValues[K, V](d.schema)}
	end, err := decodeObject(&sc, i, &fresh, names, &cfg)
	if err != nil {
		return err
	}
	if err := sc.End(end); err != nil {
		return err
	}
	if d.vals != nil {
		d.copyFrom(&fresh)
	}
	return nil
}

// decodeObject decodes the JSON object at position i of sc into d, which
// must be empty and have a schema with the given names, and returns the
// position after the object.
func decodeObject[K comparable, V any](sc *jsonscan.Scanner, i int, d *Dict[K, V], names *jsonNames, cfg *jsonscan.Options) (int, error) {
	var scratch [64]byte // escaped keys unquote here, to be looked up without allocating
	var skipped skippedKeys
	n := len(names.Keys)
	i, more, err := sc.OpenObject(i)
	for err == nil && more {
		// The key is judged (unknown, duplicate) before the ':' after it is
		// scanned: errors come in the order of the document.
		var key jsonscan.String
		if key, err = sc.Key(i); err != nil {
			break
		}
		name := sc.Bytes(key)
		if !key.Verbatim {
			name = sc.Unquote(key, scratch[:0])
		}
		pos := names.lookup(name)
		if pos < 0 {
			switch {
			case !cfg.SkipUnknown:
				return 0, jsonscan.KeyError(sc.Base+int64(key.Start), string(name), ErrUnknownKey)
			case !cfg.AllowDuplicates && skipped.seen(sc, key, name):
				return 0, jsonscan.KeyError(sc.Base+int64(key.Start), string(name), ErrDuplicateKey)
			}
			var value int
			if value, err = sc.Colon(key.End); err != nil {
				break
			}
			if value, err = sc.Value(value, 1); err != nil {
				return 0, jsonscan.WithKey(err, string(name))
			}
			i, more, err = sc.NextMember(value)
			continue
		}
		w, b := d.bit(n, pos)
		if *w&b != 0 && !cfg.AllowDuplicates {
			return 0, jsonscan.KeyError(sc.Base+int64(key.Start), string(name), ErrDuplicateKey)
		}
		var value int
		if value, err = sc.Colon(key.End); err != nil {
			break
		}
		if value, err = jsonscan.DecodeValue(sc, value, 1, d.at(pos), cfg); err != nil {
			return 0, jsonscan.WithKey(err, string(name))
		}
		if *w&b == 0 {
			*w |= b
			if n > smallMax {
				*d.word(n, -1)++
			}
		}
		i, more, err = sc.NextMember(value)
	}
	if err != nil {
		return 0, err
	}
	return i, nil
}

// skippedKeys remembers the unknown keys that decodeObject skipped, so that
// a duplicate among them is found as among the known ones. Objects rarely
// have many: the first few are kept on the stack and compared in turn, the
// rest in a keyindex family, which finds one in O(1).
type skippedKeys struct {
	first [4]jsonscan.String
	n     int
	more  *keyindex.Family[string] // all the names, once there are more than len(first)
}

// seen reports whether the key named name was skipped before in this
// object, and remembers key. name may be a view of sc's input or of a
// scratch buffer: it is copied if kept.
func (k *skippedKeys) seen(sc *jsonscan.Scanner, key jsonscan.String, name []byte) bool {
	if k.more != nil {
		x := k.more.View(k.more.Len())
		if x.Position(unsafe.String(unsafe.SliceData(name), len(name))) >= 0 {
			return true
		}
		k.more.Add(string(name))
		return false
	}
	var scratch [64]byte
	for _, prev := range k.first[:k.n] {
		b := sc.Bytes(prev)
		if !prev.Verbatim {
			b = sc.Unquote(prev, scratch[:0])
		}
		if bytes.Equal(b, name) {
			return true
		}
	}
	if k.n < len(k.first) {
		k.first[k.n] = key
		k.n++
		return false
	}
	k.more = new(keyindex.Family[string])
	for _, prev := range k.first {
		k.more.Add(sc.Text(prev, nil))
	}
	k.more.Add(string(name))
	return false
}

// adoptObject decodes the JSON object at position i of sc into a new Dict
// whose schema is the object's keys, and returns it and the position after
// the object.
func adoptObject[K comparable, V any](sc *jsonscan.Scanner, i int, cfg *jsonscan.Options) (Dict[K, V], int, error) {
	var keys keyindex.Family[K] // the keys so far, to find a duplicate in O(1)
	var vals []V
	i, more, err := sc.OpenObject(i)
	for err == nil && more {
		var key jsonscan.String
		if key, err = sc.Key(i); err != nil {
			break
		}
		name := sc.Text(key, nil)
		k, perr := parseKey[K](name)
		if perr == nil && !validKey(k) {
			perr = fmt.Errorf("slotdict: key %#v parsed from %q is not equal to itself", k, name)
		}
		if perr != nil {
			return Dict[K, V]{}, 0, jsonscan.KeyDecodeError(sc.Base+int64(key.Start), sc.Base+int64(key.End), name, perr)
		}
		n := keys.Len()
		x := keys.View(n)
		pos := x.Position(k)
		switch {
		case pos >= 0 && !cfg.AllowDuplicates:
			return Dict[K, V]{}, 0, jsonscan.KeyError(sc.Base+int64(key.Start), name, ErrDuplicateKey)
		case pos < 0 && n == MaxKeys:
			return Dict[K, V]{}, 0, jsonscan.TooManyKeys(sc.Base+int64(key.Start), MaxKeys)
		case pos < 0:
			keys.Add(k)
			pos = n
			var zero V
			vals = append(vals, zero)
		}
		var value int
		if value, err = sc.Colon(key.End); err != nil {
			break
		}
		if value, err = jsonscan.DecodeValue(sc, value, 1, &vals[pos], cfg); err != nil {
			return Dict[K, V]{}, 0, jsonscan.WithKey(err, name)
		}
		i, more, err = sc.NextMember(value)
	}
	if err != nil {
		return Dict[K, V]{}, 0, err
	}
	d := New[K, V](NewSchema(keys.View(keys.Len()).Keys...))
	copy(d.values(), vals)
	for pos := range vals {
		d.mark(len(vals), pos)
	}
	return *d, i, nil
}
