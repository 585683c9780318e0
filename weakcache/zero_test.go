package weakcache_test

import (
	"maps"
	"reflect"
	"runtime"
	"testing"
	"weak"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// TestZeroCacheIsReady: every method works on the zero Cache, as on one
// made by New without options, whichever method comes first.
func TestZeroCacheIsReady(t *testing.T) {
	v := newNode(1)
	first := map[string]func(c *weakcache.Cache[int, node]){
		"Load":        func(c *weakcache.Cache[int, node]) { c.Load(1) },
		"Store":       func(c *weakcache.Cache[int, node]) { c.Store(2, newNode(2)) },
		"LoadOrStore": func(c *weakcache.Cache[int, node]) { c.LoadOrStore(2, newNode(2)) },
		"LoadOrCompute": func(c *weakcache.Cache[int, node]) {
			_, _ = c.LoadOrCompute(1, func() (*node, error) { return nil, errBuild })
		},
		"Delete":           func(c *weakcache.Cache[int, node]) { c.Delete(1) },
		"CompareAndDelete": func(c *weakcache.Cache[int, node]) { c.CompareAndDelete(1, v) },
		"All": func(c *weakcache.Cache[int, node]) {
			for range c.All() {
			}
		},
		"Len":   func(c *weakcache.Cache[int, node]) { c.Len() },
		"Stats": func(c *weakcache.Cache[int, node]) { c.Stats() },
	}
	for name, op := range first {
		t.Run(name, func(t *testing.T) {
			var c weakcache.Cache[int, node]
			op(&c)
			if n := c.Len(); n > 1 {
				t.Fatalf("Len = %d after %s on a zero Cache", n, name)
			}
			if _, ok := c.Load(1); ok {
				t.Fatal("Load(1) hit in a cache that never stored 1")
			}
			c.Store(1, v)
			if got, ok := c.Load(1); got != v || !ok {
				t.Fatalf("Load after Store = %p, %v; want %p, true", got, ok, v)
			}
			if got := maps.Collect(c.All()); got[1] != v {
				t.Fatalf("All = %v, want key 1", got)
			}
			if s := c.Stats(); s.Hits != 0 || s.Misses != 0 || s.Stores == 0 {
				t.Fatalf("Stats = %+v: a zero Cache counts stores, not lookups", s)
			}
			if !c.CompareAndDelete(1, v) {
				t.Fatal("CompareAndDelete of the stored value did not delete")
			}
			if _, ok := c.Load(1); ok {
				t.Fatal("Load hit after CompareAndDelete")
			}
		})
	}
	runtime.KeepAlive(v)
}

// TestZeroCacheFirstUseRace: goroutines that use a zero Cache for the first
// time at once share one cache: each finds what the others stored.
func TestZeroCacheFirstUseRace(t *testing.T) {
	for range 20 {
		var c weakcache.Cache[int, node]
		values := make([]*node, 4)
		done := make(chan struct{})
		for i := range values {
			values[i] = newNode(i)
			go func() {
				defer func() { done <- struct{}{} }()
				c.Store(i, values[i])
			}()
		}
		for range values {
			<-done
		}
		for i, v := range values {
			if got, ok := c.Load(i); got != v || !ok {
				t.Fatalf("Load(%d) = %p, %v; want %p: a store went to another cache", i, got, ok, v)
			}
		}
		runtime.KeepAlive(values)
	}
}

// registry holds a Cache in place, as a field, and is itself held by
// pointer: the way to embed a Cache in a type.
type registry struct {
	name  string
	nodes weakcache.Cache[int, node]
}

// TestCacheHeldInPlaceRemovesDeadEntries: a zero Cache in a struct, never
// copied, removes the entries of values that were collected.
func TestCacheHeldInPlaceRemovesDeadEntries(t *testing.T) {
	r := &registry{name: "nodes"}
	held := newNode(0)
	r.nodes.Store(0, held)
	const n = 100
	for i := 1; i <= n; i++ {
		r.nodes.Store(i, newNode(i)) // dropped at once
	}
	gctest.Until(t, "the entries of dropped values to go", func() bool { return r.nodes.Len() == 1 })
	gctest.Until(t, "their removals to be counted", func() bool { return r.nodes.Stats().Collected == n })
	if v, ok := r.nodes.Load(0); v != held || !ok {
		t.Fatalf("Load(0) = %p, %v; want the held value %p", v, ok, held)
	}
	runtime.KeepAlive(held)
}

// TestCopiedCacheRemovesDeadEntries: a copy of a Cache (made here through
// reflect, which go vet does not see) shares the original's entries, and
// keeps removing dead ones after the original is collected: the values'
// cleanups must not depend on the Cache that was copied.
func TestCopiedCacheRemovesDeadEntries(t *testing.T) {
	orig := weakcache.New[int, node]()
	var cp weakcache.Cache[int, node]
	reflect.ValueOf(&cp).Elem().Set(reflect.ValueOf(orig).Elem())

	held := newNode(0)
	orig.Store(0, held)
	if v, ok := cp.Load(0); v != held || !ok {
		t.Fatalf("the copy's Load(0) = %p, %v; want the original's value %p", v, ok, held)
	}
	const n = 100
	for i := 1; i <= n; i++ {
		cp.Store(i, newNode(i)) // dropped at once
	}

	gone := weak.Make(orig)
	orig = nil
	gctest.Until(t, "the original Cache to be collected", func() bool { return gone.Value() == nil })
	for i := n + 1; i <= 2*n; i++ {
		cp.Store(i, newNode(i)) // stored after the original was collected
	}
	gctest.Until(t, "the copy's dead entries to go", func() bool { return cp.Len() == 1 })
	if v, ok := cp.Load(0); v != held || !ok {
		t.Fatalf("the copy's Load(0) = %p, %v; want the held value %p", v, ok, held)
	}
	runtime.KeepAlive(held)
}
