package intern

import (
	"hash/maphash"
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
var canon = weakset.Set[byte]{Hash: func(p *byte, meta uint32) uint64 {
	return maphash.String(seed, unsafe.String(p, metaLen(meta)))
}}

// An entry's meta is the low byte of its string's hash, which filters a
// probe, and the string's length, in the low 24 bits: strings of 16 MiB or
// more are copied and not interned.
const (
	lenBits = 24
	maxLen  = 1<<lenBits - 1
)

func metaOf(h uint64, n int) uint32 { return uint32(h)<<lenBits | uint32(n) }

func metaLen(meta uint32) int { return int(meta & maxLen) }

// canonical returns the canonical copy of s, whose hash is h, making it if
// there is none. Strings longer than maxLen, whose length does not fit an
// entry, are copied and not interned.
func canonical(h uint64, s string) string {
	if len(s) > maxLen {
		countMiss()
		return strings.Clone(s)
	}
	p, added := canon.LoadOrStore(h, metaOf(h, len(s)),
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
