package flyweight

import (
	"encoding/json"
	"math/bits"
	"unsafe"
)

// The storage of a Frame's columns is allocated in blocks of blockLen
// elements rather than in one growing slice per column: a full block is
// never copied again, so decoding a column of n values copies O(n) elements
// in all, and its peak memory is the column plus one block, not the two or
// three times its size that a doubling slice passes through.
const (
	blockShift = 10
	blockLen   = 1 << blockShift
	blockMask  = blockLen - 1
)

// A vec is a sequence of T in blocks of blockLen elements. Elements are
// never modified once pushed (but for the last word of a rowBits), so a
// pointer to one stays valid, and to the same value, for as long as it is
// held: a Frame hands out interfaces that point into its vecs.
type vec[T any] struct {
	blocks [][]T
	n      int
}

func (v *vec[T]) len() int { return v.n }

func (v *vec[T]) at(i int) T { return v.blocks[i>>blockShift][i&blockMask] }

func (v *vec[T]) ptr(i int) *T { return &v.blocks[i>>blockShift][i&blockMask] }

// push appends x. The first block grows by doubling from a few elements, so
// that a short column costs little; later blocks are allocated whole.
func (v *vec[T]) push(x T) {
	if v.n>>blockShift == len(v.blocks) {
		size := blockLen
		if v.n == 0 {
			size = 8
		}
		v.blocks = append(v.blocks, make([]T, 0, size))
	}
	b := &v.blocks[len(v.blocks)-1]
	if len(*b) == cap(*b) {
		nb := make([]T, len(*b), min(2*cap(*b), blockLen))
		copy(nb, *b)
		*b = nb
	}
	*b = append(*b, x)
	v.n++
}

// clip trims the spare capacity of the last block, which a Frame does when
// a Decode ends.
func (v *vec[T]) clip() {
	if len(v.blocks) == 0 {
		return
	}
	b := &v.blocks[len(v.blocks)-1]
	if cap(*b)-len(*b) > len(*b)/8 {
		*b = append([]T(nil), *b...)
	}
}

// rowBits marks the rows of a column (counted from its first row) that have
// a value, for columns in which some rows lack the key or hold null: the
// rank of a row among the marked ones is the position of its value, found
// in constant time from the count of marked rows before each word.
type rowBits struct {
	words  vec[uint64]
	counts vec[uint32] // counts[w]: marked rows before word w
	ones   int
}

// mark marks row r, which is beyond every row marked before.
func (b *rowBits) mark(r int) {
	w := r >> 6
	for b.words.len() <= w {
		b.counts.push(uint32(b.ones))
		b.words.push(0)
	}
	*b.words.ptr(w) |= 1 << (r & 63)
	b.ones++
}

// rank returns the number of marked rows before r, and whether r is marked.
func (b *rowBits) rank(r int) (int, bool) {
	w := r >> 6
	if w >= b.words.len() {
		return 0, false
	}
	word := b.words.at(w)
	bit := uint64(1) << (r & 63)
	return int(b.counts.at(w)) + bits.OnesCount64(word&(bit-1)), word&bit != 0
}

func (b *rowBits) clip() {
	b.words.clip()
	b.counts.clip()
}

// An eface is the layout of an interface value of static type any.
type eface struct {
	typ, data unsafe.Pointer
}

func typeOf(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

var (
	stringType = typeOf("")
	numberType = typeOf(json.Number(""))
	floatType  = typeOf(0.0)
)

// box returns an interface of the type typ (one of the above) whose value
// is *p, pointing at p rather than at a copy: p must never change. This is
// how a Frame returns the values it holds once (a dictionary's strings, a
// column's floats) as an any without allocating.
func box[T any](typ unsafe.Pointer, p *T) any {
	var v any
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, unsafe.Pointer(p)
	return v
}
