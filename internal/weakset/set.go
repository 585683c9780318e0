package weakset

import (
	"sync"
	"weak"
)

// Set holds objects of type T weakly, each under a hash and with a size (a
// uint32 the caller keeps with the object: intern keeps a string's length
// with the weak pointer to its first byte). The zero Set is empty and ready
// to use. A Set must not be copied after first use. It is safe for
// concurrent use.
//
// Entries are kept by hash in shards, each an open-addressing table under a
// mutex. An entry is a weak pointer, the size, and the top half of the hash
// (its tag), 16 bytes; the table grows when seven eighths full and shrinks
// below a quarter: a lookup of the set is the slow path of its users, so
// memory matters more than the length of a probe. A probe compares tags before it makes a weak pointer
// strong, which is the costly step.
//
// No entry has a cleanup of its own: after every garbage collection the set
// is swept, and the entries whose objects were collected are removed (see
// sweep). That is what the standard library's unique package did first,
// and what keeps an entry's cost at its weak pointer: a cleanup per entry
// would cost a runtime record and a closure more. Until the sweep, an entry
// whose object is gone is skipped by lookups and reused by inserts.
type Set[T any] struct {
	register sync.Once
	shards   [shardCount]shard[T]
}

type shard[T any] struct {
	mu    sync.Mutex
	slots []slot[T] // len 0 or a power of two; guarded by mu
	n     int       // occupied slots, guarded by mu
	sizes uint64    // the sum of their sizes, guarded by mu
}

type slot[T any] struct {
	wp   weak.Pointer[T] // zero when the slot is empty
	tag  uint32          // the hash's top half
	size uint32
}

const (
	shardBits  = 6
	shardCount = 1 << shardBits
	minSlots   = 8
)

func (s *Set[T]) shard(h uint64) *shard[T] { return &s.shards[h>>(64-shardBits)] }

// Load returns the live object under hash h for which match(p, size) is
// true, or nil. match is called under the shard's lock, with the objects of
// hash h's tag that are alive, until it returns true.
func (s *Set[T]) Load(h uint64, match func(p *T, size uint32) bool) *T {
	sh := s.shard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	p, _ := sh.find(uint32(h>>32), match)
	return p
}

// LoadOrStore returns the live object under hash h for which match is true
// (see [Set.Load]) and false; if there is none, it stores the object and
// size that create returns and returns that object and true. create runs
// under the shard's lock, so that no two objects that match are ever
// stored: it must not use the set. It must return a heap object of non-zero
// size.
func (s *Set[T]) LoadOrStore(h uint64, match func(p *T, size uint32) bool, create func() (*T, uint32)) (*T, bool) {
	s.register.Do(func() { sweepAfterEachGC(weak.Make(s)) })
	tag := uint32(h >> 32)
	sh := s.shard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	p, free := sh.find(tag, match)
	if p != nil {
		return p, false
	}
	p, size := create()
	if free < 0 {
		if (sh.n+1)*8 > len(sh.slots)*7 {
			sh.resize(max(minSlots, 2*len(sh.slots)))
		}
		free = sh.home(tag)
		for sh.slots[free].wp != (weak.Pointer[T]{}) {
			free = sh.next(free)
		}
		sh.n++
	}
	sh.sizes += uint64(size) - uint64(sh.slots[free].size)
	sh.slots[free] = slot[T]{wp: weak.Make(p), tag: tag, size: size}
	return p, true
}

func (sh *shard[T]) home(tag uint32) int { return int(tag) & (len(sh.slots) - 1) }

func (sh *shard[T]) next(i int) int { return (i + 1) & (len(sh.slots) - 1) }

// find returns the live object of tag for which match is true, or nil and
// the index of a slot of tag whose object is gone, which an insert may
// reuse (-1 if there is none).
func (sh *shard[T]) find(tag uint32, match func(*T, uint32) bool) (*T, int) {
	free := -1
	if len(sh.slots) == 0 {
		return nil, free
	}
	for i := sh.home(tag); sh.slots[i].wp != (weak.Pointer[T]{}); i = sh.next(i) {
		sl := &sh.slots[i]
		if sl.tag != tag {
			continue
		}
		if p := sl.wp.Value(); p == nil {
			free = i
		} else if match(p, sl.size) {
			return p, -1
		}
	}
	return nil, free
}

// resize rebuilds the table with size slots, leaving out the entries whose
// objects are gone.
func (sh *shard[T]) resize(size int) {
	old := sh.slots
	sh.slots, sh.n, sh.sizes = nil, 0, 0
	if size > 0 {
		sh.slots = make([]slot[T], size)
	}
	for _, sl := range old {
		if sl.wp == (weak.Pointer[T]{}) || sl.wp.Value() == nil {
			continue
		}
		i := sh.home(sl.tag)
		for sh.slots[i].wp != (weak.Pointer[T]{}) {
			i = sh.next(i)
		}
		sh.slots[i] = sl
		sh.n++
		sh.sizes += uint64(sl.size)
	}
}

// Len returns the number of entries. It counts objects that were collected
// and whose entries are not removed yet: those of the last collection, until
// its sweep.
func (s *Set[T]) Len() int {
	n, _ := s.Stats()
	return n
}

// Stats returns the number of entries, as [Set.Len], and the sum of their
// sizes.
func (s *Set[T]) Stats() (entries int, sizes uint64) {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		entries += sh.n
		sizes += sh.sizes
		sh.mu.Unlock()
	}
	return entries, sizes
}

// sweep removes the entries whose objects are gone, one shard at a time,
// and shrinks a shard's table to what its entries need once they fill less
// than a quarter of it: a set that grew large and emptied again does not
// keep its peak size.
func (s *Set[T]) sweep() {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.sweep()
		sh.mu.Unlock()
	}
}

func (sh *shard[T]) sweep() {
	live := 0
	for i := range sh.slots {
		if wp := sh.slots[i].wp; wp != (weak.Pointer[T]{}) && wp.Value() != nil {
			live++
		}
	}
	if live == sh.n {
		return
	}
	size := len(sh.slots)
	for size > minSlots && live*4 < size {
		size /= 2
	}
	if live == 0 {
		size = 0
	}
	// Rebuilding drops the dead entries; with linear probing, emptying a
	// slot in place would cut the probe sequences that run through it.
	sh.resize(size)
}
