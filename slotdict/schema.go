package slotdict

import (
	"fmt"
	"iter"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// Schema is an immutable, ordered, duplicate-free sequence of keys: the
// layout shared by every [Dict] built on it. It plays the part of a class
// with __slots__ in Python, or of a "map" (hidden class) in PyPy.
//
// Schemas are interned: [NewSchema] returns the same *Schema for the same key
// sequence for as long as that schema is in use, so schemas may be compared
// with ==, and a million Dicts with the same keys share one copy of them. A
// schema that nothing refers to any more (no Dict, no variable, no schema
// made from it by [Schema.With]) is reclaimed by the garbage collector; a
// later NewSchema with the same keys makes a new one.
//
// Obtain schemas only from [NewSchema], [Schema.With] and [Schema.Without];
// the zero Schema is not usable and a Schema must not be copied. A nil
// *Schema is not a valid argument anywhere in this package. All methods are
// safe for concurrent use.
//
// Keys compare with ==, as in a map. A key that holds an incomparable value
// behind an interface (a slice in an any) is in no schema: NewSchema and
// With panic on one, naming it, and looking one up may panic, as indexing a
// map with it does.
type Schema[K comparable] struct {
	keyIndex[K] // the keys in order, and how to find them

	// prev is the first schema that reached this one with With, kept alive
	// so that a chain of With calls (a record gaining keys one by one) stays
	// cached while its end is in use; see [Schema.With].
	prev atomic.Pointer[Schema[K]]

	// extra holds what only some schemas need, made on first use: a schema
	// is 64 bytes without it, and decoded records make many schemas that
	// are never asked for a transition.
	extra atomic.Pointer[schemaExtra[K]]
}

// schemaExtra is the part of a Schema made on first use; see Schema.extras.
type schemaExtra[K comparable] struct {
	mu      sync.RWMutex
	with    edges[K] // guarded by mu
	without edges[K] // guarded by mu

	namesOnce sync.Once
	names     *jsonNames // set once by Schema.names

	layouts sync.Map // reflect.Type of V -> reflect.Type of the storage; only for len(keys) > 64
}

// extras returns s's schemaExtra, making it if s has none yet.
func (s *Schema[K]) extras() *schemaExtra[K] {
	if x := s.extra.Load(); x != nil {
		return x
	}
	s.extra.CompareAndSwap(nil, new(schemaExtra[K]))
	return s.extra.Load()
}

// NewSchema returns the shared schema for keys, in the given order. Calls
// with equal key sequences return the same pointer while that schema is in
// use (see [Schema] for when it may be reclaimed); the order of keys is part
// of the sequence. NewSchema() with no keys returns the empty schema.
//
// NewSchema copies keys; the caller may reuse the slice. A new schema of
// string keys also copies their bytes, as unique.Make does, so that it does
// not keep alive the memory behind them (keys sliced out of a large
// document, say); [Schema.With] copies its key likewise. It panics if a key
// occurs twice, naming the key, or if a key is not comparable (a slice in an
// any) or not equal to itself (a NaN, or a value holding one), since such a
// key could never be found.
//
// NewSchema is safe for concurrent use.
func NewSchema[K comparable](keys ...K) *Schema[K] {
	for _, k := range keys {
		checkKey(k)
	}
	return registryFor[K]().get(keys, 0)
}

// checkKey panics if k is not comparable (a slice in an any), which would
// make hashing or comparing it panic with a bare runtime error, or not equal
// to itself, since such a key could never be found. It runs before k is
// hashed, so that the panic names the key. (Only a K that can hold an
// interface is checked for comparability: the check copies k to the heap.)
func checkKey[K comparable](k K) {
	if typecheck.HoldsInterfaces(reflect.TypeFor[K]()) && !typecheck.Comparable(k) {
		panic(fmt.Sprintf("slotdict: key %#v is not comparable", k))
	}
	if k != k {
		panic(fmt.Sprintf("slotdict: key %#v is not equal to itself", k))
	}
}

// indexKeys returns the index of the keys of a new schema, keeping keys. It
// panics if a key occurs twice. (A key sequence with a duplicate is never
// found in the registry, so only the sequences it has not seen are checked.)
func indexKeys[K comparable](keys []K) keyIndex[K] {
	x, dup := newKeyIndex(keys)
	if dup >= 0 {
		panic(fmt.Sprintf("slotdict: duplicate key %#v in schema", keys[dup]))
	}
	return x
}

// Len returns the number of keys in s.
func (s *Schema[K]) Len() int { return len(s.keys) }

// Index returns the position of k in s (0 for the first key) and true, or
// 0 and false if k is not in s.
func (s *Schema[K]) Index(k K) (int, bool) {
	i := s.find(k)
	return max(i, 0), i >= 0
}

// find returns the position of k in s, or -1. A nil s (the schema of a zero
// Dict) is the empty schema.
func (s *Schema[K]) find(k K) int {
	if s == nil {
		return -1
	}
	return s.position(k)
}

// Has reports whether k is in s.
func (s *Schema[K]) Has(k K) bool { return s.find(k) >= 0 }

// Keys returns an iterator over the keys of s in order.
func (s *Schema[K]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for _, k := range s.keys {
			if !yield(k) {
				return
			}
		}
	}
}

