package weakcache_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"weak"

	"github.com/puzpuzpuz/xsync/v3"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// syncMapCache is the straightforward weak cache that the benchmarks compare
// against: a sync.Map of weak pointers, a weak.Make and a runtime.AddCleanup
// per stored value, in the style of the Go blog post "From unique to cleanups
// and weak" (2025). It has no singleflight (concurrent misses of a key all
// build, and the first store wins), its cleanup closure holds the cache
// strongly (so the cache lives as long as any of its values), and deleting
// or overwriting an entry leaves the cleanup in place.
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

const benchKeys = 1 << 10

// BenchmarkLoadHit compares a Load that finds a live value with the same
// lookup in an xsync MapOf of strong pointers (the floor: no weak pointer to
// resolve) and in a sync.Map of weak pointers.
func BenchmarkLoadHit(b *testing.B) {
	ints := make([]int, benchKeys)
	strs := make([]string, benchKeys)
	for i := range benchKeys {
		ints[i] = i * 7919
		strs[i] = fmt.Sprintf("node/%08d", i*7919)
	}
	b.Run("int", func(b *testing.B) { benchLoadHit(b, ints) })
	b.Run("string", func(b *testing.B) { benchLoadHit(b, strs) })
}

func benchLoadHit[K comparable](b *testing.B, keys []K) {
	const mask = benchKeys - 1
	values := make([]*payload, len(keys))
	wc := weakcache.New[K, payload]()
	xm := xsync.NewMapOf[K, *payload]()
	sm := new(syncMapCache[K, payload])
	for i, k := range keys {
		values[i] = new(payload)
		wc.Store(k, values[i])
		xm.Store(k, values[i])
		sm.Store(k, values[i])
	}
	b.Run("serial/weakcache", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, ok := wc.Load(keys[i&mask]); !ok {
				b.Fatal("miss")
			}
		}
	})
	b.Run("serial/xsync-strong", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, ok := xm.Load(keys[i&mask]); !ok {
				b.Fatal("miss")
			}
		}
	})
	b.Run("serial/syncmap-weak", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, ok := sm.Load(keys[i&mask]); !ok {
				b.Fatal("miss")
			}
		}
	})
	b.Run("parallel/weakcache", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				if _, ok := wc.Load(keys[i&mask]); !ok {
					panic("miss")
				}
			}
		})
	})
	b.Run("parallel/xsync-strong", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				if _, ok := xm.Load(keys[i&mask]); !ok {
					panic("miss")
				}
			}
		})
	})
	b.Run("parallel/syncmap-weak", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				if _, ok := sm.Load(keys[i&mask]); !ok {
					panic("miss")
				}
			}
		})
	})
	runtime.KeepAlive(values)
}

// BenchmarkLoadOrComputeMiss inserts a new key per operation; the build
// allocates the value (one of the reported allocations), which nobody holds,
// so entries are also removed by cleanups as the benchmark runs.
func BenchmarkLoadOrComputeMiss(b *testing.B) {
	build := func() (*payload, error) { return new(payload), nil }
	b.Run("serial/weakcache", func(b *testing.B) {
		c := weakcache.New[int, payload]()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.LoadOrCompute(i, build); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("serial/syncmap-weak", func(b *testing.B) {
		c := new(syncMapCache[int, payload])
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.LoadOrCompute(i, build); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel/weakcache", func(b *testing.B) {
		c := weakcache.New[int, payload]()
		var next atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.LoadOrCompute(int(next.Add(1)), build); err != nil {
					panic(err)
				}
			}
		})
	})
	b.Run("parallel/syncmap-weak", func(b *testing.B) {
		c := new(syncMapCache[int, payload])
		var next atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.LoadOrCompute(int(next.Add(1)), build); err != nil {
					panic(err)
				}
			}
		})
	})
}

// BenchmarkBytesPerEntry reports the live heap per entry (K = int, V a
// 64-byte struct, the values themselves not counted) as B/entry; ns/op is the
// time of one measurement and means nothing. Each measurement stores new
// values: a value keeps its weak handle (16 bytes, made for the first weak
// pointer to it) for life, so reused values would hide that cost.
func BenchmarkBytesPerEntry(b *testing.B) {
	const n = 100_000
	for _, impl := range []struct {
		name string
		fill func(values []*payload) any
	}{
		{"weakcache", func(values []*payload) any { return filledCache(values) }},
		{"syncmap-weak", func(values []*payload) any {
			c := new(syncMapCache[int, payload])
			for i, v := range values {
				c.Store(i, v)
			}
			return c
		}},
		{"xsync-strong", func(values []*payload) any {
			m := xsync.NewMapOf[int, *payload]()
			for i, v := range values {
				m.Store(i, v)
			}
			return m
		}},
	} {
		b.Run(impl.name, func(b *testing.B) {
			var per float64
			for i := 0; i < b.N; i++ {
				values := newPayloads(n)
				per = memsize.PerObject(n, func() any { return impl.fill(values) })
				runtime.KeepAlive(values)
			}
			b.ReportMetric(per, "B/entry")
		})
	}
}
