package intern

import (
	"hash/maphash"
	"runtime"
	"sync"
	"sync/atomic"
	"unique"
	"unsafe"
)

// String returns the canonical copy of s in this process: equal strings give
// the same bytes (the same data pointer) for as long as the canonical copy is
// in use. String never returns memory that aliases s.
//
// String is built on [unique.Make]: the canonical copy of s is
// unique.Make(s).Value(). Like that idiom, it is weak: an entry is reclaimed
// once nothing holds its unique.Handle, and String itself holds the handles of
// recently used strings only until the next garbage collection. A string that
// String returned stays valid after its entry is reclaimed (it is an ordinary
// string), but a later call may then return a new copy. To pin an entry for
// longer, hold its [unique.Handle]; for a strong, scoped interner use [Pool].
//
// A repeated string is returned from a small process-wide front cache without
// taking unique's path; see the comment on front for the design.
func String(s string) string {
	return lookup(s)
}

// Bytes is [String] for a byte slice: it returns the canonical copy of
// string(b). It does not allocate when string(b) is already interned. The
// result never aliases b: later changes to b do not change it.
func Bytes(b []byte) string {
	// The alias is used only to look up and to compare; unique.Make copies
	// its argument before storing it (it clones strings so that interning a
	// substring never pins a larger buffer), and TestBytesSurvivesMutation
	// pins that the returned string is never b's memory.
	return lookup(unsafe.String(unsafe.SliceData(b), len(b)))
}

// The front is a small two-way set-associative cache of unique handles in
// front of unique.Make, which must find the per-type map, hash and walk a
// hash-trie on every call. A front hit is one hash (hash/maphash, seeded per
// process), one or two atomic loads from one cache line, and one string
// comparison:
//
//   - Slots hold unique.Handle[string]. A handle is a single pointer, so
//     storing it in an atomic.Value does not allocate, and a front refill
//     after a miss allocates nothing either: Bytes stays allocation-free for
//     any string that is still interned.
//   - Holding the handle keeps unique's entry alive, so the string in a slot
//     is always unique's canonical copy: String and unique.Make(s).Value()
//     agree on the data pointer.
//   - Two ways per set: a string that shares its set with one other hot
//     string still hits. A miss puts the new handle in way 0 and moves the
//     old way 0 to way 1, so the most recently missed two strings stay.
//   - Retention is bounded twice: at most 2×frontSets strings of at most
//     frontMaxLen bytes, and only until the next garbage collection, when a
//     cleanup empties the front (sync.Pool drops its caches the same way).
//     Strings in use are then refilled from unique's map on their next miss;
//     strings no longer used lose their last handle and are reclaimed.
//   - Hits do not write shared memory, so they scale across cores.
const (
	frontSets   = 1 << 13 // 8192 sets × 2 ways × 16-byte atomic.Value = 256 KiB
	frontMaxLen = 256     // longer strings go straight to unique.Make
)

// A frontSet is two slots, each empty or holding a unique.Handle[string].
type frontSet [2]atomic.Value

var (
	front      [frontSets]frontSet
	frontSeed  = maphash.MakeSeed()
	frontReset sync.Once
	// emptied marks a slot emptied by resetFront; it matches only "", for
	// which it is the right answer anyway.
	emptied = unique.Make("")
)

func lookup(s string) string {
	if len(s) > frontMaxLen {
		return unique.Make(s).Value()
	}
	set := &front[maphash.String(frontSeed, s)&(frontSets-1)]
	for i := range set {
		if h, ok := set[i].Load().(unique.Handle[string]); ok {
			if v := h.Value(); v == s {
				return v
			}
		}
	}
	h := unique.Make(s)
	if old := set[0].Load(); old != nil {
		set[1].Store(old)
	}
	set[0].Store(h)
	frontReset.Do(resetFrontAfterEachGC)
	return h.Value()
}

// gcSentinel has a pointer field so that it is never a tiny (batched)
// allocation, whose cleanup might never run.
type gcSentinel struct{ _ *byte }

// resetFrontAfterEachGC attaches to an unreachable sentinel a cleanup that
// empties the front and re-arms itself, so the front is emptied after every
// garbage collection for the rest of the process.
func resetFrontAfterEachGC() {
	runtime.AddCleanup(new(gcSentinel), func(struct{}) {
		resetFront()
		resetFrontAfterEachGC()
	}, struct{}{})
}

func resetFront() {
	for i := range front {
		for j := range front[i] {
			if h, ok := front[i][j].Load().(unique.Handle[string]); ok && h != emptied {
				front[i][j].Store(emptied)
			}
		}
	}
}
