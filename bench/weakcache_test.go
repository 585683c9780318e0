package bench

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"weak"

	"github.com/puzpuzpuz/xsync/v3"
	go4 "go4.org/intern"

	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// node is the value of the weak-map benchmarks: a 64-byte object, as a
// graph database's node cache would hold.
type node struct {
	key string
	_   *node
	_   [40]byte
}

// syncMapWeak is the straightforward weak map: a sync.Map of weak pointers
// with a cleanup per value, with no single-flight of builds.
type syncMapWeak struct{ m sync.Map }

func (c *syncMapWeak) get(k string, build func() *node) *node {
	for {
		if x, ok := c.m.Load(k); ok {
			if v := x.(weak.Pointer[node]).Value(); v != nil {
				return v
			}
			c.m.CompareAndDelete(k, x)
			continue
		}
		v := build()
		wp := weak.Make(v)
		if _, loaded := c.m.LoadOrStore(k, wp); loaded {
			continue
		}
		runtime.AddCleanup(v, func(k string) { c.m.CompareAndDelete(k, wp) }, k)
		return v
	}
}

// BenchmarkWeakGet gets the live object for a key that has one, from
// weakcache, from a sync.Map of weak pointers, and from go4.org/intern (a
// published weak canonicalizing map: its *Value is the object for the key).
// The objects are held by the benchmark, so every get is a hit.
func BenchmarkWeakGet(b *testing.B) {
	wc := weakcache.New[string, node]()
	var sm syncMapWeak
	held := make([]any, 0, 3*len(keys))
	for _, k := range keys {
		v, _ := wc.LoadOrCompute(k, func() (*node, error) { return &node{key: k}, nil })
		held = append(held, v, sm.get(k, func() *node { return &node{key: k} }), go4.GetByString(k))
	}
	baseline.RunKeys(b, "impl=weakcache", func(i int) *node {
		v, _ := wc.LoadOrCompute(keys[i], func() (*node, error) { panic("miss") })
		return v
	})
	baseline.RunKeys(b, "impl=syncmap-weak", func(i int) *node {
		return sm.get(keys[i], func() *node { panic("miss") })
	})
	baseline.RunKeys(b, "impl=go4-intern", func(i int) *go4.Value { return go4.GetByString(keys[i]) })
	baseline.Keep(held)
}

// BenchmarkWeakInsert adds an object for a key not seen before, which the
// benchmark then drops: the cost of a miss, allocations included.
func BenchmarkWeakInsert(b *testing.B) {
	var next atomic.Int64
	fresh := func() string { return "k" + strconv.FormatInt(next.Add(1), 36) }
	wc := weakcache.New[string, node]()
	var sm syncMapWeak
	b.Run("impl=weakcache/serial", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			k := fresh()
			wc.LoadOrCompute(k, func() (*node, error) { return &node{key: k}, nil })
		}
	})
	b.Run("impl=syncmap-weak/serial", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			k := fresh()
			sm.get(k, func() *node { return &node{key: k} })
		}
	})
	b.Run("impl=go4-intern/serial", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			go4.GetByString(fresh())
		}
	})
}

// BenchmarkCacheHit measures every way of getting a live value from a
// weakcache.Cache, on the keys of this module (strings of 6 to 40 bytes),
// against xsync-weak, a bare xsync map of weak pointers and nothing else:
// the floor of any weak cache on xsync. Load+WithStats counts the hit
// (Cache.Stats().Hits); the others count nothing on a hit.
// LoadOrComputeContext is given a context that can be cancelled, which
// does not matter on a hit.
func BenchmarkCacheHit(b *testing.B) {
	held := make([]*node, len(keys))
	plain := weakcache.New[string, node]()
	counting := weakcache.New[string, node](weakcache.WithStats())
	floor := xsync.NewMapOf[string, weak.Pointer[node]]()
	for i, k := range keys {
		held[i] = &node{key: k}
		plain.Store(k, held[i])
		counting.Store(k, held[i])
		floor.Store(k, weak.Make(held[i]))
	}
	miss := func() (*node, error) { panic("miss") }
	missContext := func(context.Context) (*node, error) { panic("miss") }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	baseline.RunKeys(b, "impl=Load", func(i int) *node { v, _ := plain.Load(keys[i]); return v })
	baseline.RunKeys(b, "impl=Load+WithStats", func(i int) *node { v, _ := counting.Load(keys[i]); return v })
	baseline.RunKeys(b, "impl=LoadOrCompute", func(i int) *node { v, _ := plain.LoadOrCompute(keys[i], miss); return v })
	baseline.RunKeys(b, "impl=LoadOrComputeContext", func(i int) *node {
		v, _ := plain.LoadOrComputeContext(ctx, keys[i], missContext)
		return v
	})
	baseline.RunKeys(b, "impl=xsync-weak", func(i int) *node { wp, _ := floor.Load(keys[i]); return wp.Value() })
	runtime.KeepAlive(held)
}
