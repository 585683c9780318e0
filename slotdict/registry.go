package slotdict

import (
	"hash/maphash"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"
)

// registry interns the schemas of one key type K. Generic types cannot have
// package-level variables of their own, so the registries live in a sync.Map
// keyed by reflect.Type.
//
// A schema is found by the hash of its key sequence (hash/maphash, which
// hashes any comparable value consistently with ==), then confirmed by
// comparing the keys, so hash collisions are harmless. Entries are weak: the
// registry does not keep a schema alive. When a schema is collected, its
// cleanup removes the dead weak pointer from the bucket, so the registry
// holds only schemas in use.
type registry[K comparable] struct {
	seed    maphash.Seed
	mu      sync.Mutex
	buckets map[uint64][]weak.Pointer[Schema[K]] // guarded by mu
}

var registries sync.Map // reflect.Type -> *registry[K]

func registryFor[K comparable]() *registry[K] {
	t := reflect.TypeFor[K]()
	if r, ok := registries.Load(t); ok {
		return r.(*registry[K])
	}
	r, _ := registries.LoadOrStore(t, &registry[K]{
		seed:    maphash.MakeSeed(),
		buckets: make(map[uint64][]weak.Pointer[Schema[K]]),
	})
	return r.(*registry[K])
}

func (r *registry[K]) hash(keys []K) uint64 {
	var h maphash.Hash
	h.SetSeed(r.seed)
	for _, k := range keys {
		maphash.WriteComparable(&h, k)
	}
	return h.Sum64()
}

// get returns the live schema with exactly keys, or makes one from keys,
// panicking as [NewSchema] does on keys that cannot make a schema. A new
// schema gets a copy of keys, so a lookup that finds one allocates nothing.
// keys[caller:] are the caller's keys, the rest belong to other schemas;
// see ownKeys.
func (r *registry[K]) get(keys []K, caller int) *Schema[K] {
	h := r.hash(keys)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, wp := range r.buckets[h] {
		if s := wp.Value(); s != nil && slices.Equal(s.keys, keys) {
			return s
		}
	}
	s := &Schema[K]{keyIndex: indexKeys(ownKeys(keys, caller))}
	r.buckets[h] = append(r.buckets[h], weak.Make(s))
	runtime.AddCleanup(s, r.prune, h)
	return s
}

// ownKeys returns a copy of keys for a new schema. For a K of a string kind
// it also copies the bytes of keys[caller:], as unique.Make does: a
// process-wide, interned schema must not keep alive the memory behind a
// caller's key (a view of a large buffer, a key sliced out of a decoded
// document), nor hand it to the transition caches, which key their entries
// by the schemas' own keys. The keys before caller are other schemas' own
// copies already, so that a chain of With calls copies each key's bytes
// once, not once per schema. (Strings inside keys of other types, struct
// fields say, are kept as given.)
func ownKeys[K comparable](keys []K, caller int) []K {
	own := slices.Clone(keys)
	if reflect.TypeFor[K]().Kind() == reflect.String {
		for i := range own[caller:] {
			p := asString(&own[caller+i])
			*p = strings.Clone(*p)
		}
	}
	return own
}

// prune drops the weak pointers to collected schemas from bucket h. It runs
// as the cleanup of a schema in that bucket; by then the schema's weak
// pointers already return nil.
func (r *registry[K]) prune(h uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	live := slices.DeleteFunc(r.buckets[h], func(wp weak.Pointer[Schema[K]]) bool { return wp.Value() == nil })
	if len(live) == 0 {
		delete(r.buckets, h)
	} else {
		r.buckets[h] = live
	}
}
