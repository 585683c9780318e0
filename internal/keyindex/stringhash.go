package keyindex

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// stringSeeds key stringHash for the process, so that which strings collide
// cannot be known from outside it.
var stringSeeds = [3]uint64{rand.Uint64(), rand.Uint64(), rand.Uint64()}

// StringHash is the hash of string keys in an index's table.
//
// maphash.Comparable reaches the runtime's string hash through a call and
// an indirect call, and maphash.String four calls deep; on the lookups of a
// big schema either costs a lookup more than a map's own hash does
// (slotdict's BenchmarkGet at 1000 keys). StringHash is one direct call
// instead. It is a folded multiply hash in the manner of wyhash and
// foldhash: 8-byte words of the string, each xored with a secret seed,
// multiplied to 128 bits and the halves xored. Every byte and the length
// take part. Xoring every word with a seed before it is multiplied makes
// the inputs that zero a product (the known weakness of multiply hashes)
// depend on seeds the process keeps to itself: indexes are built from
// decoded records too, whose keys an adversary may choose, and it cannot
// aim collisions without the seeds. (Collisions cost probes, never wrong
// answers: keys are compared whole.) It reads the string only within its
// bounds: strings shorter than 8 bytes are read as overlapping 4-byte words
// or as three bytes.
func StringHash(s string) uint64 {
	n := uint64(len(s))
	seed := stringSeeds[0] ^ n
	var a, b uint64
	switch {
	case len(s) > 16:
		for t := s; len(t) > 16; t = t[16:] {
			seed = fold(word(t)^stringSeeds[2], word(t[8:])^seed)
		}
		a, b = word(s[len(s)-16:]), word(s[len(s)-8:])
	case len(s) >= 8:
		a, b = word(s), word(s[len(s)-8:])
	case len(s) >= 4:
		a = uint64(binary.LittleEndian.Uint32([]byte(s)))
		b = uint64(binary.LittleEndian.Uint32([]byte(s[len(s)-4:])))
	case len(s) > 0:
		a = uint64(s[0])<<16 | uint64(s[len(s)/2])<<8 | uint64(s[len(s)-1])
	}
	return fold(a^stringSeeds[1], b^seed)
}

// word returns the first 8 bytes of s as a little-endian number. The
// conversion to []byte does not copy (the compiler sees that it is only
// read), and the load compiles to one instruction where the CPU allows
// unaligned loads.
func word(s string) uint64 { return binary.LittleEndian.Uint64([]byte(s)) }

// fold returns the 128-bit product of a and b, folded to 64 bits.
func fold(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}
