package intern

import "math/bits"

// values maps a set's ids to its values: a segmented array in
// which chunk k holds 2^(k+firstBits) values and is allocated when the
// previous chunks are full. Unlike a growing slice it never moves a value, so
// readers index it without a lock while the writer appends, and growing it
// copies nothing. The zero value is empty.
type values[T any] [numChunks][]T

const (
	firstBits = 3              // the first chunk holds 8 values
	numChunks = 33 - firstBits // enough chunks for ids up to 2^32-1
)

// locate returns the chunk and offset of id (ids count from 1): values 1..8
// are in chunk 0, 9..24 in chunk 1, 25..56 in chunk 2, and so on. Adding 8 to
// the 0-based position makes its highest bit the chunk's number plus
// firstBits, and the bits below it the offset in the chunk.
func locate(id uint32) (chunk int, offset uint64) {
	j := uint64(id) - 1 + 1<<firstBits
	hi := bits.Len64(j) - 1
	return hi - firstBits, j - 1<<hi
}

// at returns value id, which the caller has stored.
func (vs *values[T]) at(id uint32) T {
	c, o := locate(id)
	return vs[c][o]
}

// store sets value id, allocating its chunk if needed. Stores must come in
// id order and be published to readers by the caller.
func (vs *values[T]) store(id uint32, v T) {
	c, o := locate(id)
	if vs[c] == nil {
		vs[c] = make([]T, 1<<(c+firstBits))
	}
	vs[c][o] = v
}
