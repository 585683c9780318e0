package flyweight

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// keyTable finds the column of a key with one probe and no call (see
// Frame.column), where the Frame's key index would search and compare: a
// perfect hash onto a power of two slots, fewer than eight per key, made
// when a Decode ends. A slot holds its key's length and its first and last
// eight bytes (keyWords), which tell keys of up to 16 bytes apart with two
// word comparisons, so that reads, which look their key up on every call,
// cost about what a small map's lookup costs (BenchmarkFrameString). A
// Frame of more than maxTableKeys keys, or whose keys no hash it tries
// tells apart, has no table, and its keys are found in the index.
type keyTable struct {
	mul   uint64
	shift uint64 // 64 - log2(len(slots))
	slots []keySlot
}

type keySlot struct {
	head, tail uint64
	n          int    // the key's length
	id         uint32 // its column's id + 1, or 0 for no key
}

// maxTableKeys bounds the work of making a table, which tries up to
// 3 × tableTries hashes of every key.
const (
	maxTableKeys = 256
	tableTries   = 32
)

// keyWords returns two words that, with its length, tell a key of at most
// 16 bytes from any other: its first and last eight bytes, which overlap in
// a key shorter than 16; in a key shorter than 8, its first and last four;
// in one shorter than 4, its first, middle and last byte.
func keyWords(key string) (head, tail uint64) {
	b := unsafe.Slice(unsafe.StringData(key), len(key))
	switch n := len(b); {
	case n >= 8:
		return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		return uint64(b[0]) | uint64(b[n/2])<<8 | uint64(b[n-1])<<16, 0
	}
	return 0, 0
}

// slotOf returns the slot of the key with words head and tail and length n
// under the multiplier mul.
func slotOf(head, tail uint64, n int, mul, shift uint64) uint64 {
	return ((head ^ bits.RotateLeft64(tail, 31) ^ uint64(n)) * mul) >> shift
}

// make sets t for the keys of cols, or leaves it empty.
func (t *keyTable) make(cols []*column) {
	*t = keyTable{}
	n := len(cols)
	if n == 0 || n > maxTableKeys {
		return
	}
	least := bits.Len(uint(n - 1))
	for b := least; b <= least+2; b++ {
		slots := make([]keySlot, 1<<b)
		for try := range uint64(tableTries) {
			mul := 0x9E3779B97F4A7C15 + try*0x6A09E667F3BCC908 // odd, as the golden ratio's is
			if fill(slots, cols, mul, uint64(64-b)) {
				t.mul, t.shift, t.slots = mul, uint64(64-b), slots
				return
			}
		}
	}
}

// fill puts every column's key into slots by its hash, and reports whether
// no two keys took one slot.
func fill(slots []keySlot, cols []*column, mul, shift uint64) bool {
	clear(slots)
	for id, c := range cols {
		head, tail := keyWords(c.key)
		s := &slots[slotOf(head, tail, len(c.key), mul, shift)&uint64(len(slots)-1)]
		if s.id != 0 {
			return false
		}
		*s = keySlot{head: head, tail: tail, n: len(c.key), id: uint32(id + 1)}
	}
	return true
}
