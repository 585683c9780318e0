package slotdict

import (
	"math/bits"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/slab"
)

// Storage layout. A Dict is two words: its schema and a pointer to its
// storage, one allocation (internal/slab) of presence bits followed by
// schema.Len() values of V, indexed by schema position. The bits are one per
// key, in ceil(n/64) words, and for schemas of more than 64 keys one more
// word, the last before the values, counts the present keys (so that Len
// stays O(1)). There are no keys
// and no hashes: that is where the saving over a map comes from.
//
// The presence bits live with the values, not in the Dict, so that copies
// of a Dict share all of its state, as copies of a map header do: a write
// through one copy shows in every copy. The Dict points to its first value,
// and the words come before the values, so that the bits of up to 64 keys
// are the word before the first value, found without the schema's length.
const smallMax = 64

// bitWords returns the number of presence words for n keys.
func bitWords(n int) int { return (n + 63) / 64 }

// storageWords returns the number of words after n values.
func storageWords(n int) int {
	if n <= smallMax {
		return 1
	}
	return bitWords(n) + 1
}

// newValues allocates zeroed storage for a Dict[K, V] on s and returns the
// address of its first value; nil for a schema without keys.
func newValues[K comparable, V any](s *Schema[K]) *V {
	if n := s.Len(); n > 0 {
		w := storageWords(n)
		return slab.Values[V](slab.Make[V](w, n), w)
	}
	return nil
}

// size returns the number of keys in d's schema (0 for a zero Dict).
func (d *Dict[K, V]) size() int {
	if d.schema == nil {
		return 0
	}
	return d.schema.Len()
}

// at returns the value slot of position i, which must be < d.size().
func (d *Dict[K, V]) at(i int) *V {
	return (*V)(unsafe.Add(unsafe.Pointer(d.vals), uintptr(i)*unsafe.Sizeof(*d.vals)))
}

// values returns all value slots, present or not.
func (d *Dict[K, V]) values() []V {
	return unsafe.Slice(d.vals, d.size())
}

// words returns the presence words and, for a schema of more than 64 keys,
// the count after them.
func (d *Dict[K, V]) words() []uint64 {
	n := d.size()
	if n == 0 {
		return nil
	}
	w := storageWords(n)
	return unsafe.Slice(d.word(n, -w), w)
}

// word returns the word j places from the one before the values: the
// storage's words are at j = -storageWords(n) … -1, for n keys. The
// presence bits of up to 64 keys are thus at -1, found without the length.
func (d *Dict[K, V]) word(n, j int) *uint64 {
	return (*uint64)(unsafe.Add(unsafe.Pointer(d.vals), j*int(unsafe.Sizeof(uint64(0)))))
}

// bit returns the word holding the presence bit of position i of a schema
// of n keys, and that bit.
func (d *Dict[K, V]) bit(n, i int) (*uint64, uint64) {
	b := uint64(1) << (uint(i) % 64) // positions are never negative: unsigned arithmetic
	if n <= smallMax {
		return d.word(n, -1), b
	}
	return d.word(n, int(uint(i)/64)-storageWords(n)), b
}

// present reports whether position i holds a value.
func (d *Dict[K, V]) present(i int) bool {
	w, b := d.bit(d.size(), i)
	return *w&b != 0
}

// mark records position i of a schema of n keys as present and reports
// whether it was already.
func (d *Dict[K, V]) mark(n, i int) (was bool) {
	w, b := d.bit(n, i)
	if *w&b != 0 {
		return true
	}
	*w |= b
	if n > smallMax {
		*d.word(n, -1)++
	}
	return false
}

// unmark records position i as absent and reports whether it was present.
func (d *Dict[K, V]) unmark(i int) bool {
	n := d.size()
	w, b := d.bit(n, i)
	if *w&b == 0 {
		return false
	}
	*w &^= b
	if n > smallMax {
		*d.word(n, -1)--
	}
	return true
}

// count returns the number of present positions in O(1).
func (d *Dict[K, V]) count() int {
	switch n := d.size(); {
	case n == 0:
		return 0
	case n <= smallMax:
		return bits.OnesCount64(*d.word(n, -1))
	default:
		return int(*d.word(n, -1))
	}
}

// presence returns the presence words of d (nil for a schema without
// keys), for the iterators, which read them afresh at every step (see
// nextIn) but find them once.
func (d *Dict[K, V]) presence() []uint64 {
	n := d.size()
	if n == 0 {
		return nil
	}
	return d.words()[:bitWords(n)]
}

// nextIn returns the first position >= from whose bit is set in ws, or -1.
// It reads the bitmap afresh on every call, so iterators that call it see
// deletions and insertions made by the loop body at later positions.
func nextIn(ws []uint64, from int) int {
	for j := uint(from); j/64 < uint(len(ws)); j = (j/64 + 1) * 64 { // unsigned: shifts, not divisions
		if b := ws[j/64] >> (j % 64); b != 0 {
			return int(j) + bits.TrailingZeros64(b)
		}
	}
	return -1
}

// next returns the first present position >= from, or -1.
func (d *Dict[K, V]) next(from int) int { return nextIn(d.presence(), from) }

// clearAll makes every position absent and zeroes every value.
func (d *Dict[K, V]) clearAll() {
	clear(d.values())
	clear(d.words())
}

// copyFrom makes d's contents those of src; both have the same schema.
func (d *Dict[K, V]) copyFrom(src *Dict[K, V]) {
	copy(d.values(), src.values())
	copy(d.words(), src.words())
}
