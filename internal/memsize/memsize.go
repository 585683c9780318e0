package memsize

import (
	"runtime"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// Live returns the number of heap bytes that stay allocated while the value
// returned by build is reachable. It may be slightly negative or positive for
// a build that retains nothing, by the noise of the runtime's own allocations.
func Live(build func() any) int64 {
	settle()
	before := heapAlloc()
	v := build()
	settle()
	after := heapAlloc()
	runtime.KeepAlive(v)
	return int64(after) - int64(before)
}

// PerObject returns [Live] of build divided by n, the number of objects
// build makes: the live bytes per object.
func PerObject(n int, build func() any) float64 {
	if n <= 0 {
		panic("memsize: PerObject needs n > 0")
	}
	return float64(Live(build)) / float64(n)
}

// settle collects twice with the cleanup queue drained in between, so that
// memory released by cleanups (weak-map entries, say) is freed before the heap
// is read.
func settle() {
	gctest.Cycle(gctest.Timeout)
	gctest.Cycle(gctest.Timeout)
}

func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
