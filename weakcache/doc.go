// Package weakcache is a concurrent cache that holds its values weakly: Go's
// counterpart of Python's WeakValueDictionary.
//
// A [Cache] maps keys to pointers. It never keeps a value alive: once nothing
// else in the program references a value, the garbage collector reclaims it and
// its entry disappears. While a value is alive, every lookup of its key returns
// the same pointer, so code that gets its objects through the cache never
// holds two live copies of one object. That makes it the "live objects" table
// of a coherency cache, the classic example being the node cache of a graph
// database: every part of the program that asks for node 42 while someone
// still holds node 42 gets that very node.
//
// [Cache.LoadOrCompute] builds a missing value at most once at a time per key,
// hands the one result to every concurrent caller, and runs the build function
// under no lock of the cache. [Cache.LoadOrComputeContext] does the same for
// a build that waits on something slow: a caller whose context ends stops
// waiting, the build goes on for the others, and its own context is
// cancelled once every caller has left. [WithKeepAlive] additionally holds
// the most recently used values strongly, so that hot values survive a
// collection in which nothing else holds them.
//
// [Cache.Stats] tells an operator what the cache does: its entries, the
// values stored, the entries removed because their values were collected,
// and the builds (started, running, waited for, failed, panicked, abandoned)
// and the callers that gave up; a [Stats] prints as name=value pairs and
// marshals as JSON, for expvar. Hits and misses are counted only [WithStats]:
// counting costs a hit an atomic add, which is far more than the rest of
// the bookkeeping (BenchmarkLoadHit and bench/'s BenchmarkCacheHit measure
// it). To act on the collection of a value itself, attach a cleanup to the
// value (see [Cache]).
//
// Every method of a Cache is safe for concurrent use by multiple goroutines.
// The zero Cache is ready to use; a Cache must not be copied after first use.
//
// # How it works
//
// The cache is an xsync MapOf from keys to entries. An entry holds a
// weak.Pointer to the value and the handle of a runtime cleanup attached to
// the value. When the value becomes unreachable, the cleanup deletes the entry,
// but only if the entry still holds that same weak pointer, so the cleanup of an
// old value never removes a newer one. Overwriting or deleting an entry stops
// its cleanup. The cleanups reference the cache only weakly: a cache that the
// program drops is collected even while values it held are still in use, and
// the cleanups of its entries are then stopped.
//
// # Which values can be tracked
//
// Values must have a non-zero size: all zero-size objects may share one
// address, so the runtime cannot tell when one of them becomes unreachable.
// [New], and the first use of a zero Cache, panic for a zero-size value type.
//
// Values of pointer-free types smaller than 16 bytes (an int, a [2]int32, a
// small struct of numbers) are allocated by the runtime's tiny allocator, which
// packs several such objects into one 16-byte block that is freed only when
// all of them are unreachable. Such a value may stay reachable from its weak
// pointer, and its entry may stay in the cache, long after the program dropped
// it, possibly forever; GODEBUG=checkfinalizers=1 reports such values and
// stops the program. Give such types a pointer field or a size of at least 16
// bytes, or use a plain map. Likewise, a value that points into a larger
// object (a struct field, an array element) is collected only with that
// object.
//
// Keys are held strongly. A key must not reference its own value, or the value
// can never be collected.
//
// # When not to use it
//
// A weak cache saves memory and keeps objects unique; it does not keep objects
// around for reuse. If values should survive while nobody uses them (a cache of
// expensive, immutable results), use a size- or time-bounded cache instead, or
// combine this one with [WithKeepAlive]. If every value lives as long as the
// program, a plain map or sync.Map is simpler and cheaper. An entry here
// costs more heap than in a strong map (a weak pointer and a cleanup beside
// the map's node; BenchmarkMemory compares them), plus the runtime's records
// of its weak pointer and cleanup, which live outside the heap. A hit is
// slower than in a strong map, and slower still [WithStats]; nearly all of
// the difference is weak.Pointer.Value, which every weak cache pays, and a
// hit costs little more than in an xsync map of bare weak pointers
// (BenchmarkLoadHit compares the three).
package weakcache
