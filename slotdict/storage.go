package slotdict

import (
	"math/bits"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/slab"
)

// Storage layout. A Dict is two words: its schema and a pointer to its
// storage, one allocation (internal/slab) of schema.Len() values of V,
// indexed by schema position, followed by presence bits: one bit per key,
// in ceil(n/64) words, and for schemas of more than 64 keys one more word
// that counts the present keys (so that Len stays O(1)). There are no keys
// and no hashes: that is where the saving over a map comes from.
//
// The presence bits live with the values, not in the Dict, so that copies
// of a Dict share all of its state, as copies of a map header do: a write
// through one copy shows in every copy.
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

// newValues allocates zeroed storage for a Dict[K, V] on s; nil for a
// schema without keys.
func newValues[K comparable, V any](s *Schema[K]) *V {
	if n := s.Len(); n > 0 {
		return slab.Make[V](n, storageWords(n))
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
	return slab.Words(d.vals, n, storageWords(n))
}

// bit returns the word holding the presence bit of position i < n, the
// schema's length, and that bit.
func (d *Dict[K, V]) bit(n, i int) (*uint64, uint64) {
	off := slab.Offset[V](n) + uintptr(i/64)*unsafe.Sizeof(uint64(0))
	return (*uint64)(unsafe.Add(unsafe.Pointer(d.vals), off)), 1 << (i % 64)
}

// present reports whether position i holds a value.
func (d *Dict[K, V]) present(i int) bool {
	w, b := d.bit(d.size(), i)
	return *w&b != 0
}

// mark records position i as present and reports whether it was already.
func (d *Dict[K, V]) mark(i int) (was bool) {
	n := d.size()
	w, b := d.bit(n, i)
	if *w&b != 0 {
		return true
	}
	*w |= b
	if n > smallMax {
		d.words()[bitWords(n)]++
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
		d.words()[bitWords(n)]--
	}
	return true
}

// count returns the number of present positions in O(1).
func (d *Dict[K, V]) count() int {
	switch n := d.size(); {
	case n == 0:
		return 0
	case n <= smallMax:
		return bits.OnesCount64(d.words()[0])
	default:
		return int(d.words()[bitWords(n)])
	}
}

// next returns the first present position >= from, or -1. It reads the
// bitmap afresh on every call, so iterators that call it see deletions and
// insertions made by the loop body at later positions.
func (d *Dict[K, V]) next(from int) int {
	n := d.size()
	if from >= n {
		return -1
	}
	ws := d.words()[:bitWords(n)]
	for j := from; j/64 < len(ws); j = (j/64 + 1) * 64 {
		if b := ws[j/64] >> (j % 64); b != 0 {
			return j + bits.TrailingZeros64(b)
		}
	}
	return -1
}

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
