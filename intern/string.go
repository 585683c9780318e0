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
// is removed by a cleanup once none is. The only strong references String
// keeps are those of a small front cache of recently used strings, which is
// emptied at every garbage collection; see front and canonical for the
// design. For a strong, scoped interner use [Pool]; for values other than
// strings, [Value].
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
	if len(s) > frontMaxLen {
		return canonical(h, s)
	}
	set := &front[h&(frontSets-1)]
	if v, ok := set.find(s); ok {
		return v
	}
	v := canonical(h, s)
	set.put(v)
	return v
}
