package weakcache_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"weak"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// model is what the test knows about a cache: the values it holds, the values
// it dropped (which may vanish at any collection, but never come back), and the
// recent uses that WithKeepAlive must keep alive.
type model struct {
	keepAlive int
	stats     bool                       // made WithStats
	held      map[int]*node              // the cache's value of a key, held by the test
	dropped   map[int]weak.Pointer[node] // the cache's value of a key, let go by the test
	uses      []weak.Pointer[node]       // values of the last keepAlive uses, oldest first
	drops     uint64                     // how many values the test let go
	// collected is how many dropped values the test saw collected with
	// their entries (a miss, CollectDropped): a lower bound of
	// Stats.Collected, as drops is an upper bound.
	collected uint64
	past      map[int][]weak.Pointer[node] // the last values stored under a key
	hits      uint64                       // lookups that found a value
	misses    uint64                       // lookups that did not
	stores    uint64
	builds    uint64 // build functions run
	failures  uint64 // builds that returned an error
	cancels   uint64 // LoadOrComputeContext calls with an ended context that missed
}

// use records a use of v, as the cache's ring does: a repeated use of the
// value used last takes no new place.
func (m *model) use(v *node) {
	if m.keepAlive == 0 {
		return
	}
	wp := weak.Make(v)
	if len(m.uses) > 0 && m.uses[len(m.uses)-1] == wp {
		return
	}
	m.uses = append(m.uses, wp)
	if len(m.uses) > m.keepAlive {
		m.uses = m.uses[1:]
	}
}

// ringed reports whether the cache's ring keeps wp's value alive.
func (m *model) ringed(wp weak.Pointer[node]) bool {
	for _, u := range m.uses {
		if u == wp {
			return true
		}
	}
	return false
}

// found checks that a lookup of k may return v (non-nil) and updates the model:
// the test holds v again.
func (m *model) found(t *rapid.T, k int, v *node) {
	t.Helper()
	if held := m.held[k]; held != nil {
		if v != held {
			t.Fatalf("key %d: got %p, want the held value %p", k, v, held)
		}
	} else if wp, ok := m.dropped[k]; ok {
		if weak.Make(v) != wp {
			t.Fatalf("key %d: got %p, which is not the key's dropped value", k, v)
		}
		delete(m.dropped, k)
		m.held[k] = v
	} else {
		t.Fatalf("key %d: got %p, but the key has no value (a value came back)", k, v)
	}
	if v.id != k {
		t.Fatalf("key %d: got the value of key %d", k, v.id)
	}
	m.hits++
	m.use(v)
}

// missed checks that a lookup of k may miss and updates the model: a dropped
// value that was missed is gone for good.
func (m *model) missed(t *rapid.T, k int) {
	t.Helper()
	if held := m.held[k]; held != nil {
		t.Fatalf("key %d: missed the held value %p", k, held)
	}
	if wp, ok := m.dropped[k]; ok {
		if m.ringed(wp) {
			t.Fatalf("key %d: missed a dropped value that WithKeepAlive holds", k)
		}
		m.collected++ // its entry held it until it died
		delete(m.dropped, k)
	}
	m.misses++
}

func (m *model) stored(k int, v *node) {
	m.past[k] = append(m.past[k][max(0, len(m.past[k])-3):], weak.Make(v))
	delete(m.dropped, k)
	m.held[k] = v
	m.stores++
	m.use(v)
}

// computed checks the outcome of a LoadOrCompute of k that ran builds
// build functions, which fail or return built, and updates the model.
func (m *model) computed(t *rapid.T, k int, got *node, err error, builds int, fail bool, built *node) {
	t.Helper()
	switch {
	case builds == 0 && err == nil && got != nil:
		m.found(t, k, got)
		return
	case builds == 1 && fail && got == nil && errors.Is(err, errBuild):
		m.missed(t, k)
		m.failures++
	case builds == 1 && !fail && got == built && err == nil:
		m.missed(t, k)
		m.stored(k, got)
	default:
		t.Fatalf("LoadOrCompute(%d) = %p, %v after %d builds (fail %v)", k, got, err, builds, fail)
	}
	m.builds++
}

func (m *model) forget(k int) {
	delete(m.held, k)
	delete(m.dropped, k)
}

