package finalize_test

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// The benchmarks are named Benchmark<Family>/impl=<name>/<serial|parallel>
// for bench/cmd/benchtable, which makes bench/README.md's tables from them:
// one row per impl, one column per variant, ratios to
// impl=runtime.AddCleanup, and the paired ratio x-runtime.AddCleanup (see
// paired) where reported.

// count is the cleanup function of every benchmark.
func count(c *atomic.Int64) { c.Add(1) }

// resource is what the benchmarks register cleanups on. Its size class
// differs from those of both impls' own allocations (the runtime's argument
// boxes and closures, which are smaller, and Register's Handle with its arg,
// which BenchmarkCollected checks), so that spans of resources hold resources
// only, every one with a cleanup, whichever impl registered it. That matters
// because the runtime keeps a span's cleanups in a list sorted by address and
// walks it for every AddCleanup: an impl whose own allocations shared the
// resources' spans would find shorter lists, and could look cheaper than
// runtime.AddCleanup itself.
type resource struct {
	_ int
	_ string
	_ [3]uintptr
}

// impls are the two ways of attaching count(c) to a resource that the
// benchmarks compare, side by side in one run.
var impls = []struct {
	name string
	// collected attaches count(c) to r, for the GC to run.
	collected func(r *resource, c *atomic.Int64)
	// runNow attaches count(c) to r and runs it now, so that the GC will not;
	// the caller keeps r reachable across the call. Without this package that
	// takes AddCleanup, Stop and a direct call, and nothing prevents a
	// second call.
	runNow func(r *resource, c *atomic.Int64)
}{
	{
		name:      "runtime.AddCleanup",
		collected: func(r *resource, c *atomic.Int64) { runtime.AddCleanup(r, count, c) },
		runNow: func(r *resource, c *atomic.Int64) {
			runtime.AddCleanup(r, count, c).Stop()
			count(c)
		},
	},
	{
		name:      "finalize.Register",
		collected: func(r *resource, c *atomic.Int64) { finalize.Register(r, count, c) },
		runNow:    func(r *resource, c *atomic.Int64) { finalize.Register(r, count, c).Run() },
	},
}

// paired measures impls[k] by b.N ops in blocks of blockOps, each timed block
// preceded by an untimed block of every other impl; block(j, n) makes n ops
// of impls[j]. Besides ns/op and allocs/op of impls[k]'s blocks, it reports
// their time over that of the base impl's (impls[0]) blocks of the same
// measurement, as the metric x-<base>.
//
// x-<base> is the figure to compare the impls by. The sub-benchmarks of a
// family run one after the other, each -count times in a row, so their ns/op
// are measured seconds apart: under whatever load other processes put on the
// machine then, and after whatever ran before them in the process, which
// leaves the runtime's spans and free lists of cleanup records in a state
// that changes the cost of what runs next. Paired blocks share both the
// moment and the history; the ratio of two rows' ns/op is only as good as the
// machine was quiet.
func paired(b *testing.B, k, blockOps int, block func(j, n int)) {
	b.ReportAllocs()
	var own, base time.Duration
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(blockOps, b.N-done)
		b.StopTimer()
		for j := range impls {
			if j != k {
				start := time.Now()
				block(j, n)
				if j == 0 {
					base += time.Since(start)
				}
			}
		}
		b.StartTimer()
		start := time.Now()
		block(k, n)
		own += time.Since(start)
		done += n
	}
	b.StopTimer()
	if k != 0 {
		b.ReportMetric(float64(own)/float64(base), "x-"+impls[0].name)
	}
}

// BenchmarkCollected measures the whole life of a cleanup that the GC runs,
// against runtime.AddCleanup's: allocate a resource, register, drop it,
// collect, run the cleanup, and collect again to free what the cleanup
// released, so that a block leaves the heap as it found it and no block pays
// for another's garbage.
//
// The GC's automatic collections are off, so that every registration pays for
// the same share of the two collections of its block, whatever b.N and the
// pacer's state, and no cleanup runs unmeasured on the other core while the
// block registers. There is no parallel variant: the runtime runs cleanups on
// one goroutine here (GOMAXPROCS/4 of them at most), and registering from
// several goroutines is measured by BenchmarkRun/impl=*/parallel.
func BenchmarkCollected(b *testing.B) {
	if sizeClass(unsafe.Sizeof(resource{})) == sizeClass(unsafe.Sizeof(registration{})) {
		b.Fatal("resource shares its size class with Register's allocation")
	}
	drain(b)
	// Leak reports off, as for a program that lets the GC run its cleanups
	// on purpose: the default would log every run.
	prev := finalize.SetLeakHook(nil)
	defer func() { finalize.SetLeakHook(prev) }()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var ran atomic.Int64
	block := func(j, n int) {
		target := ran.Load() + int64(n)
		for range n {
			impls[j].collected(&resource{}, &ran)
		}
		runtime.GC()
		awaitCleanups(b, func() bool { return ran.Load() == target })
		runtime.GC()
	}
	for k, impl := range impls {
		b.Run("impl="+impl.name+"/serial", func(b *testing.B) { paired(b, k, 50_000, block) })
	}
}

// registration has the layout of what Register allocates for a pointer-sized
// arg: the Handle, then the arg.
type registration struct {
	_ finalize.Handle
	_ *atomic.Int64
}

// sizeClass returns the size of the heap allocation the runtime makes for n
// bytes: append rounds the capacity it allocates up to that size.
func sizeClass(n uintptr) int { return cap(append([]byte(nil), make([]byte, n)...)) }

// awaitCleanups waits until done reports that the cleanups a collection
// queued have run. It yields in a loop rather than sleeping between checks,
// as gctest does, so that the wait ends when they have run and not up to a
// millisecond later (a block's cleanups take a few milliseconds); if they
// have not run after a second, it leaves the rest to gctest.Until, which
// collects again (an object that a stale stack slot kept alive).
func awaitCleanups(b *testing.B, done func() bool) {
	for start := time.Now(); !done() && time.Since(start) < time.Second; {
		runtime.Gosched()
	}
	gctest.Until(b, "the cleanups of a block to run", done)
}

// BenchmarkRun measures an explicit release: register on a resource, run the
// cleanup now and make sure that the GC will not. The parallel variant is not
// paired (RunParallel runs once per measurement), so its ratios are those of
// measurements made seconds apart.
func BenchmarkRun(b *testing.B) {
	var ran atomic.Int64
	op := func(j int) {
		r := &resource{}
		impls[j].runNow(r, &ran)
		runtime.KeepAlive(r)
	}
	for k, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.Run("serial", func(b *testing.B) {
				paired(b, k, 10_000, func(j, n int) {
					for range n {
						op(j)
					}
				})
			})
			b.Run("parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						op(k)
					}
				})
			})
		})
	}
}
