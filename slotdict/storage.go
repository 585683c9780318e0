package slotdict

import (
	"math/bits"
	"reflect"
	"unsafe"
)

// Storage layout. A Dict is three words: its schema, a pointer to its values
// and a presence bitmap for the first 64 keys. The values are one array of
// schema.Len() V, indexed by schema position, with no keys and no hashes:
// that is where the saving over a map comes from. A Dict over 3 int keys is
// a 24-byte header plus a 24-byte array (two allocations that fill their size
// classes exactly), 56 bytes with the pointer to it; a map[string]int with the
// same keys costs 264.
//
// Schemas of more than 64 keys need more presence bits and a count (so Len
// stays O(1)). They are kept after the values, in the same allocation: a
// separate bitmap would cost a header word in every Dict, small ones
// included, and round up to its own size class. Go cannot express an array
// whose length is known only at run time followed by a second one, so that
// allocation is a struct type built with reflect.StructOf:
//
//	struct { Values [n]V; Ext [extWords(n)]uint64 }
//
// which gives the garbage collector the exact pointer layout. Ext[0] counts
// the present keys at positions 64 and above; Ext[1:] is their bitmap. The
// struct type is cached per schema and value type (reflect keeps it for the
// life of the process, one per distinct (n, V) pair above 64 keys).
const smallMax = 64

// extWords is the length of Ext for a schema of n > smallMax keys.
func extWords(n int) int { return 1 + (n-smallMax+63)/64 }

// largeLayout returns the storage type for n > smallMax values of type v.
func largeLayout(v reflect.Type, n int) reflect.Type {
	return reflect.StructOf([]reflect.StructField{
		{Name: "Values", Type: reflect.ArrayOf(n, v)},
		{Name: "Ext", Type: reflect.ArrayOf(extWords(n), reflect.TypeFor[uint64]())},
	})
}

// extOffset is the offset of Ext in the storage of n > smallMax values of a
// type of the given size: the end of Values rounded up to uint64 alignment,
// as reflect.StructOf lays it out (TestLargeLayoutOffset checks this).
func extOffset(n int, size uintptr) uintptr {
	const align = unsafe.Alignof(uint64(0))
	return (uintptr(n)*size + align - 1) &^ (align - 1)
}

// newValues allocates zeroed storage for a Dict[K, V] on s.
func newValues[K comparable, V any](s *Schema[K]) *V {
	switch n := s.Len(); {
	case n == 0:
		return nil
	case n <= smallMax:
		return unsafe.SliceData(make([]V, n))
	default:
		return (*V)(reflect.New(s.layout(reflect.TypeFor[V]())).UnsafePointer())
	}
}

// size returns the number of keys in d's schema (0 for a zero Dict).
func (d *Dict[K, V]) size() int {
	if d.schema == nil {
		return 0
	}
	return len(d.schema.keys)
}

// at returns the value slot of position i, which must be < d.size().
func (d *Dict[K, V]) at(i int) *V {
	return (*V)(unsafe.Add(unsafe.Pointer(d.vals), uintptr(i)*unsafe.Sizeof(*d.vals)))
}

// values returns all value slots, present or not.
func (d *Dict[K, V]) values() []V {
	return unsafe.Slice(d.vals, d.size())
}

// ext returns Ext (see the layout comment); d.size() must be > smallMax.
func (d *Dict[K, V]) ext() []uint64 {
	n := d.size()
	p := unsafe.Add(unsafe.Pointer(d.vals), extOffset(n, unsafe.Sizeof(*d.vals)))
	return unsafe.Slice((*uint64)(p), extWords(n))
}

// extBit returns the word of Ext holding the presence bit of position
// i >= smallMax, and that bit. It is ext()[1+j/64] without the slice, for
// Get and Set on big schemas.
func (d *Dict[K, V]) extBit(i int) (*uint64, uint64) {
	j := uint(i - smallMax)
	off := extOffset(len(d.schema.keys), unsafe.Sizeof(*d.vals)) + (1+uintptr(j/64))*unsafe.Sizeof(uint64(0))
	return (*uint64)(unsafe.Add(unsafe.Pointer(d.vals), off)), 1 << (j % 64)
}

// present reports whether position i holds a value. The small case is
// kept apart from the extended one so that it inlines.
func (d *Dict[K, V]) present(i int) bool {
	if i < smallMax {
		return d.bits&(1<<i) != 0
	}
	return d.presentExt(i)
}

// presentExt is kept out of line so that present stays within the inlining
// budget where Has and Equal call it.
//
//go:noinline
func (d *Dict[K, V]) presentExt(i int) bool {
	w, b := d.extBit(i)
	return *w&b != 0
}

// mark records position i as present.
func (d *Dict[K, V]) mark(i int) {
	if i < smallMax {
		d.bits |= 1 << i
		return
	}
	d.markExt(i)
}

func (d *Dict[K, V]) markExt(i int) {
	if w, b := d.extBit(i); *w&b == 0 {
		*w |= b
		d.ext()[0]++
	}
}

// unmark records position i as absent and reports whether it was present.
func (d *Dict[K, V]) unmark(i int) bool {
	if i < smallMax {
		was := d.bits&(1<<i) != 0
		d.bits &^= 1 << i
		return was
	}
	w, b := d.extBit(i)
	if *w&b == 0 {
		return false
	}
	*w &^= b
	d.ext()[0]--
	return true
}

// count returns the number of present positions in O(1).
func (d *Dict[K, V]) count() int {
	n := bits.OnesCount64(d.bits)
	if d.size() > smallMax {
		n += int(d.ext()[0])
	}
	return n
}

// next returns the first present position >= from, or -1. It reads the
// bitmap afresh on every call, so iterators that call it see deletions and
// insertions made by the loop body at later positions.
func (d *Dict[K, V]) next(from int) int {
	if from < smallMax {
		if b := d.bits >> from; b != 0 {
			return from + bits.TrailingZeros64(b)
		}
		from = smallMax
	}
	if d.size() <= smallMax {
		return -1
	}
	ext := d.ext()[1:]
	for j := from - smallMax; j/64 < len(ext); j = (j/64 + 1) * 64 {
		if b := ext[j/64] >> (j % 64); b != 0 {
			return smallMax + j + bits.TrailingZeros64(b)
		}
	}
	return -1
}

// clearAll makes every position absent and zeroes every value.
func (d *Dict[K, V]) clearAll() {
	clear(d.values())
	d.bits = 0
	if d.size() > smallMax {
		clear(d.ext())
	}
}

// copyFrom makes d's contents those of src; both have the same schema.
func (d *Dict[K, V]) copyFrom(src *Dict[K, V]) {
	copy(d.values(), src.values())
	d.bits = src.bits
	if d.size() > smallMax {
		copy(d.ext(), src.ext())
	}
}
