package slotdict

import (
	"fmt"
	"iter"
	"slices"
	"strings"
)

// Dict is a map from the keys of a fixed [Schema] to values of type V: a
// record whose key set is locked when it is made. It stores no keys, only a
// value array indexed by schema position and a presence bitmap, so it costs
// a fraction of a map with the same keys (TestBytesPerDictVsMap).
//
// A key of the schema is present once set, even to the zero value, and
// absent after [Dict.Delete] or [Dict.Clear]. A key outside the schema can
// never be set: [Dict.Set] rejects it with [ErrUnknownKey]. Iteration
// ([Dict.All], [Dict.Keys], [Dict.Values]) follows schema order. Get, Set,
// Has and Delete take constant time on average.
//
// Make a Dict with [New], [FromMap] or a decoder. The zero Dict has no
// schema: it reads as empty, has no keys to set, and decoding JSON into it
// adopts the keys of the object as its schema ([Dict.UnmarshalJSON]), so
// that a Dict can be a field of a struct that encoding/json decodes.
//
// A Dict is a small header, like a map's: copies of a Dict share its
// contents, and a write through one shows in all of them. [Dict.Clone]
// makes an independent copy.
//
// Like a map, a Dict is not safe for concurrent use when any goroutine
// writes to it; concurrent reads are safe.
type Dict[K comparable, V any] struct {
	schema *Schema[K]
	vals   *V // the first of schema.Len() values, after the presence bits; see storage.go
}

// New returns an empty Dict over s. It panics if s is nil.
func New[K comparable, V any](s *Schema[K]) *Dict[K, V] {
	if s == nil {
		panic("slotdict: New with a nil schema")
	}
	return &Dict[K, V]{schema: s, vals: newValues[K, V](s)}
}

// FromMap returns a Dict over s holding the entries of m. If a key of m is
// not in s, it returns nil and an error matching [ErrUnknownKey] that names
// that key (one of them, if there are several). It panics if s is nil.
func FromMap[K comparable, V any](s *Schema[K], m map[K]V) (*Dict[K, V], error) {
	d := New[K, V](s)
	for k, v := range m {
		if err := d.Set(k, v); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Schema returns the schema of d: the set of keys d may hold. For the zero
// Dict it is the empty schema.
func (d *Dict[K, V]) Schema() *Schema[K] {
	if d.schema == nil {
		return NewSchema[K]()
	}
	return d.schema
}

// Len returns the number of present keys, in constant time.
func (d *Dict[K, V]) Len() int { return d.count() }

// Get returns the value of k and true if k is present, or the zero value and
// false if k is absent or not in the schema.
func (d *Dict[K, V]) Get(k K) (V, bool) {
	// This is Schema.find and present spelled out, because Get is the hot
	// path. Calling the key index directly rather than through Schema.find
	// saves a generic call level: the compiled code then does not load and
	// nil-check a nested dictionary before every lookup (see the assembly
	// of Dict[go.shape.string,go.shape.int].Get).
	if s := d.schema; s != nil {
		if i := s.index.Position(k); i >= 0 {
			if w, b := d.bit(len(s.index.Keys), i); *w&b != 0 {
				return *d.at(i), true
			}
		}
	}
	var zero V
	return zero, false
}

// Has reports whether k is present.
func (d *Dict[K, V]) Has(k K) bool {
	i := d.schema.find(k)
	return i >= 0 && d.present(i)
}

// Set sets the value of k, making k present. If k is not in d's schema, Set
// returns an error matching [ErrUnknownKey] that names k, and d is unchanged.
func (d *Dict[K, V]) Set(k K, v V) error {
	// Spelled out as Get is (see there).
	if s := d.schema; s != nil {
		if i := s.index.Position(k); i >= 0 {
			*d.at(i) = v
			d.mark(len(s.index.Keys), i)
			return nil
		}
	}
	return unknownKey(k)
}

// unknownKey is not generic, so that the error path is not compiled into
// every instantiation of Set.
func unknownKey(k any) error {
	return fmt.Errorf("slotdict: %w %#v", ErrUnknownKey, k)
}

// Delete makes k absent and reports whether it was present. The value slot
// is zeroed, so d no longer keeps the old value alive. Deleting an absent
// key, or one not in the schema, does nothing and returns false.
func (d *Dict[K, V]) Delete(k K) bool {
	i := d.schema.find(k)
	if i < 0 || !d.unmark(i) {
		return false
	}
	var zero V
	*d.at(i) = zero
	return true
}

// Clear makes every key absent, keeping the schema.
func (d *Dict[K, V]) Clear() {
	if d.vals != nil {
		d.clearAll()
	}
}

// Clone returns a new Dict over the same schema with the same entries. The
// values are copied as by assignment (a shallow copy).
func (d *Dict[K, V]) Clone() *Dict[K, V] {
	if d.schema == nil {
		return &Dict[K, V]{}
	}
	c := New[K, V](d.schema)
	c.copyFrom(d)
	return c
}

// All returns an iterator over the present keys and their values, in schema
// order. The loop body may set and delete keys: a key deleted before the
// iterator reaches it is not produced, and a key set at a later position is.
func (d *Dict[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		ws, vs := d.presence(), d.values()
		for i := nextIn(ws, 0); i >= 0; i = nextIn(ws, i+1) {
			if !yield(d.schema.index.Keys[i], vs[i]) {
				return
			}
		}
	}
}

// Keys returns an iterator over the present keys, in schema order, with the
// semantics of [Dict.All].
func (d *Dict[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		ws := d.presence()
		for i := nextIn(ws, 0); i >= 0; i = nextIn(ws, i+1) {
			if !yield(d.schema.index.Keys[i]) {
				return
			}
		}
	}
}

// Values returns an iterator over the values of the present keys, in schema
// order, with the semantics of [Dict.All].
func (d *Dict[K, V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		ws, vs := d.presence(), d.values()
		for i := nextIn(ws, 0); i >= 0; i = nextIn(ws, i+1) {
			if !yield(vs[i]) {
				return
			}
		}
	}
}

// String formats d like a map, "dict[k1:v1 k2:v2]", with the present keys in
// schema order and each key and value formatted with %v.
func (d *Dict[K, V]) String() string {
	var b strings.Builder
	b.WriteString("dict[")
	for i := d.next(0); i >= 0; i = d.next(i + 1) {
		if b.Len() > len("dict[") {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%v:%v", d.schema.keys()[i], d.values()[i])
	}
	b.WriteByte(']')
	return b.String()
}

// Equal reports whether a and b hold the same keys with equal values, as
// [maps.Equal] does for maps. The schemas need not be the same: a Dict over
// schema [x y] holding only x equals one over [x] holding the same x.
// Values are compared with ==, so, as with maps.Equal, an interface V
// holding values that are not comparable panics: Dicts decoded from JSON
// into V = any hold []any for arrays; compare those with [reflect.DeepEqual]
// over [Dict.All], or through their JSON.
func Equal[K, V comparable](a, b *Dict[K, V]) bool {
	if a.Len() != b.Len() {
		return false
	}
	if a.schema == b.schema {
		if !slices.Equal(a.words(), b.words()) {
			return false
		}
		for i := a.next(0); i >= 0; i = a.next(i + 1) {
			if !b.present(i) || a.values()[i] != b.values()[i] {
				return false
			}
		}
		return true
	}
	for k, v := range a.All() {
		if w, ok := b.Get(k); !ok || v != w {
			return false
		}
	}
	return true
}
