package intern

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/weakset"
)

// The front is a strong cache of the canonical strings used since the last
// garbage collection, in front of the weak set (canonical), whose lookups
// take a lock and make a weak pointer strong. A front hit is one hash
// (shared with the weak set), two atomic loads from one slot, and one
// string comparison, and writes no shared memory, so hits scale across
// cores (BenchmarkHit runs them serially and in parallel beside a plain
// map):
//
//   - The front is an open-addressing table with linear probing. A slot
//     holds a string as its data pointer and, in one word, the top half of
//     its hash (the tag, which also gives its home slot) and its length. A
//     slot is written once, while empty: the word first, then the pointer,
//     so a reader that loads a non-nil pointer and then the word has a
//     consistent pair.
//   - It grows with the hot set: once three quarters full, it is rebuilt at
//     twice the size from its slots alone (no string is read or hashed), off
//     to the side, and published with one atomic store. A reader still on
//     the old table may miss a string added since, and takes the slow path,
//     which finds it.
//   - Its pointers are strong, so retention is bounded by the collector:
//     after every garbage collection the front is replaced by an empty one
//     (sync.Pool drops its caches the same way), sized for as many strings
//     as the last one held, so that refilling it allocates nothing unless
//     the hot set grows. A string dropped by its last user is therefore
//     kept until the first collection after its last use, and freed by the
//     collection after that. Strings still in use are refilled from the weak
//     set at their next miss; the others die with their last user.
//     Replacing the table, rather than clearing its slots in place, is what
//     lets a slot be written only once: a reader that holds the old table
//     keeps it alive and consistent.
//
// Between two collections the front costs one 16-byte slot per string used
// in that time, at a load of three eighths to three quarters; it holds
// nothing when the process is idle.
type frontTable struct {
	mask  uint64
	slots []frontSlot
	n     int // slots in use; guarded by frontMu
}

type frontSlot struct {
	meta atomic.Uint64        // tag<<32 | length, written before data
	data atomic.Pointer[byte] // nil while the slot is empty
}

const minFront = 16 // slots of the smallest front

var (
	front     atomic.Pointer[frontTable]
	frontMu   sync.Mutex // serializes the writers of the front
	frontOnce sync.Once
)

func init() { front.Store(newFront(0)) }

// newFront returns an empty front with room for n strings below three
// quarters of its slots.
func newFront(n int) *frontTable {
	size := minFront
	for size*3 < n*4 {
		size *= 2
	}
	return &frontTable{mask: uint64(size - 1), slots: make([]frontSlot, size)}
}

// find returns the string equal to s, whose hash is h, if the table holds
// one.
func (t *frontTable) find(h uint64, s string) (string, bool) {
	want := h>>32<<32 | uint64(len(s))
	for i := h >> 32 & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		p := sl.data.Load()
		if p == nil {
			return "", false
		}
		if sl.meta.Load() == want {
			if v := unsafe.String(p, len(s)); v == s {
				return v, true
			}
		}
	}
}

// put stores v, whose hash is h, in a free slot. The caller holds frontMu
// and has made room.
func (t *frontTable) put(meta uint64, p *byte) {
	i := meta >> 32 & t.mask
	for t.slots[i].data.Load() != nil {
		i = (i + 1) & t.mask
	}
	t.slots[i].meta.Store(meta)
	t.slots[i].data.Store(p)
	t.n++
}

// remember adds v, a canonical string whose hash is h, to the front.
func remember(h uint64, v string) {
	frontOnce.Do(func() { weakset.AfterEachGC(resetFront) })
	frontMu.Lock()
	defer frontMu.Unlock()
	t := front.Load()
	if _, ok := t.find(h, v); ok {
		return // another goroutine remembered it first
	}
	if (t.n+1)*4 > len(t.slots)*3 {
		old := t
		t = &frontTable{mask: 2*old.mask + 1, slots: make([]frontSlot, 2*len(old.slots))}
		for i := range old.slots {
			if p := old.slots[i].data.Load(); p != nil {
				t.put(old.slots[i].meta.Load(), p)
			}
		}
		front.Store(t)
	}
	t.put(h>>32<<32|uint64(len(v)), unsafe.StringData(v))
}

// resetFront replaces the front by an empty one sized for what it held. It
// runs after every garbage collection.
func resetFront() {
	frontMu.Lock()
	defer frontMu.Unlock()
	front.Store(newFront(front.Load().n))
}
