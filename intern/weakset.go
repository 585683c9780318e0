package intern

import (
	"runtime"
	"sync"
	"unsafe"
	"weak"
)

// The weak set holds one record per canonical string: a weak pointer to its
// bytes, so that the entry lives exactly as long as some string that String
// or Bytes returned is in use, and a cleanup on those bytes removes the
// record once none is.
//
// It does not use package unique, whose entries live as long as their
// unique.Handle, not as long as the string the handle's Value returns: a
// program that keeps the strings and drops the handles (as any caller of a
// string interner does) would get a new copy of each string after every
// garbage collection, and hold as many copies as it interned strings.
//
// Records are kept by hash in shards, each a map under a mutex; only misses
// of the front, and strings too long for it, take the lock.
type record struct {
	data weak.Pointer[byte] // the first byte of the canonical copy
	n    int                // its length
	hash uint64
	next *record // the next record with the same hash
}

type shard struct {
	mu sync.Mutex
	m  map[uint64]*record
	// peak is the most hashes m has held since it was last rebuilt: a Go
	// map never gives back the memory of deleted entries, so forget
	// rebuilds m once it has shrunk to a quarter of that.
	peak int
}

const shardBits = 6

var shards [1 << shardBits]shard

func shardOf(h uint64) *shard { return &shards[h>>(64-shardBits)] }

// canonical returns the canonical copy of s, whose hash is h, making it if
// there is none.
func canonical(h uint64, s string) string {
	sh := shardOf(h)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for r := sh.m[h]; r != nil; r = r.next {
		if p := r.data.Value(); p != nil {
			if v := unsafe.String(p, r.n); v == s {
				return v
			}
		}
	}
	v := clone(s)
	p := unsafe.StringData(v)
	r := &record{data: weak.Make(p), n: len(v), hash: h, next: sh.m[h]}
	if sh.m == nil {
		sh.m = make(map[uint64]*record)
	}
	sh.m[h] = r
	sh.peak = max(sh.peak, len(sh.m))
	runtime.AddCleanup(p, forget, r)
	return v
}

// clone copies s into memory of its own of at least 16 bytes: smaller
// pointer-free allocations are batched into shared blocks by the runtime,
// where a copy's cleanup might never run (and GODEBUG=checkfinalizers=1
// reports one as an error).
func clone(s string) string {
	b := make([]byte, len(s), max(len(s), 16))
	copy(b, s)
	return unsafe.String(&b[0], len(s))
}

// forget removes r, whose bytes have been collected, from its shard.
func forget(r *record) {
	sh := shardOf(r.hash)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	link := sh.m[r.hash]
	if link == r {
		if r.next != nil {
			sh.m[r.hash] = r.next
			return
		}
		delete(sh.m, r.hash)
		if len(sh.m) < sh.peak/4 {
			sh.shrink()
		}
		return
	}
	for ; link != nil; link = link.next {
		if link.next == r {
			link.next = r.next
			return
		}
	}
}

// shrink copies sh.m into a map sized for what it holds (maps.Clone would
// copy its capacity too).
func (sh *shard) shrink() {
	m := make(map[uint64]*record, len(sh.m))
	for h, r := range sh.m {
		m[h] = r
	}
	sh.m, sh.peak = m, len(m)
}
