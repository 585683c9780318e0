package slotdict

import (
	"fmt"
	"iter"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// Schema is an immutable, ordered, duplicate-free sequence of keys: the
// layout shared by every [Dict] built on it. It plays the part of a class
// with __slots__ in Python, or of a "map" (hidden class) in PyPy.
//
// Schemas are interned: [NewSchema] returns the same *Schema for the same key
// sequence for as long as that schema is in use, so schemas may be compared
// with ==, and a million Dicts with the same keys share one copy of them. A
// schema that nothing refers to any more (no Dict, no variable) is
// reclaimed by the garbage collector; a later NewSchema with the same keys
// makes a new one.
//
// Obtain schemas only from [NewSchema], [Schema.With] and [Schema.Without];
// the zero Schema is not usable, and a Schema must not be copied (go vet
// reports copies): hold the *Schema. A nil *Schema is not a valid argument
// anywhere in this package. All methods are safe for concurrent use.
//
// Keys compare with ==, as in a map. A key that holds an incomparable value
// behind an interface (a slice in an any) is in no schema: NewSchema and
// With panic on one, naming it, and looking one up may panic, as indexing a
// map with it does. A schema holds at most [MaxKeys] keys.
type Schema[K comparable] struct {
	index keyindex.Index[K] // the keys in order, and how to find them

	// tip is the key storage this schema is a view of, while it is the
	// longest view that With made of it (see family): only that view
	// holds the storage strongly.
	tip  atomic.Pointer[keyindex.Family[K]]
	hash uint64 // of the key sequence; see chainHash

	// extra holds what only some schemas need, made on first use: decoded
	// records make many schemas that are never asked for a transition or
	// their JSON names.
	extra atomic.Pointer[schemaExtra[K]]
}

// schemaExtra is the part of a Schema made on first use; see Schema.extras.
type schemaExtra[K comparable] struct {
	mu      sync.RWMutex
	with    edges[K] // guarded by mu
	without edges[K] // guarded by mu

	namesOnce sync.Once
	names     *jsonNames // set once by Schema.names

	// fam is the key storage of a schema that a longer view of it has
	// replaced as its tip (guarded by mu); see family.
	fam weak.Pointer[keyindex.Family[K]]
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
// occurs twice, naming the key, if a key is not comparable (a slice in an
// any) or not equal to itself (a NaN, or a value holding one), since such a
// key could never be found, or if there are more than [MaxKeys] keys.
//
// NewSchema takes time linear in the number of keys, and is safe for
// concurrent use.
func NewSchema[K comparable](keys ...K) *Schema[K] {
	for _, k := range keys {
		checkKey(k)
	}
	if len(keys) > MaxKeys {
		panic(fmt.Sprintf("slotdict: NewSchema of %d keys: a schema holds at most %d", len(keys), MaxKeys))
	}
	return registryFor[K]().sequence(keys)
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

// validKey reports whether k can be a key: what checkKey checks, without
// the panic, for keys that come from input.
func validKey[K comparable](k K) bool {
	return (!typecheck.HoldsInterfaces(reflect.TypeFor[K]()) || typecheck.Comparable(k)) && k == k
}

// MaxKeys is the most keys a [Schema] holds: 2²⁴−2. [NewSchema] and
// [Schema.With] panic beyond it, and decoding an object with more keys into
// a zero Dict is an error matching [ErrLimit].
const MaxKeys = keyindex.MaxKeys

// Len returns the number of keys in s.
func (s *Schema[K]) Len() int { return len(s.index.Keys) }

// keys returns the keys of s in order; they must not be modified.
func (s *Schema[K]) keys() []K { return s.index.Keys }

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
	return s.index.Position(k)
}

// Has reports whether k is in s.
func (s *Schema[K]) Has(k K) bool { return s.find(k) >= 0 }

// Keys returns an iterator over the keys of s in order.
func (s *Schema[K]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for _, k := range s.keys() {
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
	for i, k := range s.keys() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, k)
	}
	b.WriteByte(']')
	return b.String()
}

// With returns the shared schema of s's keys followed by k: the same pointer
// as NewSchema(append(keys of s, k)...). If k is already in s, With returns
// s. It panics, like [NewSchema], if k is not comparable or not equal to
// itself, or if s already holds the most keys a schema can.
//
// With takes amortized constant time and memory, whatever the length of s:
// the schema it makes shares s's key storage where it can (see
// internal/keyindex's Family), and
// transitions are cached in s, so a repeated With is one read-locked map
// lookup. The cache refers to its targets weakly and keeps no schema alive,
// and no schema keeps the one it was made from alive: after a collection,
// the shorter schemas of a chain that nothing uses are gone, and walking the
// chain again makes them anew (each once, until the next collection).
func (s *Schema[K]) With(k K) *Schema[K] {
	checkKey(k)
	if s.Has(k) {
		return s
	}
	x := s.extras()
	if t := x.cached(&x.with, k); t != nil {
		return t
	}
	t := registryFor[K]().extend(s, k)
	x.remember(&x.with, t.keys()[s.Len()], t) // t's own copy of k, as in Without
	return t
}

// Without returns the shared schema of s's keys without k, in the same
// order: the same pointer as [NewSchema] would return for them. If k is not
// in s, Without returns s. Transitions are cached as for [Schema.With]; a
// schema made by Without takes time and memory linear in its length.
func (s *Schema[K]) Without(k K) *Schema[K] {
	i := s.find(k)
	if i < 0 {
		return s
	}
	x := s.extras()
	if t := x.cached(&x.without, k); t != nil {
		return t
	}
	keys := make([]K, 0, s.Len()-1)
	keys = append(append(keys, s.keys()[:i]...), s.keys()[i+1:]...)
	t := registryFor[K]().sequence(keys)
	// The cache is keyed by s's own copy of k, not the caller's: a caller's
	// string (a view of a large buffer, say) must not live as long as s.
	x.remember(&x.without, s.keys()[i], t)
	return t
}

// family returns the key storage s is a view of, or nil if it is gone. The
// longest view of a family holds it strongly and the shorter ones weakly, so
// that a short schema that lives long (the empty one, say) does not keep the
// keys of every chain grown from it alive: once the longer views are
// collected, so is the storage, and the shorter views keep only the arrays
// they were made with. A With from a view whose storage is gone branches
// into a storage of its own.
func (s *Schema[K]) family() *keyindex.Family[K] {
	if f := s.tip.Load(); f != nil {
		return f
	}
	x := s.extra.Load()
	if x == nil {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.fam.Value()
}

// demote makes s, which a longer view of f has replaced as f's tip, hold f
// weakly.
func (s *Schema[K]) demote(f *keyindex.Family[K]) {
	x := s.extras()
	x.mu.Lock()
	defer x.mu.Unlock()
	if s.tip.Load() == f {
		x.fam = weak.Make(f)
		s.tip.Store(nil)
	}
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