const keys = 6 // few, so that operations meet on the same keys

// TestModel runs random operations and garbage collections against a cache
// and checks every result against the model: held values are always found,
// dropped values may vanish but never come back, values of the most recent uses
// survive with WithKeepAlive, and All, Len and Stats agree.
func TestModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &model{
			keepAlive: rapid.IntRange(0, 3).Draw(t, "keepAlive"),
			stats:     rapid.Bool().Draw(t, "stats"),
			held:      map[int]*node{},
			dropped:   map[int]weak.Pointer[node]{},
			past:      map[int][]weak.Pointer[node]{},
		}
		opts := []weakcache.Option{weakcache.WithKeepAlive(m.keepAlive)}
		if m.stats {
			opts = append(opts, weakcache.WithStats())
		}
		c := weakcache.New[int, node](opts...)
		key := rapid.IntRange(0, keys-1)

		t.Repeat(map[string]func(*rapid.T){
			"Load": func(t *rapid.T) {
				k := key.Draw(t, "k")
				v, ok := c.Load(k)
				if ok != (v != nil) {
					t.Fatalf("Load(%d) = %v, %v", k, v, ok)
				}
				if ok {
					m.found(t, k, v)
				} else {
					m.missed(t, k)
				}
			},
			"Store": func(t *rapid.T) {
				k := key.Draw(t, "k")
				v := newNode(k)
				c.Store(k, v)
				m.stored(k, v)
			},
			"LoadOrStore": func(t *rapid.T) {
				k := key.Draw(t, "k")
				v := newNode(k)
				got, loaded := c.LoadOrStore(k, v)
				switch {
				case loaded && got != v:
					m.found(t, k, got)
				case !loaded && got == v:
					m.missed(t, k)
					m.stored(k, v)
				default:
					t.Fatalf("LoadOrStore(%d, %p) = %p, %v", k, v, got, loaded)
				}
			},
			"LoadOrCompute": func(t *rapid.T) {
				k := key.Draw(t, "k")
				fail := rapid.Bool().Draw(t, "fail")
				builds := 0
				var built *node
				got, err := c.LoadOrCompute(k, func() (*node, error) {
					builds++
					if fail {
						return nil, errBuild
					}
					built = newNode(k)
					return built, nil
				})
				m.computed(t, k, got, err, builds, fail, built)
			},
			// The same with a context: one that cannot be cancelled
			// (the build runs in the caller's goroutine), one that can
			// (it runs in a goroutine of its own), or one that has
			// already ended (a miss builds nothing).
			"LoadOrComputeContext": func(t *rapid.T) {
				k := key.Draw(t, "k")
				fail := rapid.Bool().Draw(t, "fail")
				ctx := context.Background()
				switch rapid.IntRange(0, 2).Draw(t, "context") {
				case 1:
					var cancel context.CancelFunc
					ctx, cancel = context.WithCancel(ctx)
					defer cancel()
				case 2:
					var cancel context.CancelFunc
					ctx, cancel = context.WithCancel(ctx)
					cancel()
				}
				var builds atomic.Int32
				var built *node
				got, err := c.LoadOrComputeContext(ctx, k, func(context.Context) (*node, error) {
					builds.Add(1)
					if fail {
						return nil, errBuild
					}
					built = newNode(k)
					return built, nil
				})
				if ctx.Err() != nil && got == nil {
					if !errors.Is(err, context.Canceled) || builds.Load() != 0 {
						t.Fatalf("LoadOrComputeContext(%d) with an ended context = %v, %v after %d builds", k, got, err, builds.Load())
					}
					m.missed(t, k)
					m.cancels++
					return
				}
				m.computed(t, k, got, err, int(builds.Load()), fail, built)
			},
			"Delete": func(t *rapid.T) {
				k := key.Draw(t, "k")
				c.Delete(k)
				m.forget(k)
			},
			"CompareAndDelete held": func(t *rapid.T) {
				k := key.Draw(t, "k")
				v := m.held[k]
				if v == nil {
					t.Skip("no held value")
				}
				if !c.CompareAndDelete(k, v) {
					t.Fatalf("CompareAndDelete(%d, held value) = false", k)
				}
				m.forget(k)
			},
			"CompareAndDelete other": func(t *rapid.T) {
				k := key.Draw(t, "k")
				if c.CompareAndDelete(k, newNode(k)) {
					t.Fatalf("CompareAndDelete(%d, a value never stored) = true", k)
				}
			},
			"Drop": func(t *rapid.T) {
				k := key.Draw(t, "k")
				v := m.held[k]
				if v == nil {
					t.Skip("no held value")
				}
				delete(m.held, k)
				m.dropped[k] = weak.Make(v)
				m.drops++
			},
			// A collection whose cleanups run in the background, racing
			// the next operations (a late cleanup must not remove a newer
			// value).
			"GC no wait": func(*rapid.T) {
				runtime.GC()
			},
			// The cleanup of a collected value of k, run (again) late, as
			// the runtime may: it must not remove a newer value.
			"Late cleanup": func(t *rapid.T) {
				k := key.Draw(t, "k")
				var dead []weak.Pointer[node]
				for _, wp := range m.past[k] {
					if wp.Value() == nil {
						dead = append(dead, wp)
					}
				}
				if len(dead) == 0 {
					t.Skip("no collected value")
				}
				c.RunCleanup(k, rapid.SampledFrom(dead).Draw(t, "value"))
			},
			"GC": func(t *rapid.T) {
				gctest.Collect(t)
			},
			// Wait until every dropped value outside the ring is gone and
			// its entry removed, and counted in Stats.Collected.
			"CollectDropped": func(t *rapid.T) {
				wantLen := len(m.held)
				for _, wp := range m.dropped {
					if m.ringed(wp) {
						wantLen++
					}
				}
				gctest.Until(t, "dropped values to be collected", func() bool {
					for _, wp := range m.dropped {
						if !m.ringed(wp) && wp.Value() != nil {
							return false
						}
					}
					return c.Len() == wantLen
				})
				for k, wp := range m.dropped {
					if !m.ringed(wp) {
						delete(m.dropped, k)
						m.collected++
					}
				}
				// An entry leaves the map just before its removal is
				// counted.
				gctest.Until(t, "the removals to be counted", func() bool { return c.Stats().Collected >= m.collected })
			},
			"": func(t *rapid.T) {
				seen := map[int]bool{}
				for k, v := range c.All() {
					if seen[k] {
						t.Fatalf("All yielded key %d twice", k)
					}
					seen[k] = true
					if v == nil || v.id != k {
						t.Fatalf("All yielded %d: %v", k, v)
					}
					if held := m.held[k]; held != nil && v != held {
						t.Fatalf("All yielded %d: %p, want the held value %p", k, v, held)
					}
					if wp, ok := m.dropped[k]; ok && weak.Make(v) != wp {
						t.Fatalf("All yielded %d: %p, not its dropped value", k, v)
					}
					if _, ok := m.dropped[k]; !ok && m.held[k] == nil {
						t.Fatalf("All yielded %d: %p, but the key has no value", k, v)
					}
				}
				for k := range m.held {
					if !seen[k] {
						t.Fatalf("All did not yield held key %d", k)
					}
				}
				for k, wp := range m.dropped {
					if m.ringed(wp) && !seen[k] {
						t.Fatalf("All did not yield key %d, whose value WithKeepAlive holds", k)
					}
				}
				if n := c.Len(); n < len(seen) {
					t.Fatalf("Len = %d, but All yielded %d keys", n, len(seen))
				}
				// Collected has a lower bound that CollectDropped checks
				// (background cleanups may be counting right now) and
				// an upper bound: each value the test dropped at most
				// once.
				s := c.Stats()
				if s.Collected > m.drops {
					t.Fatalf("Stats.Collected = %d, but only %d values were dropped", s.Collected, m.drops)
				}
				if s.Entries < len(seen) {
					t.Fatalf("Stats.Entries = %d, but All yielded %d keys", s.Entries, len(seen))
				}
				want := weakcache.Stats{
					Entries: s.Entries, Hits: m.hits, Misses: m.misses, Stores: m.stores, Collected: s.Collected,
					Builds: m.builds, Failures: m.failures, Cancellations: m.cancels,
				}
				if !m.stats {
					want.Hits, want.Misses = 0, 0 // counted only WithStats
				}
				if s != want {
					t.Fatalf("Stats = %+v, want %+v", s, want)
				}
			},
		})
	})
}
