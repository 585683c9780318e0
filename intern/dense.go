package intern

import (
	"hash/maphash"
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
)

// dense is the storage behind Pool and Table: a grow-only set of distinct
// values numbered 1, 2, 3, … in insertion order. Lookups by value and by
// number take no lock; inserts take mu. The zero value is an empty set.
//
// Values live in a segmented array: chunk k holds 2^(k+firstBits) values and
// is allocated when the previous chunks are full. Unlike a growing slice it
// never moves a value, so a reader needs no lock to index it, and no copying
// doubles the memory while it grows. A number indexes it with a few bit
// operations (see at).
//
// The index is an open-addressing hash table with linear probing whose slots
// are atomic uint64s holding tag<<32 | id, where tag is the top half of the
// value's hash and id its number (id ≥ 1, so an occupied slot is never 0). A
// probe compares tags first and touches the value array only on a tag match,
// so a lookup costs about one cache miss into the value array, not one per
// probe. The index is rebuilt at twice the size, off to the side, when it is
// three quarters full, and then published with one atomic store; a reader
// still probing the old index sees every value that was there when it
// started, and a miss always rechecks under mu before inserting.
//
// Publication order, which makes lock-free readers race-free: a value is
// written to its chunk, then its slot is stored, then n is stored. A reader
// that loads a slot or n atomically therefore sees the value and the chunk.
type dense[T comparable] struct {
	mu     sync.Mutex
	n      atomic.Uint32 // values 1..n are readable
	index  atomic.Pointer[index]
	chunks [numChunks][]T // written under mu, before n or a slot publishes them
}

type index struct {
	mask  uint64
	slots []atomic.Uint64 // tag<<32 | id, or 0 when empty
}

const (
	firstBits = 3              // the first chunk holds 8 values
	numChunks = 33 - firstBits // enough chunks for ids up to 2^32-1
	minSlots  = 16             // the size of the first index
	maxID     = math.MaxUint32 // ids are uint32 (Sym)
)

// seed is shared by every dense set; each process draws its own, so nobody
// can precompute colliding strings.
var seed = maphash.MakeSeed()

func hash[T comparable](v T) uint64 {
	return maphash.Comparable(seed, v)
}

// len returns the number of values.
func (d *dense[T]) len() int {
	return int(d.n.Load())
}

// has reports whether id was issued.
func (d *dense[T]) has(id uint32) bool {
	return id != 0 && id <= d.n.Load()
}

// at returns value id, which must have been issued (see has).
func (d *dense[T]) at(id uint32) T {
	// Values 1..8 are in chunk 0, 9..24 in chunk 1, 25..56 in chunk 2, …:
	// adding 8 to the 0-based position makes its highest bit the chunk's
	// number plus firstBits, and the bits below it the offset in the chunk.
	j := uint64(id) - 1 + 1<<firstBits
	hi := bits.Len64(j) - 1
	return d.chunks[hi-firstBits][j-1<<hi]
}

// find returns the id of v, whose hash is h, or 0 if v is not in the set.
func (d *dense[T]) find(h uint64, v T) uint32 {
	x := d.index.Load()
	if x == nil {
		return 0
	}
	tag := h >> 32
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		s := x.slots[i].Load()
		if s == 0 {
			return 0
		}
		if s>>32 == tag && d.at(uint32(s)) == v {
			return uint32(s)
		}
	}
}

// insert returns the id of v, whose hash is h, adding v as a new value if it
// is not in the set yet. added reports whether it was. The caller passes the
// copy it wants stored (a clone, never caller memory).
func (d *dense[T]) insert(h uint64, v T) (id uint32, added bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.insertLocked(h, v)
}

func (d *dense[T]) insertLocked(h uint64, v T) (uint32, bool) {
	if id := d.find(h, v); id != 0 {
		return id, false
	}
	n := d.n.Load()
	if n == maxID {
		panic("intern: more than 4294967295 distinct values")
	}
	id := n + 1
	j := uint64(n) + 1<<firstBits
	hi := bits.Len64(j) - 1
	chunk := &d.chunks[hi-firstBits]
	if *chunk == nil {
		*chunk = make([]T, 1<<hi)
	}
	(*chunk)[j-1<<hi] = v

	x := d.index.Load()
	if x == nil || uint64(id)*4 > uint64(len(x.slots))*3 {
		x = d.grow(x, n)
		d.index.Store(x)
	}
	x.put(h, id)
	d.n.Store(id)
	return id, true
}

// grow returns a new index twice the size of old (or minSlots) holding
// values 1..n.
func (d *dense[T]) grow(old *index, n uint32) *index {
	size := minSlots
	if old != nil {
		size = 2 * len(old.slots)
	}
	x := &index{mask: uint64(size - 1), slots: make([]atomic.Uint64, size)}
	for id := uint32(1); id <= n; id++ {
		x.put(hash(d.at(id)), id)
	}
	return x
}

func (x *index) put(h uint64, id uint32) {
	i := h & x.mask
	for x.slots[i].Load() != 0 {
		i = (i + 1) & x.mask
	}
	x.slots[i].Store(h>>32<<32 | uint64(id))
}
