package weakset

import (
	"runtime"
	"sync"
	"weak"
)

// Set holds objects of type T weakly, each under a hash and with a size (an
// int the caller keeps with the object: intern keeps a string's length with
// the weak pointer to its first byte). The zero Set is empty and ready to
// use. A Set must not be copied after first use. It is safe for concurrent
// use.
//
// Entries are kept by hash in shards, each a map under a mutex. Each entry
// is a weak pointer, and a runtime cleanup on its object removes the entry
// once the object is collected. A Go map never gives back the memory of
// deleted entries, so a shard rebuilds its map once the map has shrunk to a
// quarter of the most it held since it was last built: a set that grew
// large and emptied again does not keep its peak size.
type Set[T any] struct {
	init   sync.Once
	forget func(*node[T]) // the cleanup of every entry; one per set, so that a cleanup allocates no closure
	shards [shardCount]shard[T]
}

type shard[T any] struct {
	mu   sync.Mutex
	m    map[uint64]*node[T] // guarded by mu
	peak int                 // the most hashes m has held since it was built
}

// node is an entry: one object, and the next entry with the same hash.
type node[T any] struct {
	wp   weak.Pointer[T]
	size int
	hash uint64
	next *node[T]
}

const shardBits = 6

const shardCount = 1 << shardBits

func (s *Set[T]) shard(h uint64) *shard[T] { return &s.shards[h>>(64-shardBits)] }

// Load returns the live object under hash h for which match(p, size) is
// true, or nil. match is called under the shard's lock, with the objects of
// hash h that are alive, until it returns true.
func (s *Set[T]) Load(h uint64, match func(p *T, size int) bool) *T {
	sh := s.shard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.find(h, match)
}

// LoadOrStore returns the live object under hash h for which match is true
// (see [Set.Load]) and false; if there is none, it stores the object and
// size that create returns and returns that object and true. create runs under
// the shard's lock, so that no two objects that match are ever stored: it
// must not use the set. It must return a heap object of non-zero size that
// nothing else holds a cleanup for that could keep it alive.
func (s *Set[T]) LoadOrStore(h uint64, match func(p *T, size int) bool, create func() (*T, int)) (*T, bool) {
	s.init.Do(func() { s.forget = s.remove })
	sh := s.shard(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if p := sh.find(h, match); p != nil {
		return p, false
	}
	p, size := create()
	n := &node[T]{wp: weak.Make(p), size: size, hash: h, next: sh.m[h]}
	if sh.m == nil {
		sh.m = map[uint64]*node[T]{}
	}
	sh.m[h] = n
	sh.peak = max(sh.peak, len(sh.m))
	runtime.AddCleanup(p, s.forget, n)
	return p, true
}

func (sh *shard[T]) find(h uint64, match func(*T, int) bool) *T {
	for n := sh.m[h]; n != nil; n = n.next {
		if p := n.wp.Value(); p != nil && match(p, n.size) {
			return p
		}
	}
	return nil
}

// Len returns the number of entries. It counts objects that were collected
// and whose entries are not removed yet.
func (s *Set[T]) Len() int {
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for _, n := range sh.m {
			for ; n != nil; n = n.next {
				total++
			}
		}
		sh.mu.Unlock()
	}
	return total
}

// remove takes n, whose object has been collected, out of its shard. It is
// the cleanup of n's object.
func (s *Set[T]) remove(n *node[T]) {
	sh := s.shard(n.hash)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	link := sh.m[n.hash]
	if link == n {
		if n.next != nil {
			sh.m[n.hash] = n.next
			return
		}
		delete(sh.m, n.hash)
		if len(sh.m) < sh.peak/4 {
			sh.rebuild()
		}
		return
	}
	for ; link != nil; link = link.next {
		if link.next == n {
			link.next = n.next
			return
		}
	}
}

// rebuild copies sh.m into a map sized for what it holds (maps.Clone would
// copy its capacity too).
func (sh *shard[T]) rebuild() {
	m := make(map[uint64]*node[T], len(sh.m))
	for h, n := range sh.m {
		m[h] = n
	}
	sh.m, sh.peak = m, len(m)
}
