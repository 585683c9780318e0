package weakset_test

import (
	"runtime"
	"sync"
	"testing"
	"weak"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/internal/weakset"
)

type object struct {
	key int
	_   *byte // never a tiny allocation, whose cleanup might not run
	_   [8]int
}

// hash puts every two keys under one hash, so that chains of entries with
// one hash are exercised.
func hash(key int) uint64 { return uint64(key/2+1) * 0x9E3779B97F4A7C15 }

// newSet returns a set of objects whose meta is their key's parity, so
// that metas both match and filter.
func newSet() *weakset.Set[object] {
	return &weakset.Set[object]{Hash: func(p *object, _ uint32) uint64 { return hash(p.key) }}
}

func store(s *weakset.Set[object], key int) (*object, bool) {
	return s.LoadOrStore(hash(key), uint32(key%2), func(p *object) bool { return p.key == key },
		func() *object { return &object{key: key} })
}

func load(s *weakset.Set[object], key int) *object {
	return s.Load(hash(key), uint32(key%2), func(p *object) bool { return p.key == key })
}

// TestModel checks the set against a map of the objects the test holds:
// while held, an object is found, under its own key only, and a second
// store returns it; once dropped, a store returns it only while it has not
// been collected, and makes a new object otherwise.
func TestModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newSet()
		held := map[int]*object{}
		dropped := map[int]weak.Pointer[object]{}
		t.Repeat(map[string]func(*rapid.T){
			"store": func(t *rapid.T) {
				key := rapid.IntRange(0, 20).Draw(t, "key")
				p, stored := store(s, key)
				if want, ok := held[key]; ok {
					if stored || p != want {
						t.Fatalf("store(%d) = %p, %v; want the held %p", key, p, stored, want)
					}
					return
				}
				// An object alive now was alive during the store, which
				// must then have returned it.
				if old := dropped[key].Value(); (old != nil || !stored) && p != old || p.key != key {
					t.Fatalf("store(%d) of a key not held = %+v, %v; the dropped object, if alive, was %p", key, p, stored, old)
				}
				held[key] = p
			},
			"drop": func(t *rapid.T) {
				key := rapid.IntRange(0, 20).Draw(t, "key")
				if p, ok := held[key]; ok {
					dropped[key] = weak.Make(p)
					delete(held, key)
				}
			},
			"collect": func(t *rapid.T) {
				gctest.Collect(t)
				gctest.Collect(t) // the cleanups of the first run remove entries
			},
			"": func(t *rapid.T) {
				for key := range 21 {
					p := load(s, key)
					if want, ok := held[key]; ok && p != want {
						t.Fatalf("load(%d) = %p, want the held %p", key, p, want)
					}
					if _, ok := held[key]; !ok && p != nil && p != dropped[key].Value() {
						t.Fatalf("load(%d) = %p, which is neither held nor dropped", key, p)
					}
				}
			},
		})
		runtime.KeepAlive(held)
	})
}

func TestEntriesOfCollectedObjectsAreRemoved(t *testing.T) {
	s := newSet()
	for key := range 1000 {
		store(s, key)
	}
	gctest.Until(t, "the entries of 1000 collected objects to go", func() bool { return s.Len() == 0 })
}

func TestConcurrentStoresMakeOneObjectPerKey(t *testing.T) {
	s := newSet()
	const workers, keys = 8, 200
	got := make([][]*object, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w] = make([]*object, keys)
			for key := range keys {
				got[w][key], _ = store(s, key)
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		for key := range keys {
			if got[w][key] != got[0][key] {
				t.Fatalf("key %d: workers got %p and %p", key, got[0][key], got[w][key])
			}
		}
	}
	if n := s.Len(); n != keys {
		t.Errorf("Len = %d, want %d", n, keys)
	}
}

// TestMapsShrinkOnceTheirEntriesGo: a set whose 10⁵ objects were all
// collected keeps about nothing, not the maps of its peak size.
func TestMapsShrinkOnceTheirEntriesGo(t *testing.T) {
	gctest.SkipIfRace(t)
	gctest.SkipIfCheckingFinalizers(t, "checks each of the 10⁵ cleanups at every collection")
	const n = 100_000
	live := memsize.Live(func() any {
		s := newSet()
		for key := range n {
			store(s, key)
		}
		return s
	})
	// 64 shards, each a mutex and an empty (rebuilt) map; at the peak the
	// maps held far more.
	const most = 64 << 10
	if live > most {
		t.Errorf("a set emptied of %d entries retains %d bytes, want at most %d", n, live, most)
	}
}
