package memsize

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gcwait"
)

// Live returns the number of heap bytes that stay allocated while the value
// returned by build is reachable. It may be slightly negative or positive for
// a build that retains nothing, by the noise of the runtime's own allocations.
func Live(build func() any) int64 {
	before := settle()
	v := build()
	after := settle()
	runtime.KeepAlive(v)
	return int64(after) - int64(before)
}

// LiveAndRuntime returns [Live] of build, and the growth over the build
// (never negative) of the memory that the runtime keeps off the heap for
// its own records, MemStats.OtherSys and GCSys: weak handles and cleanups
// among them, which the heap does not show. That memory grows in steps of
// a few hundred KiB, so its figure is noise for a build that makes no weak
// pointers or cleanups.
func LiveAndRuntime(build func() any) (heap, runtime int64) {
	before := runtimeRecords()
	heap = Live(build)
	return heap, max(int64(runtimeRecords())-int64(before), 0)
}

// runtimeRecords returns MemStats.OtherSys + GCSys.
func runtimeRecords() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.OtherSys + ms.GCSys
}

// PerObject returns [Live] of build divided by n, the number of objects
// build makes: the live bytes per object.
func PerObject(n int, build func() any) float64 {
	if n <= 0 {
		panic("memsize: PerObject needs n > 0")
	}
	return float64(Live(build)) / float64(n)
}

// settle collects, with the cleanup queue drained after each collection,
// until the heap stops shrinking, and returns its size. Memory released by
// cleanups takes several collections to free: a weak map's cleanup runs
// after the collection that found its value dead, and frees the map entry
// for the next one (unique's entries need three or four in all); stopping
// at a fixed two would count such entries as live.
func settle() uint64 {
	heap := ^uint64(0)
	for range maxCycles {
		if err := collect(); err != nil {
			// The cleanups of this collection never ran (one of them is
			// blocked): what they would free would be counted as live.
			panic(fmt.Sprintf("memsize: the cleanups queued by a collection did not run within %v", cleanupTimeout))
		}
		h := heapAlloc()
		if h+settled >= heap { // the last cycle freed (almost) nothing
			return h
		}
		heap = h
	}
	return heap
}

// collect runs a collection and waits for the cleanups it queued.
func collect() error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	return gcwait.Collect(ctx)
}

// heapAlloc returns the bytes of allocated heap objects now: live ones, and
// garbage not yet swept.
func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// settled is how little a collection may free for the heap to count as
// settled: the runtime's own allocations between cycles stay below it.
// maxCycles bounds settle for a heap that keeps changing, and
// cleanupTimeout the wait for the cleanups of one collection.
const (
	settled        = 4 << 10
	maxCycles      = 10
	cleanupTimeout = time.Minute
)
