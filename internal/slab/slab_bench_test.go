package slab_test

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/slab"
)

var sink unsafe.Pointer

// BenchmarkMake measures Make beside make of a slice of the same size, at
// the sizes of the generic storage types and beyond them.
func BenchmarkMake(b *testing.B) {
	for _, n := range []int{3, 8, 100, 1000} {
		b.Run(fmt.Sprintf("impl=Make/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				sink = unsafe.Pointer(slab.Make[string](1, n))
			}
		})
		b.Run(fmt.Sprintf("impl=make/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				s := make([]string, n+1)
				sink = unsafe.Pointer(&s[0])
			}
		})
	}
}
