package intern

import (
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/weakset"
)

// The weak set holds one entry per canonical string: a weak pointer to its
// first byte, with its length, so that the entry lives exactly as long as
// some string that String or Bytes returned is in use; a cleanup on those
// bytes removes the entry once none is (see internal/weakset).
//
// It does not use package unique, whose entries live as long as their
// unique.Handle, not as long as the string the handle's Value returns: a
// program that keeps the strings and drops the handles (as any caller of a
// string interner does) would get a new copy of each string after every
// garbage collection, and hold as many copies as it interned strings.
//
// Only misses of the front, and strings too long for it, take a lock.
var canon weakset.Set[byte]

// canonical returns the canonical copy of s, whose hash is h, making it if
// there is none.
func canonical(h uint64, s string) string {
	p, _ := canon.LoadOrStore(h,
		func(p *byte, n int) bool { return unsafe.String(p, n) == s },
		func() (*byte, int) { return unsafe.StringData(clone(s)), len(s) })
	return unsafe.String(p, len(s))
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
