// Package memsize measures live heap bytes per object: the figure behind
// every memory claim in this module (bytes-per-object tests, the B/obj metric
// of benchmarks, and cmd/memreport).
//
// A measurement settles the heap (garbage collections, each followed by the
// cleanups it queued, until the heap stops shrinking), reads
// runtime.MemStats.HeapAlloc, builds the objects, settles again and reads
// HeapAlloc once more while the objects are still reachable. Garbage made while building is not counted; memory retained
// anywhere else on their behalf (an interning table, a shared schema) is.
//
// Measurements are process-wide: run them from one goroutine while nothing
// else allocates, with enough objects (10⁴ or more) that the noise of a few
// hundred bytes does not matter.
package memsize
