package finalize_test

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

func count(c *atomic.Int64) { c.Add(1) }

// registrations are the two ways of attaching count(c) to obj the benchmarks
// compare, side by side in one run.
var registrations = []struct {
	name     string
	register func(obj *object, c *atomic.Int64)
}{
	{"AddCleanup", func(obj *object, c *atomic.Int64) { runtime.AddCleanup(obj, count, c) }},
	{"Register", func(obj *object, c *atomic.Int64) { finalize.Register(obj, count, c) }},
}

// BenchmarkCollected measures the whole life of a cleanup the GC runs:
// allocate an object, register, drop it, and (after the loop, still timed)
// collect until every cleanup has run.
func BenchmarkCollected(b *testing.B) {
	for _, r := range registrations {
		b.Run(r.name, func(b *testing.B) {
			drain(b)
			var c atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				r.register(&object{}, &c)
			}
			gctest.Until(b, "every cleanup to run", func() bool { return c.Load() == int64(b.N) })
		})
	}
}

// collectedChunk is how many registrations of one kind BenchmarkCollectedRatio
// makes before it drains them and switches to the other kind.
const collectedChunk = 100_000

// BenchmarkCollectedRatio measures the two registrations of
// BenchmarkCollected in alternating chunks, each collected until its cleanups
// have run and what they released is freed before the next starts, so that a
// changing load on the machine affects both alike (the sub-benchmarks of
// BenchmarkCollected run one after the other, seconds apart). Each op is one
// registration of each kind; it reports the time per registration of each
// kind and their ratio. Which kind goes first alternates from pair to pair, so
// that neither always inherits the state the other leaves.
func BenchmarkCollectedRatio(b *testing.B) {
	drain(b)
	var spent [2]time.Duration
	var c atomic.Int64
	for pair, done := 0, 0; done < b.N; pair++ {
		n := min(collectedChunk, b.N-done)
		for i := range registrations {
			k := (i + pair) % len(registrations) // alternate which goes first
			r := registrations[k]
			start := time.Now()
			target := c.Load() + int64(n)
			for range n {
				r.register(&object{}, &c)
			}
			gctest.Until(b, "every cleanup of the chunk to run", func() bool { return c.Load() == target })
			// Collect (and sweep) what the cleanups released, so that the
			// next chunk does not pay for this one.
			runtime.GC()
			spent[k] += time.Since(start)
		}
		done += n
	}
	raw := float64(spent[0].Nanoseconds()) / float64(b.N)
	reg := float64(spent[1].Nanoseconds()) / float64(b.N)
	b.ReportMetric(raw, "ns/AddCleanup")
	b.ReportMetric(reg, "ns/Register")
	b.ReportMetric(reg/raw, "Register/AddCleanup")
}

func BenchmarkCollectedParallel(b *testing.B) {
	for _, r := range registrations {
		b.Run(r.name, func(b *testing.B) {
			drain(b)
			var c atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r.register(&object{}, &c)
				}
			})
			gctest.Until(b, "every cleanup to run", func() bool { return c.Load() == int64(b.N) })
		})
	}
}

// BenchmarkRun measures an explicit release: register, then run the cleanup
// now and make sure the GC will not. Without this package that takes
// AddCleanup, Stop and a direct call, and nothing prevents a second call.
func BenchmarkRun(b *testing.B) {
	var c atomic.Int64
	b.Run("AddCleanup+Stop", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			obj := &object{}
			runtime.AddCleanup(obj, count, &c).Stop()
			count(&c)
			runtime.KeepAlive(obj)
		}
	})
	b.Run("Register+Run", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			obj := &object{}
			finalize.Register(obj, count, &c).Run()
			runtime.KeepAlive(obj)
		}
	})
}

func BenchmarkRunParallel(b *testing.B) {
	var c atomic.Int64
	b.Run("AddCleanup+Stop", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				obj := &object{}
				runtime.AddCleanup(obj, count, &c).Stop()
				count(&c)
				runtime.KeepAlive(obj)
			}
		})
	})
	b.Run("Register+Run", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				obj := &object{}
				finalize.Register(obj, count, &c).Run()
				runtime.KeepAlive(obj)
			}
		})
	})
}
