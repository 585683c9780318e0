package flyweight

import (
	"fmt"
	"iter"
	"math/bits"
	"strings"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// A Record is an object with dynamic string keys whose key layout is a
// shared [slotdict.Schema], as PyPy lays out objects with "maps": the schema
// holds the keys in insertion order, and the record only a pointer to it and
// its values, in the same order. Setting a new key moves the record to the
// schema's cached [slotdict.Schema.With] transition, so records that gain the
// same keys in the same order share one schema; deleting a key moves it to
// the [slotdict.Schema.Without] transition.
//
// A Record built by Set costs 16 bytes plus an array of exactly Len values
// for up to 8 keys (beyond 8, up to an eighth more, so that adding keys
// stays amortized O(1)): for three int values, 40 bytes, where a
// map[string]int with the same keys costs over 250. Delete keeps the array
// it had. Keys are stored once, in the schemas, which keep copies of their
// own; a Record never holds a caller's string as a key.
//
// Like a map, a Record is not safe for concurrent use when any goroutine
// modifies it; concurrent reads are safe. The zero Record is empty and ready
// to use. Copying a Record by value shares its values with the original; use
// [Record.Clone].
type Record[V any] struct {
	schema *slotdict.Schema[string] // nil in the zero Record: the empty schema
	// values points to an array of at least capacity(schema.Len()) values,
	// the first schema.Len() of them in use. The length and capacity follow
	// from the schema, so a Record stores neither: that is 16 bytes less
	// than a slice header and a length would take.
	values *V
}

// emptySchema is the schema of a Record without keys; holding it here keeps
// it interned for the life of the process.
var emptySchema = slotdict.NewSchema[string]()

// NewRecord returns an empty Record.
func NewRecord[V any]() *Record[V] {
	return &Record[V]{schema: emptySchema}
}

// Schema returns the record's current key layout, shared with every record
// that has the same keys in the same order.
func (r *Record[V]) Schema() *slotdict.Schema[string] {
	if r.schema == nil {
		return emptySchema
	}
	return r.schema
}

// slice returns the record's values, one per key of its schema.
func (r *Record[V]) slice() []V {
	return unsafe.Slice(r.values, r.Schema().Len())
}

// capacity returns the number of values the array of a record with n keys
// has room for: exactly n up to 8 keys, where records usually stay; above
// that, n rounded up to a multiple of an eighth of the power of two below
// it, so that a record that keeps gaining keys is copied only eight times per
// doubling (amortized O(1) per key) while wasting at most an eighth of its
// array. A function of n alone, it needs no field: after a Delete the array
// may be larger than capacity(n), never smaller, which is all that Set relies
// on.
func capacity(n int) int {
	if n <= 8 {
		return n
	}
	step := 1 << (bits.Len(uint(n)) - 4)
	return (n + step - 1) &^ (step - 1)
}

// Get returns the value of key and true, or the zero V and false if the
// record does not have key.
func (r *Record[V]) Get(key string) (V, bool) {
	if i, ok := r.Schema().Index(key); ok {
		return r.slice()[i], true
	}
	var zero V
	return zero, false
}

// Has reports whether the record has key.
func (r *Record[V]) Has(key string) bool {
	return r.Schema().Has(key)
}

// Set sets the value of key to v. A new key is added after the existing ones.
func (r *Record[V]) Set(key string, v V) {
	s := r.Schema()
	if i, ok := s.Index(key); ok {
		r.slice()[i] = v
		return
	}
	// The key joins a shared schema that may outlive every record. With
	// stores a copy of it in a schema it makes, so the schema never keeps
	// the caller's buffer alive.
	r.grow(s.With(key))[s.Len()] = v
}

// grow moves r to next, a schema with one more key, and returns its values,
// reallocating the array if it is full.
func (r *Record[V]) grow(next *slotdict.Schema[string]) []V {
	n := r.Schema().Len()
	if n+1 > capacity(n) {
		vs := make([]V, capacity(n+1))
		copy(vs, r.slice())
		r.values = &vs[0]
	}
	r.schema = next
	return r.slice()
}

// Delete removes key and reports whether the record had it. Later keys keep
// their order.
func (r *Record[V]) Delete(key string) bool {
	s := r.Schema()
	i, ok := s.Index(key)
	if !ok {
		return false
	}
	vs := r.slice()
	copy(vs[i:], vs[i+1:])
	var zero V
	vs[len(vs)-1] = zero // drop the reference for the collector
	r.schema = s.Without(key)
	if r.schema.Len() == 0 {
		r.values = nil
	}
	return true
}

// Len returns the number of keys.
func (r *Record[V]) Len() int {
	return r.Schema().Len()
}

// All returns an iterator over the record's keys and values in insertion
// order. The record must not be modified during iteration.
func (r *Record[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		vs := r.slice()
		i := 0
		for k := range r.Schema().Keys() {
			if !yield(k, vs[i]) {
				return
			}
			i++
		}
	}
}

// Clone returns a copy of the record with the same schema and its own values.
func (r *Record[V]) Clone() *Record[V] {
	c := &Record[V]{schema: r.Schema()}
	if n := c.schema.Len(); n > 0 {
		vs := make([]V, capacity(n))
		copy(vs, r.slice())
		c.values = &vs[0]
	}
	return c
}

// String formats the record like a map: map[k1:v1 k2:v2], in insertion
// order.
func (r *Record[V]) String() string {
	var b strings.Builder
	b.WriteString("map[")
	sep := ""
	for k, v := range r.All() {
		fmt.Fprintf(&b, "%s%s:%v", sep, k, v)
		sep = " "
	}
	b.WriteString("]")
	return b.String()
}
