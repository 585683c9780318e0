package slab

import (
	"reflect"
	"sync"
	"unsafe"
)

// Make returns the address of zeroed memory for n values of type V followed
// by w uint64 words, allocated as one object whose pointer layout is that of
// a struct { Values [n]V; Words [w]uint64 }. It panics if n < 1 or w < 1.
//
// Up to eight values and one word, the storage is a generic struct type
// (the common case: no reflection). Beyond, the struct type is built once
// per (V, n, w) with reflect.StructOf and cached for the life of the process,
// as reflect caches every type it makes.
func Make[V any](n, w int) *V {
	if n < 1 || w < 1 {
		panic("slab: Make with n < 1 or w < 1")
	}
	if w == 1 {
		switch n {
		case 1:
			return &new(run[[1]V]).values[0]
		case 2:
			return &new(run[[2]V]).values[0]
		case 3:
			return &new(run[[3]V]).values[0]
		case 4:
			return &new(run[[4]V]).values[0]
		case 5:
			return &new(run[[5]V]).values[0]
		case 6:
			return &new(run[[6]V]).values[0]
		case 7:
			return &new(run[[7]V]).values[0]
		case 8:
			return &new(run[[8]V]).values[0]
		}
	}
	return (*V)(reflect.New(layout(reflect.TypeFor[V](), n, w)).UnsafePointer())
}

// run is the storage of up to eight values A = [n]V and one word.
type run[A any] struct {
	values A
	word   uint64
}

// Words returns the w words that follow the n values at p, which Make[V](n,
// w) returned.
func Words[V any](p *V, n, w int) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Add(unsafe.Pointer(p), Offset[V](n))), w)
}

// Offset returns the offset of the words from the values: the end of n
// values of V rounded up to the alignment of uint64, as reflect.StructOf and
// the compiler lay out a struct.
func Offset[V any](n int) uintptr {
	const align = unsafe.Alignof(uint64(0))
	return (uintptr(n)*unsafe.Sizeof(*new(V)) + align - 1) &^ (align - 1)
}

// layouts caches the struct types of Make beyond its generic ones, by
// layoutKey.
var layouts sync.Map

type layoutKey struct {
	v    reflect.Type
	n, w int
}

func layout(v reflect.Type, n, w int) reflect.Type {
	k := layoutKey{v, n, w}
	if t, ok := layouts.Load(k); ok {
		return t.(reflect.Type)
	}
	t, _ := layouts.LoadOrStore(k, reflect.StructOf([]reflect.StructField{
		{Name: "Values", Type: reflect.ArrayOf(n, v)},
		{Name: "Words", Type: reflect.ArrayOf(w, reflect.TypeFor[uint64]())},
	}))
	return t.(reflect.Type)
}
