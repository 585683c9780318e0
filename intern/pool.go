package intern

import (
	"fmt"
	"hash/maphash"
	"strings"
	"sync/atomic"
	"unsafe"
)

// A Pool is a strong, scoped string interner: the first copy of each distinct
// string stays in the pool, and later equal strings are answered with it,
// until the pool itself becomes unreachable, when the pool and every string
// only it holds are collected together. There is no global registration.
//
// Lookups take no lock and write no shared memory (hits are counted, in
// striped counters, only once [Pool.Stats] has been called), so hits scale
// across cores; inserts are serialized. Each distinct string
// costs its bytes, a string header in a segmented value array, and a slot
// of an index kept between three eighths and three quarters full
// (BenchmarkMemory reports the bytes per string beside a map's, and
// TestBytesPerEntry bounds them).
//
// A Pool is safe for concurrent use. The zero Pool is empty, has no length
// limit and is ready to use: declare one in place (a variable or a struct
// field) or allocate one with new or [NewPool]. A Pool must not be copied:
// hold it by pointer or in place. It holds a mutex, so go vet's copylocks
// check reports a copy.
type Pool struct {
	set     set[string]
	maxLen  int  // see WithMaxLen
	limited bool // whether maxLen applies
	bytes   atomic.Int64
	misses  atomic.Uint64
	hits    hitCounters
}

// An Option configures a [Pool] made by [NewPool]. The zero Option changes
// nothing.
type Option struct {
	apply func(*Pool)
}

// WithMaxLen makes the pool keep only strings of at most n bytes. Longer
// strings are returned as plain copies and never retained, so that one huge
// value cannot pin memory for the pool's lifetime. WithMaxLen panics if n is
// negative.
func WithMaxLen(n int) Option {
	if n < 0 {
		panic(fmt.Sprintf("intern: WithMaxLen(%d): negative length", n))
	}
	return Option{func(p *Pool) { p.maxLen, p.limited = n, true }}
}

// NewPool returns an empty Pool configured by opts. Without options it is
// new(Pool).
func NewPool(opts ...Option) *Pool {
	p := new(Pool)
	for _, o := range opts {
		if o.apply != nil {
			o.apply(p)
		}
	}
	return p
}

// String returns the pool's copy of s, adding a copy of s first if the pool
// has none. The result never aliases s.
func (p *Pool) String(s string) string {
	if p.limited && len(s) > p.maxLen {
		p.misses.Add(1)
		return strings.Clone(s)
	}
	h := maphash.String(seed, s)
	if id, have := p.set.find(h, s); id != 0 {
		p.hits.add()
		return have
	}
	return p.add(h, s)
}

// Bytes is [Pool.String] for string(b). It does not allocate when the pool
// already holds string(b). The result never aliases b.
func (p *Pool) Bytes(b []byte) string {
	// The alias is only looked up and compared; add copies it.
	return p.String(unsafe.String(unsafe.SliceData(b), len(b)))
}

func (p *Pool) add(h uint64, s string) string {
	// Cloning before taking the lock keeps s from escaping (a caller's stack
	// buffer passed to Bytes stays on the stack); when another goroutine
	// adds s first, the clone is garbage.
	id, added := p.set.insert(h, strings.Clone(s))
	if added {
		p.bytes.Add(int64(len(s)))
		p.misses.Add(1)
	} else {
		p.hits.add() // another goroutine added it first
	}
	return p.set.at(id)
}

// Lookup returns the pool's copy of s and true if the pool holds s, or ""
// and false. It never adds to the pool and does not count in [Pool.Stats].
func (p *Pool) Lookup(s string) (string, bool) {
	if id, have := p.set.find(maphash.String(seed, s), s); id != 0 {
		return have, true
	}
	return "", false
}

// Len returns the number of distinct strings in the pool.
func (p *Pool) Len() int {
	return p.set.len()
}

// Stats returns the pool's counters. Under concurrent use they are read one
// by one, not as an atomic snapshot.
func (p *Pool) Stats() Stats {
	return Stats{Hits: p.hits.sum(), Misses: p.misses.Load(), Entries: p.Len(), Bytes: p.bytes.Load()}
}
