package slotdict

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
)

// jsonNames holds the JSON object key of every key of a schema, computed
// once per schema on first use. JSON keys are text, so a Dict[K, V] is
// encoded like a map[K]V by encoding/json: a key of string kind is used as
// is, a key implementing encoding.TextMarshaler is marshaled, a key of
// integer kind is written in decimal; any other key type is unsupported.
//
// Decoding goes the other way by matching the bytes of each JSON key against
// these names, not by parsing them into K, so it needs no
// encoding.TextUnmarshaler and allocates no key strings (an escaped key
// longer than 64 bytes is unquoted into a heap buffer; shorter ones on the
// stack). Names depend only
// on the keys themselves, never on process state such as hash seeds or
// pointers, so what one process writes another reads.
type jsonNames struct {
	keyindex.Index[string]          // the JSON name of the key at each position
	quoted                 []string // keys[i] as a JSON string, quotes included
	err                    error    // why the schema has no JSON names, or nil
}

var noNames = &jsonNames{} // the names of the empty schema (and a zero Dict)

// names returns the JSON names of s's keys. A nil s (the schema of a zero
// Dict) is the empty schema.
func (s *Schema[K]) names() *jsonNames {
	if s == nil {
		if err := keyTypeError[K](); err != nil {
			return &jsonNames{err: err}
		}
		return noNames
	}
	x := s.extras()
	x.namesOnce.Do(func() { x.names = buildNames(s.keys(), s.index) })
	return x.names
}

func buildNames[K comparable](keys []K, index keyindex.Index[K]) *jsonNames {
	if err := keyTypeError[K](); err != nil {
		return &jsonNames{err: err}
	}
	n := &jsonNames{quoted: make([]string, len(keys))}
	if x, ok := any(index).(keyindex.Index[string]); ok && !slices.ContainsFunc(x.Keys, invalidUTF8) {
		n.Index = x // the keys are their own names, and distinct
	} else {
		text := make([]string, len(keys))
		for i, k := range keys {
			name, err := keyName(k)
			if err != nil {
				return &jsonNames{err: err}
			}
			if invalidUTF8(name) {
				// JSON text is UTF-8: encoding/json writes each invalid
				// byte as U+FFFD, so that is the name readers see, and two
				// keys may come to share it.
				name = string([]rune(name))
			}
			text[i] = name
		}
		f, dup := keyindex.NewFamily(text)
		if dup >= 0 {
			first := slices.Index(text, text[dup])
			return &jsonNames{err: &json.UnsupportedValueError{
				Value: reflect.ValueOf(keys[dup]),
				Str:   fmt.Sprintf("slotdict: keys %#v and %#v have the same JSON name %q", keys[first], keys[dup], text[dup]),
			}}
		}
		n.Index = f.View(len(text))
	}
	for i, text := range n.Keys {
		q, err := json.Marshal(text)
		if err != nil {
			return &jsonNames{err: err}
		}
		n.quoted[i] = string(q)
	}
	return n
}

// keyTypeError returns the *json.UnsupportedTypeError of encoding/json for
// a map[K]V if K is a type whose keys have no JSON names, or nil, so that a
// schema without keys is refused like a nonempty one, as encoding/json
// refuses an empty map. An interface K is judged by its keys' dynamic types
// (see keyName), where encoding/json refuses it outright.
func keyTypeError[K comparable]() error {
	t := reflect.TypeFor[K]()
	switch t.Kind() {
	case reflect.Interface, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return nil
	}
	if t.Implements(reflect.TypeFor[encoding.TextMarshaler]()) {
		return nil
	}
	return &json.UnsupportedTypeError{Type: t}
}

func invalidUTF8(s string) bool { return !utf8.ValidString(s) }

// keyName returns the JSON name of k, with encoding/json's rules for map
// keys (in its order: string kind, TextMarshaler, integer kinds).
func keyName[K comparable](k K) (string, error) {
	v := reflect.ValueOf(k) // for an interface K, the dynamic value
	if v.Kind() == reflect.String {
		return v.String(), nil
	}
	if tm, ok := any(k).(encoding.TextMarshaler); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return "", nil
		}
		b, err := tm.MarshalText()
		if err != nil {
			return "", fmt.Errorf("slotdict: JSON name of key %#v: %w", k, err)
		}
		return string(b), nil
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), nil
	}
	t := reflect.TypeFor[K]()
	if v.IsValid() {
		t = v.Type()
	}
	return "", &json.UnsupportedTypeError{Type: t}
}

// lookup returns the position of the key named b, or -1, without
// allocating.
func (n *jsonNames) lookup(b []byte) int {
	// position keeps no reference to its argument, so a view of b will do.
	return n.Position(unsafe.String(unsafe.SliceData(b), len(b)))
}

// parseKey returns the key of type K whose JSON name is name, as
// encoding/json decodes a map key: through K's encoding.TextUnmarshaler,
// else as a string for a K of string kind (or an interface K, which gets
// the string), else as a decimal integer for one of integer kind. It is how
// a zero Dict adopts the keys of the object it decodes.
func parseKey[K comparable](name string) (K, error) {
	var k K
	t := reflect.TypeFor[K]()
	if tu, ok := any(&k).(encoding.TextUnmarshaler); ok {
		err := tu.UnmarshalText([]byte(name))
		return k, err
	}
	v := reflect.ValueOf(&k).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString(name)
	case reflect.Interface:
		if !reflect.TypeFor[string]().Implements(t) {
			return k, &json.UnsupportedTypeError{Type: t}
		}
		v.Set(reflect.ValueOf(name))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(name, 10, t.Bits())
		if err != nil {
			return k, &json.UnmarshalTypeError{Value: "number " + name, Type: t}
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(name, 10, t.Bits())
		if err != nil {
			return k, &json.UnmarshalTypeError{Value: "number " + name, Type: t}
		}
		v.SetUint(n)
	default:
		return k, &json.UnsupportedTypeError{Type: t}
	}
	return k, nil
}
