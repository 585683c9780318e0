package weakcache_test

import (
	"runtime"
	"sync"
	"weak"
)

// syncMapCache is the straightforward weak cache that the benchmarks and the
// memory figures compare against: a sync.Map of weak pointers, a weak.Make
// and a runtime.AddCleanup per stored value, in the style of the Go blog post
// "From unique to cleanups and weak" (2025). It has no singleflight
// (concurrent misses of a key all build, and the first store wins), its
// cleanup closure holds the cache strongly (so the cache lives as long as any
// of its values), and deleting or overwriting an entry leaves the cleanup in
// place.
type syncMapCache[K comparable, V any] struct{ m sync.Map }

func (c *syncMapCache[K, V]) Load(k K) (*V, bool) {
	if x, ok := c.m.Load(k); ok {
		if v := x.(weak.Pointer[V]).Value(); v != nil {
			return v, true
		}
	}
	return nil, false
}

func (c *syncMapCache[K, V]) Store(k K, v *V) {
	wp := weak.Make(v)
	c.m.Store(k, wp)
	runtime.AddCleanup(v, func(k K) { c.m.CompareAndDelete(k, wp) }, k)
}

func (c *syncMapCache[K, V]) LoadOrCompute(k K, build func() (*V, error)) (*V, error) {
	var v *V
	for {
		if x, ok := c.m.Load(k); ok {
			if old := x.(weak.Pointer[V]).Value(); old != nil {
				return old, nil
			}
			c.m.CompareAndDelete(k, x)
			continue
		}
		if v == nil {
			var err error
			if v, err = build(); err != nil {
				return nil, err
			}
		}
		wp := weak.Make(v)
		if _, loaded := c.m.LoadOrStore(k, wp); loaded {
			continue
		}
		runtime.AddCleanup(v, func(k K) { c.m.CompareAndDelete(k, wp) }, k)
		return v, nil
	}
}
