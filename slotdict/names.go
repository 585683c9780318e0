package slotdict

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"unsafe"
)

// jsonNames holds the JSON object key of every key of a schema, computed
// once per schema on first use. JSON keys are text, so a Dict[K, V] is
// encoded like a map[K]V by encoding/json: a key of string kind is used as
// is, a key implementing encoding.TextMarshaler is marshaled, a key of
// integer kind is written in decimal; any other key type is unsupported.
//
// Decoding goes the other way by matching the bytes of each JSON key against
// these names, not by parsing them into K, so it needs no
// encoding.TextUnmarshaler and allocates nothing per key. Names depend only
// on the keys themselves, never on process state such as hash seeds or
// pointers, so what one process writes another reads.
type jsonNames struct {
	text   []string         // the JSON name of the key at each position
	quoted []string         // text[i] as a JSON string, quotes included
	index  map[string]int32 // position by name; nil when len(text) <= linearMax
	err    error            // why the schema has no JSON names, or nil
}

var noNames = &jsonNames{} // the names of the empty schema (and a zero Dict)

// names returns the JSON names of s's keys. A nil s (the schema of a zero
// Dict) is the empty schema.
func (s *Schema[K]) names() *jsonNames {
	if s == nil {
		return noNames
	}
	s.namesOnce.Do(func() { s.namesCache = buildNames(s.keys, s.index) })
	return s.namesCache
}

func buildNames[K comparable](keys []K, index map[K]int32) *jsonNames {
	n := &jsonNames{quoted: make([]string, len(keys))}
	if ks, ok := any(keys).([]string); ok {
		n.text = ks // the keys are their own names, and distinct
		n.index, _ = any(index).(map[string]int32)
	} else {
		n.text = make([]string, len(keys))
		for i, k := range keys {
			text, err := keyName(k)
			if err != nil {
				return &jsonNames{err: err}
			}
			n.text[i] = text
		}
		if len(keys) > linearMax {
			n.index = make(map[string]int32, len(keys))
		}
		for i, text := range n.text {
			if j := n.lookupString(text); j >= 0 && j < i {
				return &jsonNames{err: &json.UnsupportedValueError{
					Value: reflect.ValueOf(keys[i]),
					Str:   fmt.Sprintf("slotdict: keys %#v and %#v have the same JSON name %q", keys[j], keys[i], text),
				}}
			}
			if n.index != nil {
				n.index[text] = int32(i)
			}
		}
	}
	for i, text := range n.text {
		q, err := json.Marshal(text)
		if err != nil {
			return &jsonNames{err: err}
		}
		n.quoted[i] = string(q)
	}
	return n
}

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
	// lookupString keeps no reference to its argument, so a view of b will do.
	return n.lookupString(unsafe.String(unsafe.SliceData(b), len(b)))
}

func (n *jsonNames) lookupString(s string) int {
	if n.index == nil {
		for i, text := range n.text {
			if text == s {
				return i
			}
		}
		return -1
	}
	if i, ok := n.index[s]; ok {
		return int(i)
	}
	return -1
}
