package intern

import (
	"hash/maphash"
	"math"
	"strings"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/weakset"
)

// The weak set holds one entry per canonical string: a weak pointer to its
// first byte, with its length, so that the entry lives exactly as long as
// some string that String or Bytes returned is in use; the set is swept of
// the entries whose bytes were collected after every garbage collection
// (see internal/weakset).
//
// It does not use package unique, whose entries live as long as their
// unique.Handle, not as long as the string the handle's Value returns: a
// program that keeps the strings and drops the handles (as any caller of a
// string interner does) would get a new copy of each string after every
// garbage collection, and hold as many copies as it interned strings.
//
// Only misses of the front take a lock.
var canon = weakset.Set[byte]{Hash: func(p *byte, n uint32) uint64 { return maphash.String(seed, unsafe.String(p, n)) }}

// canonical returns the canonical copy of s, whose hash is h, making it if
// there is none. Strings of 4 GiB or more, whose length does not fit an
// entry, are copied and not interned.
func canonical(h uint64, s string) string {
	if uint64(len(s)) > math.MaxUint32 {
		countMiss()
		return strings.Clone(s)
	}
	p, added := canon.LoadOrStore(h, uint32(len(s)),
		func(p *byte) bool { return unsafe.String(p, len(s)) == s },
		func() *byte { return unsafe.StringData(clone(s)) })
	if added {
		countMiss()
	} else {
		countHit()
	}
	return unsafe.String(p, len(s))
}

// clone copies s into memory of its own of at least 16 bytes: smaller
// pointer-free allocations are batched into shared blocks by the runtime,
// where a copy would stay alive, and keep its entry, while any other object
// of its block is in use.
func clone(s string) string {
	b := make([]byte, len(s), max(len(s), 16))
	copy(b, s)
	return unsafe.String(&b[0], len(s))
}
