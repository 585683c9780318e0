package flyweight

import (
	"fmt"
	"iter"
	"math/bits"
	"strings"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/slab"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// A Record is an object with dynamic string keys whose key layout is a
// shared [slotdict.Schema], as PyPy lays out objects with "maps": the schema
// holds the keys in insertion order, and the record only a pointer to it and
// its values, in the same order. Setting a new key moves the record to the
// schema's cached [slotdict.Schema.With] transition, so records that gain
// the same keys in the same order share one schema; deleting a key moves it
// to the [slotdict.Schema.Without] transition. Get and Set of a present key
// take constant time on average, and so does Set of a new key, amortized;
// Delete takes time linear in Len.
//
// A Record is two words, a schema pointer and a pointer to its values: an
// array of exactly Len values up to 15 keys, and beyond that up to an
// eighth more, so that adding keys stays amortized O(1), plus one word that
// records how many of them are in use (TestMemoryRatios measures a record
// of three keys against a map and a struct). Keys are stored
// once, in the schemas, which keep copies of their own; a Record never
// holds a caller's string as a key.
//
// The zero Record is empty and ready to use. A Record is a small header
// whose copies share its values until one of them adds or deletes a key:
// while they share, setting a key through one copy shows in the others;
// the copy that adds or deletes a key moves to values of its own, and from
// then on writes through it show in it alone. A write never shows in
// another copy under another key. [Record.Clone] makes an independent copy
// at once.
//
// Like a map, a Record is not safe for concurrent use when any goroutine
// modifies it; concurrent reads are safe.
type Record[V any] struct {
	schema *slotdict.Schema[string] // nil in the zero Record: the empty schema
	// values points to an array of capacity(schema.Len()) values, the
	// first schema.Len() of them in use, preceded, beyond linearCap
	// values, by a word that says how many slots of the array some copy of
	// the record has claimed: a copy that finds a slot claimed by another
	// when it adds a key moves to an array of its own (see grow). The
	// length and capacity follow from the schema, so a Record stores
	// neither: that is 16 bytes less than a slice header and a length.
	values *V
}

// emptySchema is the schema of a Record without keys; holding it here keeps
// it interned for the life of the process.
var emptySchema = slotdict.NewSchema[string]()

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

// linearCap is the largest capacity that is exactly the number of keys:
// arrays up to it have no spare slots, and so need no claim word.
const linearCap = 15

// capacity returns the number of values the array of a record with n keys
// has room for: exactly n up to linearCap keys, where records usually stay;
// above that, n rounded up to a multiple of an eighth of the power of two
// below it, so that a record that keeps gaining keys is copied only eight
// times per doubling (amortized O(1) per key) while wasting at most an
// eighth of its array. A function of n alone, it needs no field; and
// capacity(n+1) = capacity(n) whenever n < capacity(n), so that a key added
// in place keeps the array right for the new length.
func capacity(n int) int {
	if n <= linearCap {
		return n
	}
	step := 1 << (bits.Len(uint(n)) - 4)
	return (n + step - 1) &^ (step - 1)
}

// newValues returns a zeroed array for n values, with capacity(n) slots and,
// beyond linearCap, a claim word before them that claims the first n.
func newValues[V any](n int) *V {
	c := capacity(n)
	switch {
	case c == 0:
		return nil
	case c <= linearCap:
		return unsafe.SliceData(make([]V, c))
	}
	p := slab.Make[V](1, c)
	*p = uint64(n)
	return slab.Values[V](p, 1)
}

// claim returns the claim word of the array of a record with n keys, or
// nil if the array has none.
func (r *Record[V]) claim(n int) *uint64 {
	if capacity(n) > linearCap {
		// The word before the values; see newValues.
		return (*uint64)(unsafe.Add(unsafe.Pointer(r.values), -int(unsafe.Sizeof(uint64(0)))))
	}
	return nil
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

// Set sets the value of key to v. A new key is added after the existing
// ones. It panics if the record already has [slotdict.MaxKeys] keys.
func (r *Record[V]) Set(key string, v V) {
	s := r.Schema()
	if i, ok := s.Index(key); ok {
		r.slice()[i] = v
		return
	}
	// The key joins a shared schema that may outlive every record. With
	// stores a copy of it in a schema it makes, so the schema never keeps
	// the caller's buffer alive.
	next := s.With(key)
	r.grow(s.Len())
	r.schema = next
	r.slice()[next.Len()-1] = v
}

// grow makes room for a value at position n, the record's length: in the
// spare slot of its array if no copy of the record has claimed that slot,
// and otherwise in a new array.
func (r *Record[V]) grow(n int) {
	if n < capacity(n) {
		if claim := r.claim(n); *claim == uint64(n) {
			*claim = uint64(n + 1)
			return
		}
	}
	vs := newValues[V](n + 1)
	copy(unsafe.Slice(vs, n), r.slice())
	r.values = vs
}

// Delete removes key and reports whether the record had it. Later keys keep
// their order. The record moves to a new array, so that copies of it that
// still have the key keep its value and the others' positions.
func (r *Record[V]) Delete(key string) bool {
	s := r.Schema()
	i, ok := s.Index(key)
	if !ok {
		return false
	}
	old := r.slice()
	n := len(old) - 1
	vs := newValues[V](n)
	rest := unsafe.Slice(vs, n)
	copy(rest, old[:i])
	copy(rest[i:], old[i+1:])
	r.schema, r.values = s.Without(key), vs
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
	n := r.Len()
	c := &Record[V]{schema: r.Schema(), values: newValues[V](n)}
	copy(c.slice(), r.slice())
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
