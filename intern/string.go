package intern

import (
	"hash/maphash"
	"unsafe"
)

// String returns the canonical copy of s in this process: equal strings give
// the same bytes (the same data pointer) for as long as any string that
// String or Bytes returned for them is in use. String never returns memory
// that aliases s.
//
// It is weak: an entry lives exactly as long as its bytes do, that is while
// some string returned for it is reachable (a substring of it included), and
// is removed after the garbage collection that reclaims them. The only strong
// references String keeps are those of its front, a cache of the strings
// used since the last garbage collection, which is emptied at each one: a
// string nobody uses any more is freed by the second collection after its
// last use at the latest. See front and canonical for the design. For a
// strong, scoped interner use [Pool]; for values other than strings,
// [Value].
//
// A hit (a string used since the last collection) takes no lock and writes
// no shared memory; the first use of a string after a collection takes a
// lock; the first use of a new string also copies it and makes a weak
// pointer to the copy. Strings of 16 MiB or more are copied, not interned.
func String(s string) string {
	return lookup(s)
}

// Bytes is [String] for a byte slice: it returns the canonical copy of
// string(b). It does not allocate when string(b) is already interned. The
// result never aliases b: later changes to b do not change it.
func Bytes(b []byte) string {
	// The alias is used only to look up and to compare: canonical copies s
	// before it keeps it, and TestBytesSurvivesMutation pins that the
	// returned string is never b's memory.
	return lookup(unsafe.String(unsafe.SliceData(b), len(b)))
}

func lookup(s string) string {
	if len(s) == 0 {
		return ""
	}
	h := maphash.String(seed, s)
	if v, ok := front.Load().find(h, s); ok {
		countHit()
		return v
	}
	return miss(h, s)
}

// miss finds or makes the canonical copy of s, whose hash is h, and puts it
// in the front.
func miss(h uint64, s string) string {
	v := canonical(h, s)
	remember(h, v)
	return v
}
