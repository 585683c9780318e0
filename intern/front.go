package intern

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The front is a small two-way set-associative cache of canonical strings in
// front of the weak set (canonical), whose lookup takes a lock and derefs a
// weak pointer. A front hit is one hash (shared with the weak set), a few
// atomic loads from one cache line, and one string comparison, and writes
// no shared memory, so hits scale across cores (BenchmarkStringHit runs
// them serially and in parallel beside unique.Make):
//
//   - A slot holds a string as its data pointer and length, published with a
//     sequence number (a seqlock): a reader that sees the same even number
//     before and after loading the pointer has a consistent pair. Storing a
//     string in a slot allocates nothing, so a refill after a miss does not
//     either: Bytes stays allocation-free for any string that is interned.
//   - Two ways per set: a string that shares its set with one other hot
//     string still hits. A miss puts the new string in way 0 and moves the
//     old way 0 to way 1, so the two most recently missed strings stay.
//   - The pointer in a slot is strong, so retention is bounded twice: at most
//     2*frontSets strings of at most frontMaxLen bytes, and only until the
//     next garbage collection, when a cleanup empties the front (sync.Pool
//     drops its caches the same way). Strings still in use are refilled from
//     the weak set on their next miss; the others die with their last user.
const (
	frontSets   = 1 << 13 // 8192 sets of 2 ways of 16-byte slots: 256 KiB
	frontMaxLen = 256     // longer strings go straight to the weak set
)

// A frontSlot is empty (a nil data pointer) or holds a string.
type frontSlot struct {
	// state is the sequence number (odd while a store is in progress) in
	// the high 32 bits and the length of the string in the low 32.
	state atomic.Uint64
	data  atomic.Pointer[byte]
}

type frontSet [2]frontSlot

var (
	front      [frontSets]frontSet
	frontReset sync.Once
)

// load returns the string in sl, or false if sl is empty or being written.
func (sl *frontSlot) load() (string, bool) {
	st := sl.state.Load()
	p := sl.data.Load()
	if p == nil || st>>32&1 != 0 || sl.state.Load() != st {
		return "", false
	}
	return unsafe.String(p, int(uint32(st))), true
}

// store puts v (a canonical string, or "" to empty sl) into sl, unless
// another store to sl is in progress: the front is a cache, and losing one
// refill costs only a later miss.
func (sl *frontSlot) store(v string) {
	st := sl.state.Load()
	if st>>32&1 != 0 || !sl.state.CompareAndSwap(st, st+1<<32) {
		return
	}
	var p *byte // nil for ""
	if len(v) > 0 {
		p = unsafe.StringData(v)
	}
	sl.data.Store(p)
	sl.state.Store((st>>32+2)<<32 | uint64(len(v)))
}

// find returns the string equal to s in set, if it holds one.
func (set *frontSet) find(s string) (string, bool) {
	for i := range set {
		if v, ok := set[i].load(); ok && v == s {
			return v, true
		}
	}
	return "", false
}

// put makes v the most recently missed string of set.
func (set *frontSet) put(v string) {
	if old, ok := set[0].load(); ok {
		set[1].store(old)
	}
	set[0].store(v)
	frontReset.Do(resetFrontAfterEachGC)
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
			if front[i][j].data.Load() != nil {
				front[i][j].store("")
			}
		}
	}
}