// String formats s as "schema[k1 k2 ...]", each key formatted with %v.
func (s *Schema[K]) String() string {
	var b strings.Builder
	b.WriteString("schema[")
	for i, k := range s.keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, k)
	}
	b.WriteByte(']')
	return b.String()
}

// With returns the shared schema of s's keys followed by k: the same pointer
// as NewSchema(append(keys of s, k)...). If k is already in s, With returns s.
// It panics, like [NewSchema], if k is not comparable or not equal to
// itself.
//
// Transitions are cached in s, so a repeated With is one read-locked map
// lookup. The cache refers to its targets weakly: it keeps no schema alive,
// and its size stays within about twice the number of its targets in use
// (dead entries are dropped whenever it has doubled since its last sweep).
// The schema With returns keeps s alive in turn (if no other schema reached
// it by With first), so that while records that gained their keys one by
// one are in use, every step of the chain stays cached.
func (s *Schema[K]) With(k K) *Schema[K] {
	checkKey(k)
	if s.Has(k) {
		return s
	}
	x := s.extras()
	if t := x.cached(&x.with, k); t != nil {
		return t
	}
	keys := make([]K, len(s.keys)+1)
	copy(keys, s.keys)
	keys[len(s.keys)] = k
	t := registryFor[K]().get(keys, len(s.keys))
	t.prev.CompareAndSwap(nil, s)
	x.remember(&x.with, t.keys[len(s.keys)], t) // t's own copy of k (see ownKeys), as in Without
	return t
}

// Without returns the shared schema of s's keys without k, in the same
// order: the same pointer as [NewSchema] would return for them. If k is not
// in s, Without returns s. Transitions are cached as for [Schema.With], but a
// schema made by Without does not keep s alive.
func (s *Schema[K]) Without(k K) *Schema[K] {
	i := s.find(k)
	if i < 0 {
		return s
	}
	x := s.extras()
	if t := x.cached(&x.without, k); t != nil {
		return t
	}
	keys := make([]K, 0, len(s.keys)-1)
	keys = append(append(keys, s.keys[:i]...), s.keys[i+1:]...)
	t := registryFor[K]().get(keys, len(keys))
	// The cache is keyed by s's own copy of k, not the caller's: a caller's
	// string (a view of a large buffer, say) must not live as long as s.
	x.remember(&x.without, s.keys[i], t)
	return t
}

func (x *schemaExtra[K]) cached(e *edges[K], k K) *Schema[K] {
	x.mu.RLock()
	t := e.load(k)
	x.mu.RUnlock()
	return t
}

func (x *schemaExtra[K]) remember(e *edges[K], k K, t *Schema[K]) {
	x.mu.Lock()
	e.store(k, t)
	x.mu.Unlock()
}

// layout returns the storage type for a Dict[K, V] on s with more than 64
// keys, V being v; see newValues.
func (s *Schema[K]) layout(v reflect.Type) reflect.Type {
	x := s.extras()
	if t, ok := x.layouts.Load(v); ok {
		return t.(reflect.Type)
	}
	t, _ := x.layouts.LoadOrStore(v, largeLayout(v, len(s.keys)))
	return t.(reflect.Type)
}
