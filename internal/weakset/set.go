package weakset

import (
	"sync"
	"weak"
)

// Set holds objects of type T weakly, each under a hash and with a meta: a
// uint32 that the caller keeps with the object and that a lookup must
// match before the object is looked at (intern keeps a string's length
// with the weak pointer to its first byte; slotdict a half of the hash).
// A Set is empty and ready to use once its Hash is set. A Set must not be
// copied after first use. It is safe for concurrent use.
//
// Entries are kept by hash in shards, each an open-addressing table with
// linear probing under a mutex. An entry is a weak pointer and its meta, in
// two parallel arrays: 12 bytes a slot. A table grows when seven eighths
// full and shrinks below a quarter: a lookup of the set is the slow path of
// its users, so memory matters more than the length of a probe. A probe
// compares metas before it makes a weak pointer strong, which is the costly
// step: probe sequences are long in a table this full, so a meta should
// hold bits of the hash too (intern's hold 8 beside the length).
//
// No entry has a cleanup of its own: after every garbage collection the set
// is swept, and the entries whose objects were collected are removed (see
// sweep). That is what the standard library's unique package did first,
// and what keeps an entry's cost at its weak pointer: a cleanup per entry
// would cost a runtime record and a closure more. Until the sweep, an entry
// whose object is gone is skipped by lookups and reused by inserts.
type Set[T any] struct {
	// Hash returns the hash of a live object that the set holds with meta:
	// the hash it was stored under. Growing and shrinking a table rehash
	// its entries with it, so that a slot need not keep its hash. It must
	// be set before the first use and not changed after.
	Hash func(p *T, meta uint32) uint64

	register sync.Once
	shards   [shardCount]shard[T]
}

type shard[T any] struct {
	mu    sync.Mutex
	wps   []weak.Pointer[T] // len 0 or a power of two; the zero value marks an empty slot
	metas []uint32          // beside wps
	n     int               // occupied slots
}

const (
	shardBits  = 6
	shardCount = 1 << shardBits
	minSlots   = 8
)

func (s *Set[T]) shard(h uint64) *shard[T] { return &s.shards[h>>(64-shardBits)] }

// Load returns the live object under hash h with meta for which match(p) is
// true, or nil. match is called under the shard's lock, with the live
// objects of that hash's probe sequence that have meta, until it returns
// true.
func (s *Set[T]) Load(h uint64, meta uint32, match func(p *T) bool) *T {
	sh := s.shard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	p, _ := sh.find(h, meta, match)
	return p
}

// LoadOrStore returns the live object under hash h with meta for which
// match is true (see [Set.Load]) and false; if there is none, it stores the
// object that create returns and returns it and true. create runs under the
// shard's lock, so that no two objects that match are ever stored: it must
// not use the set. It must return a heap object of non-zero size.
func (s *Set[T]) LoadOrStore(h uint64, meta uint32, match func(p *T) bool, create func() *T) (*T, bool) {
	s.register.Do(func() { sweepAfterEachGC(weak.Make(s)) })
	sh := s.shard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	p, free := sh.find(h, meta, match)
	if p != nil {
		return p, false
	}
	p = create()
	if free < 0 {
		if (sh.n+1)*8 > len(sh.wps)*7 {
			sh.resize(max(minSlots, 2*len(sh.wps)), s.Hash)
		}
		free = sh.home(h)
		for sh.wps[free] != (weak.Pointer[T]{}) {
			free = sh.next(free)
		}
		sh.n++
	}
	sh.wps[free], sh.metas[free] = weak.Make(p), meta
	return p, true
}

// home returns the first slot of h's probe sequence: bits of the hash
// below those that chose the shard.
func (sh *shard[T]) home(h uint64) int { return int(h>>32) & (len(sh.wps) - 1) }

func (sh *shard[T]) next(i int) int { return (i + 1) & (len(sh.wps) - 1) }

// find returns the live object of h and meta for which match is true, or
// nil and the index of a slot of meta whose object is gone, which an insert
// may reuse (-1 if there is none).
func (sh *shard[T]) find(h uint64, meta uint32, match func(*T) bool) (*T, int) {
	free := -1
	if len(sh.wps) == 0 {
		return nil, free
	}
	for i := sh.home(h); sh.wps[i] != (weak.Pointer[T]{}); i = sh.next(i) {
		if sh.metas[i] != meta {
			continue
		}
		if p := sh.wps[i].Value(); p == nil {
			free = i
		} else if match(p) {
			return p, -1
		}
	}
	return nil, free
}

// resize rebuilds the table with size slots, leaving out the entries whose
// objects are gone. An entry's home is rehashed from its object, which is
// alive.
func (sh *shard[T]) resize(size int, hash func(*T, uint32) uint64) {
	oldWps, oldMetas := sh.wps, sh.metas
	sh.wps, sh.metas, sh.n = nil, nil, 0
	if size > 0 {
		sh.wps, sh.metas = make([]weak.Pointer[T], size), make([]uint32, size)
	}
	for j, wp := range oldWps {
		if wp == (weak.Pointer[T]{}) {
			continue
		}
		p := wp.Value()
		if p == nil {
			continue
		}
		i := sh.home(hash(p, oldMetas[j]))
		for sh.wps[i] != (weak.Pointer[T]{}) {
			i = sh.next(i)
		}
		sh.wps[i], sh.metas[i] = wp, oldMetas[j]
		sh.n++
	}
}

// Len returns the number of entries. It counts objects that were collected
// and whose entries are not removed yet: those of the last collection, until
// its sweep.
func (s *Set[T]) Len() int {
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		total += sh.n
		sh.mu.Unlock()
	}
	return total
}

// Sum returns the sum of size(meta) over the entries, as [Set.Len] counts
// them (intern sums the lengths of its strings). It takes time in
// proportion to the size of the set.
func (s *Set[T]) Sum(size func(meta uint32) int) int {
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for j, wp := range sh.wps {
			if wp != (weak.Pointer[T]{}) {
				total += size(sh.metas[j])
			}
		}
		sh.mu.Unlock()
	}
	return total
}

// sweep removes the entries whose objects are gone, one shard at a time,
// and shrinks a shard's table to what its entries need once they fill less
// than a quarter of it: a set that grew large and emptied again does not
// keep its peak size.
func (s *Set[T]) sweep() {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.sweep(s.Hash)
		sh.mu.Unlock()
	}
}

func (sh *shard[T]) sweep(hash func(*T, uint32) uint64) {
	live := 0
	for _, wp := range sh.wps {
		if wp != (weak.Pointer[T]{}) && wp.Value() != nil {
			live++
		}
	}
	if live == sh.n {
		return
	}
	size := len(sh.wps)
	for size > minSlots && live*4 < size {
		size /= 2
	}
	if live == 0 {
		size = 0
	}
	// Rebuilding drops the dead entries; with linear probing, emptying a
	// slot in place would cut the probe sequences that run through it.
	sh.resize(size, hash)
}
