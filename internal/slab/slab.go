package slab

import (
	"reflect"
	"sync"
	"unsafe"
)

// Make returns the address of zeroed memory for w uint64 words followed by n
// values of type V, allocated as one object whose pointer layout is that of a
// struct { Words [w]uint64; Values [n]V }; [Values] gives the address of the
// values. The words come first so that their address does not depend on n.
// Make panics if n < 1 or w < 1.
//
// Up to eight values and one word, the storage is a generic struct type
// (the common case: no reflection). Beyond, the struct type is built once
// per (V, n, w) with reflect.StructOf and cached for the life of the process,
// as reflect caches every type it makes.
func Make[V any](w, n int) *uint64 {
	if n < 1 || w < 1 {
		panic("slab: Make with n < 1 or w < 1")
	}
	if w == 1 {
		switch n {
		case 1:
			return &new(run[[1]V]).word
		case 2:
			return &new(run[[2]V]).word
		case 3:
			return &new(run[[3]V]).word
		case 4:
			return &new(run[[4]V]).word
		case 5:
			return &new(run[[5]V]).word
		case 6:
			return &new(run[[6]V]).word
		case 7:
			return &new(run[[7]V]).word
		case 8:
			return &new(run[[8]V]).word
		}
	}
	return (*uint64)(reflect.New(layout(reflect.TypeFor[V](), n, w)).UnsafePointer())
}

// run is the storage of one word and up to eight values A = [n]V (read and
// written through Values, never by name).
type run[A any] struct {
	word uint64
	_    A
}

// Values returns the address of the values of storage p, which Make[V](w, n)
// returned.
func Values[V any](p *uint64, w int) *V {
	// The values of a type aligned to at most 8 bytes (every Go type on
	// the platforms Go supports) start right after the words.
	return (*V)(unsafe.Add(unsafe.Pointer(p), uintptr(w)*unsafe.Sizeof(uint64(0))))
}

// Words returns the w words of storage p.
func Words(p *uint64, w int) []uint64 { return unsafe.Slice(p, w) }

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
		{Name: "Words", Type: reflect.ArrayOf(w, reflect.TypeFor[uint64]())},
		{Name: "Values", Type: reflect.ArrayOf(n, v)},
	}))
	return t.(reflect.Type)
}
