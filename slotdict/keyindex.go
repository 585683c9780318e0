package slotdict

import (
	"fmt"
	"hash/maphash"
	"math/bits"
	"reflect"
	"unsafe"
)

// linearMax is the largest key sequence that keyIndex searches linearly.
// Comparing up to eight keys in order costs less than hashing one key
// (BenchmarkGet). String keys are compared through fingerprints first (see
// fingerprint), so that keys of equal length, which make every string
// comparison read bytes, do not make the search slower than a map
// (BenchmarkGetEqualLength).
const linearMax = 8

// keyIndex finds the position of a key in a sequence of distinct keys: the
// keys of a schema, and their JSON names.
//
// Above linearMax keys it is a small open-addressing hash table of uint32
// slots, each holding an 8-bit tag of the key's hash and the key's position
// plus one (0 marks an empty slot), at most half full: a lookup hashes the
// key, compares tags, and compares a key only on a tag match. It costs 8 to
// 16 bytes per key where a map[K]int32 costs several times that, which matters
// because schemas are many (one per distinct key layout of decoded records)
// and live as long as their records. A lookup costs about what a map's
// does, under 1.2× at 1000 keys: the key is one more load away from its slot than
// in a map, which string keys make up for with a cheaper hash (stringHash;
// BenchmarkGet, BenchmarkGetEqualLength).
type keyIndex[K comparable] struct {
	keys []K
	// slots is the hash table above linearMax keys. Up to linearMax keys,
	// it holds the fingerprint of each key if K is a string type, and is
	// nil otherwise.
	slots []uint32
}

const (
	posBits = 24
	posMask = 1<<posBits - 1
	// maxKeys is the most keys a keyIndex holds: positions plus one must
	// fit in posBits.
	maxKeys = posMask - 1
)

// indexSeed hashes keys for every keyIndex of the process.
var indexSeed = maphash.MakeSeed()

// hash returns the hash of k in the hash table.
//
// Keys of string types are hashed by stringHash. Asking reflect for K's
// kind on every call costs a fraction of a nanosecond, where a flag would
// cost every schema 16 bytes (it would take Schema from the 64-byte size
// class to the 80-byte one), and a type assertion (any(k).(string)) would
// make k escape: a JSON key unquoted into a stack buffer would move to the
// heap (TestDecodeJSONAllocations). The kind check is written out rather
// than put in a generic helper, which the compiler did not inline: the call
// cost 1.5 ns at 1000 keys (BenchmarkGet).
func (x *keyIndex[K]) hash(k K) uint64 {
	if reflect.TypeFor[K]().Kind() == reflect.String {
		return stringHash(*asString(&k))
	}
	return maphash.Comparable(indexSeed, k)
}

// asString returns k as a pointer to the string it is; K must be a string
// type.
func asString[K comparable](k *K) *string { return (*string)(unsafe.Pointer(k)) }

// newKeyIndex returns the index of keys, which it keeps (not a copy). If a
// key occurs twice, it returns the position of its second occurrence as dup;
// otherwise dup is -1. It panics if there are more than maxKeys keys.
func newKeyIndex[K comparable](keys []K) (x keyIndex[K], dup int) {
	x.keys = keys
	if len(keys) <= linearMax {
		for i, k := range keys {
			for _, prev := range keys[:i] {
				if prev == k {
					return x, i
				}
			}
		}
		if len(keys) > 0 && reflect.TypeFor[K]().Kind() == reflect.String {
			x.slots = make([]uint32, len(keys))
			for i := range keys {
				x.slots[i] = fingerprint(*asString(&keys[i]))
			}
		}
		return x, -1
	}
	if len(keys) > maxKeys {
		panic(fmt.Sprintf("slotdict: %d keys: a schema holds at most %d", len(keys), maxKeys))
	}
	x.slots = make([]uint32, 1<<bits.Len(uint(2*len(keys)-1))) // a power of two ≥ 2n
	mask := uint64(len(x.slots) - 1)
	for p, k := range keys {
		h := x.hash(k)
		i := h & mask
		for ; x.slots[i] != 0; i = (i + 1) & mask {
			if q := int(x.slots[i]&posMask) - 1; keys[q] == k {
				return x, p
			}
		}
		x.slots[i] = uint32(h>>56)<<posBits | uint32(p+1)
	}
	return x, -1
}

// fingerprint is a summary of s that equal strings share: its length and
// its first, middle and last bytes. Keys of one schema that differ in
// length or in one of those bytes (field names usually do: "id", "name",
// "created_at"; and numbered ones: "field_1", "field_2") have different
// fingerprints, so a linear search of string keys compares bytes only at
// the key it finds. It reads three bytes of s, where hashing reads all.
func fingerprint(s string) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint32(n)&0xff | uint32(s[0])<<8 | uint32(s[n/2])<<16 | uint32(s[n-1])<<24
}

// position returns the position of k, or -1.
func (x *keyIndex[K]) position(k K) int {
	if len(x.keys) <= linearMax {
		if x.slots == nil {
			for i, key := range x.keys {
				if key == k {
					return i
				}
			}
			return -1
		}
		// Only string types have fingerprints (see newKeyIndex).
		fp := fingerprint(*asString(&k))
		keys := x.keys[:len(x.slots)]
		for i, f := range x.slots {
			if f == fp && keys[i] == k {
				return i
			}
		}
		return -1
	}
	h := x.hash(k)
	tag := uint32(h>>56) << posBits
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return -1
		}
		if s&^posMask == tag {
			if p := int(s&posMask) - 1; x.keys[p] == k {
				return p
			}
		}
	}
}
