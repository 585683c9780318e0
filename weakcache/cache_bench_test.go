package weakcache_test

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"weak"

	"github.com/puzpuzpuz/xsync/v3"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// The benchmarks are named Benchmark<Family>/impl=<name>/<serial|parallel>,
// the shape from which bench/cmd/benchtable makes bench/README.md's tables: a row
// per implementation, a column per way of running, ratios to a base row of
// the same run.

// run measures op serially and with RunParallel, as the sub-benchmarks serial
// and parallel of b, so that every implementation is compared both ways in
// one run. No two calls of op get the same i, in any round of b.N (the
// goroutines of RunParallel count from bases 1<<32 apart), so op(i) may use i
// as a new key; op(i & (n-1)) cycles through n keys. Every implementation
// pays the same indirect call of op.
func run(b *testing.B, op func(i int) error) {
	next := 0
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := op(next); err != nil {
				b.Fatal(err)
			}
			next++
		}
	})
	var workers atomic.Int64
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := int(workers.Add(1)) << 32; pb.Next(); i++ {
				if err := op(i); err != nil {
					panic(err)
				}
			}
		})
	})
}

const benchKeys = 1 << 10

var (
	intKeys = func() []int {
		keys := make([]int, benchKeys)
		for i := range keys {
			keys[i] = i * 7919
		}
		return keys
	}()
	stringKeys = func() []string {
		keys := make([]string, benchKeys)
		for i := range keys {
			keys[i] = fmt.Sprintf("node/%08d", i*7919)
		}
		return keys
	}()
)

// BenchmarkLoadHit compares a Load that finds a live value, with int keys,
// with
//   - weakcache-stats: the same cache made WithStats, which counts the hit;
//   - xsync-weak: an xsync MapOf of weak pointers, its Load and
//     weak.Pointer.Value and nothing else: the floor of any weak cache on
//     xsync;
//   - syncmap-weak: the sync.Map of weak pointers of syncMapCache;
//   - xsync-strong (the base): an xsync MapOf of strong pointers, which
//     keeps its values alive.
func BenchmarkLoadHit(b *testing.B) { benchLoadHit(b, intKeys) }

// BenchmarkLoadHitString is BenchmarkLoadHit with 13-byte string keys.
func BenchmarkLoadHitString(b *testing.B) { benchLoadHit(b, stringKeys) }

func benchLoadHit[K comparable](b *testing.B, keys []K) {
	values := newPayloads(len(keys))
	plain := weakcache.New[K, payload]()
	counting := weakcache.New[K, payload](weakcache.WithStats())
	floor := xsync.NewMapOf[K, weak.Pointer[payload]]()
	sm := new(syncMapCache[K, payload])
	strong := xsync.NewMapOf[K, *payload]()
	for i, k := range keys {
		plain.Store(k, values[i])
		counting.Store(k, values[i])
		floor.Store(k, weak.Make(values[i]))
		sm.Store(k, values[i])
		strong.Store(k, values[i])
	}
	mask := len(keys) - 1
	// found turns the result of a lookup of keys[i&mask] into op's error.
	found := func(i int, v *payload, ok bool) error {
		if !ok || v == nil {
			return fmt.Errorf("Load(%v) missed", keys[i&mask])
		}
		return nil
	}
	b.Run("impl=weakcache", func(b *testing.B) {
		run(b, func(i int) error { v, ok := plain.Load(keys[i&mask]); return found(i, v, ok) })
	})
	b.Run("impl=weakcache-stats", func(b *testing.B) {
		run(b, func(i int) error { v, ok := counting.Load(keys[i&mask]); return found(i, v, ok) })
	})
	b.Run("impl=xsync-weak", func(b *testing.B) {
		run(b, func(i int) error { wp, ok := floor.Load(keys[i&mask]); return found(i, wp.Value(), ok) })
	})
	b.Run("impl=syncmap-weak", func(b *testing.B) {
		run(b, func(i int) error { v, ok := sm.Load(keys[i&mask]); return found(i, v, ok) })
	})
	b.Run("impl=xsync-strong", func(b *testing.B) {
		run(b, func(i int) error { v, ok := strong.Load(keys[i&mask]); return found(i, v, ok) })
	})
	runtime.KeepAlive(values)
}

// BenchmarkLoadOrComputeMiss inserts a new key per operation. The build
// allocates the value, one of the reported allocs/op (the cache's own are
// pinned by TestLoadOrComputeMissAllocs). Nobody holds the values, so
// cleanups remove entries while the benchmark runs, as they would in a
// program whose values die.
func BenchmarkLoadOrComputeMiss(b *testing.B) {
	build := func() (*payload, error) { return new(payload), nil }
	b.Run("impl=weakcache", func(b *testing.B) {
		c := weakcache.New[int, payload]()
		run(b, func(i int) error { _, err := c.LoadOrCompute(i, build); return err })
	})
	b.Run("impl=syncmap-weak", func(b *testing.B) {
		c := new(syncMapCache[int, payload])
		run(b, func(i int) error { _, err := c.LoadOrCompute(i, build); return err })
	})
}

// BenchmarkMemory reports the live heap per entry as B/entry, for the
// structures of memoryImpls (K = int, V = payload, the values themselves not
// counted), from one measurement of 10⁵ entries per round; run it with
// -benchtime=1x. ns/op is the time of a measurement and means nothing.
func BenchmarkMemory(b *testing.B) {
	gctest.SkipIfRace(b)
	for _, impl := range memoryImpls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			gctest.Measure(b, "B/entry", func() float64 { return bytesPerEntry(impl.fill) })
		})
	}
}
