package gctest

import (
	"runtime"
)

// HeapAlloc returns the bytes of allocated heap objects now
// (runtime.MemStats.HeapAlloc): live ones, and garbage not yet swept.
func HeapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// LeakCheck records how many goroutines run and how much heap is live (after
// a collection), and returns a function to call when the test is done with
// everything it made: it collects until the goroutines are back to at most
// the recorded number and the live heap to at most slack bytes above the
// recorded figure, and fails tb if they are not within [Timeout].
func LeakCheck(tb TB, slack uint64) (check func()) {
	tb.Helper()
	Cycle(Timeout)
	goroutines, heap := runtime.NumGoroutine(), HeapAlloc()
	return func() {
		tb.Helper()
		var g int
		var h uint64
		if cycles, elapsed, ok := poll(func() bool {
			g, h = runtime.NumGoroutine(), HeapAlloc()
			return g <= goroutines && h <= heap+slack
		}); !ok {
			tb.Fatalf("gctest: after %d GC cycles in %v, %d goroutines (baseline %d), %d heap bytes (baseline %d + %d)", cycles, elapsed, g, goroutines, h, heap, slack)
		}
	}
}
