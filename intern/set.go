package intern

import (
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"
)

// set is the storage behind Pool and Table: a grow-only set of distinct
// values numbered 1, 2, 3, … in insertion order. Lookups by value and by
// number take no lock; inserts take mu. The zero value is an empty set.
//
// Values live in a segmented array (see values) that never moves them. The
// index is an open-addressing hash table with linear probing whose slots are
// atomic uint64s holding tag<<32 | id, where tag is the top half of the
// value's hash and id its number (id ≥ 1, so an occupied slot is never 0). A
// probe compares tags first and reads the value only on a tag match, so a
// lookup reads about one value, not one per probe, and an entry costs its
// value plus one 8-byte slot for every entry the index could hold at its
// load factor, which it keeps between 3/8 and 3/4. (Keeping the values in the
// index itself, next to their slots, was tried: it was no faster, and cost
// more memory per entry, since every empty slot then holds room for a
// value.)
//
// A value's home slot is its tag modulo the index size, so the tag in a slot
// is all that growing needs: the index is rebuilt at twice the size from the
// old slots alone, without reading or rehashing a value, off to the side,
// when it is three quarters full, and then published with one atomic store;
// a reader still probing the old index sees every value that was there when
// it started, and callers recheck a miss under mu before inserting. It also
// leaves the hash function to the caller, as long as one set always gets the
// same one (Pool hashes with maphash.String, Table with maphash.Comparable).
// Home slot and tag share their low bits, so a tag match filters on the
// other 32 - log2(slots) bits: false matches grow rarer with fewer values
// and stay rare at millions of them, and each costs one comparison of
// values.
//
// Publication order, which makes lock-free readers race-free: a value is
// written to its chunk, then its slot is stored, then n is stored. A reader
// that loads a slot or n atomically therefore sees the value and its chunk.
type set[T comparable] struct {
	mu     sync.Mutex
	n      atomic.Uint32 // values 1..n are counted
	index  atomic.Pointer[index]
	values values[T] // written under mu, before a slot or n publishes them
}

type index struct {
	mask  uint64
	slots []atomic.Uint64 // tag<<32 | id, or 0 when empty
}

const (
	minSlots = 16             // the size of the first index
	maxID    = math.MaxUint32 // ids are uint32 (Sym)
)

// seed is shared by every set and by String's weak set; each process draws
// its own, so that nobody can precompute colliding values.
var seed = maphash.MakeSeed()

// hash is Table's hash. Pool and String hash with maphash.String instead;
// BenchmarkStringHash compares the two on strings.
func hash[T comparable](v T) uint64 {
	return maphash.Comparable(seed, v)
}

// len returns the number of values.
func (s *set[T]) len() int {
	return int(s.n.Load())
}

// has reports whether id was assigned. It must inline (TestHotPathsAreInlined),
// so that Table.Value costs little more than indexing a slice
// (BenchmarkTable/op=Value beside op=slice-index).
func (s *set[T]) has(id uint32) bool {
	return id != 0 && (id <= s.n.Load() || s.hasLocked(id))
}

// hasLocked is has for an id above n. A slot is published before n counts
// it, so a goroutine may find id by value an instant before n does. The
// inserting goroutine holds mu until n is stored: recheck under mu, so that
// every id that find returned is valid. Only an invalid id, a caller's bug,
// pays for this.
func (s *set[T]) hasLocked(id uint32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return id <= s.n.Load()
}

// at returns value id, which find returned or has reported assigned.
func (s *set[T]) at(id uint32) T {
	return s.values.at(id)
}

// find returns the id of v, whose hash is h, and the set's copy of v, or 0
// and the zero T if v is not in the set. Returning the copy saves callers
// that want it (Pool) a second walk to the value.
func (s *set[T]) find(h uint64, v T) (uint32, T) {
	x := s.index.Load()
	if x != nil {
		tag := h >> 32
		for i := tag & x.mask; ; i = (i + 1) & x.mask {
			slot := x.slots[i].Load()
			if slot == 0 {
				break
			}
			if slot>>32 == tag {
				if have := s.values.at(uint32(slot)); have == v {
					return uint32(slot), have
				}
			}
		}
	}
	var zero T
	return 0, zero
}

// insert returns the id of v, whose hash is h, adding v as a new value if it
// is not in the set yet. The caller passes the copy it wants stored (a clone,
// never caller memory); added reports whether it was stored.
func (s *set[T]) insert(h uint64, v T) (id uint32, added bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, _ := s.find(h, v); id != 0 {
		return id, false
	}
	return s.addLocked(h, v), true
}

// addLocked adds v, whose hash is h and which is not in the set, and returns
// its id. The caller holds mu.
func (s *set[T]) addLocked(h uint64, v T) uint32 {
	n := s.n.Load()
	if n == maxID {
		panic("intern: more than 4294967295 distinct values")
	}
	id := n + 1
	s.values.store(id, v)
	x := s.index.Load()
	if x == nil || uint64(id)*4 > uint64(len(x.slots))*3 {
		x = grow(x)
		s.index.Store(x)
	}
	x.put(h, id)
	s.n.Store(id)
	return id
}

// grow returns an index twice the size of old (or minSlots, for a nil old)
// holding old's slots.
func grow(old *index) *index {
	size := minSlots
	if old != nil {
		size = 2 * len(old.slots)
	}
	x := &index{mask: uint64(size - 1), slots: make([]atomic.Uint64, size)}
	if old != nil {
		for i := range old.slots {
			if slot := old.slots[i].Load(); slot != 0 {
				x.putSlot(slot)
			}
		}
	}
	return x
}

func (x *index) put(h uint64, id uint32) {
	x.putSlot(h>>32<<32 | uint64(id))
}

// putSlot stores slot (tag<<32 | id) in the first free slot from its tag's
// home.
func (x *index) putSlot(slot uint64) {
	i := slot >> 32 & x.mask
	for x.slots[i].Load() != 0 {
		i = (i + 1) & x.mask
	}
	x.slots[i].Store(slot)
}
