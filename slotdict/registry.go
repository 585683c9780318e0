package slotdict

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"

	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
	"github.com/seed5da3ae9a/flyweight/internal/weakset"
)

// registry interns the schemas of one key type K: a weak set (see
// internal/weakset) that holds each schema in use, under the hash of its
// key sequence, and forgets it once it is collected. Generic types cannot
// have package-level variables of their own, so the registries live in a
// sync.Map keyed by reflect.Type.
type registry[K comparable] struct {
	schemas weakset.Set[Schema[K]]
}

var registries sync.Map // reflect.Type -> *registry[K]

// newRegistry returns an empty registry; a schema's hash is kept in the
// schema, and the low half of it is the meta of its entry.
func newRegistry[K comparable]() *registry[K] {
	r := new(registry[K])
	r.schemas.Hash = func(s *Schema[K], _ uint32) uint64 { return s.hash }
	return r
}

func registryFor[K comparable]() *registry[K] {
	t := reflect.TypeFor[K]()
	if r, ok := registries.Load(t); ok {
		return r.(*registry[K])
	}
	r, _ := registries.LoadOrStore(t, newRegistry[K]())
	return r.(*registry[K])
}

// chainSeeds key chainHash for the process.
var chainSeeds = [2]uint64{rand.Uint64(), rand.Uint64()}

// chainHash returns the hash of a key sequence that ends in k, given h, the
// hash of the sequence before k (0 for the empty one): the halves of their
// 128-bit product folded, each xored with a seed first (see
// keyindex.StringHash). Chained this way, With hashes the sequence of its
// result in constant time.
func chainHash[K comparable](h uint64, k K) uint64 {
	hi, lo := bits.Mul64(h^chainSeeds[0], keyindex.Hash(k)^chainSeeds[1])
	return hi ^ lo
}

// sequence returns the live schema of exactly keys, or makes one from a
// copy of keys (see ownKeys), panicking as NewSchema does on a duplicate
// key. A lookup that finds the schema allocates nothing.
func (r *registry[K]) sequence(keys []K) *Schema[K] {
	var h uint64
	for _, k := range keys {
		h = chainHash(h, k)
	}
	s, _ := r.schemas.LoadOrStore(h, uint32(h),
		func(s *Schema[K]) bool { return slices.Equal(s.keys(), keys) },
		func() *Schema[K] {
			f, dup := keyindex.NewFamily(slices.Clone(keys))
			if dup >= 0 {
				panic(fmt.Sprintf("slotdict: duplicate key %#v in schema", keys[dup]))
			}
			f.Own(0)
			return newView(f, len(keys), h)
		})
	return s
}

// extend returns the live schema of s's keys followed by k, which s does
// not hold, or makes one: a view of s's family one key longer, if s is the
// longest view of its family, and otherwise the first view of a new family.
func (r *registry[K]) extend(s *Schema[K], k K) *Schema[K] {
	n := s.Len()
	h := chainHash(s.hash, k)
	t, _ := r.schemas.LoadOrStore(h, uint32(h),
		func(t *Schema[K]) bool {
			keys := t.keys()
			if len(keys) != n+1 || keys[n] != k {
				return false
			}
			// Views of one storage share their prefixes.
			f := t.family()
			return f != nil && f == s.family() || slices.Equal(keys[:n], s.keys())
		},
		func() *Schema[K] {
			if f := s.family(); f != nil {
				if x, ok := f.Extend(n, k); ok {
					t := &Schema[K]{index: x, hash: h}
					t.tip.Store(f)
					s.demote(f)
					return t
				}
			}
			// A longer view exists, with another key after s's: branch
			// off into a family of s's keys and k. The keys before k are
			// other schemas' own copies already.
			keys := make([]K, n+1)
			copy(keys, s.keys())
			keys[n] = k
			f, _ := keyindex.NewFamily(keys)
			f.Own(n)
			return newView(f, n+1, h)
		})
	return t
}

// newView returns the schema of the first n keys of f, whose hash is h, as
// f's tip; f must be known to the caller only (Extend makes the views of
// the others).
func newView[K comparable](f *keyindex.Family[K], n int, h uint64) *Schema[K] {
	s := &Schema[K]{index: f.View(n), hash: h}
	s.tip.Store(f)
	return s
}
