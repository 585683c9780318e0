package baseline

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// The loops of the interning benchmarks, written once for the packages'
// benchmarks and the bench module's, so that both measure the same thing.

// keyCount is the number of [Keys]; a power of two, so that [RunKeys] cycles
// through them with a mask.
const keyCount = 1024

// Keys returns 1024 strings of 6 to 40 bytes, shaped like the field names,
// header names and enum values that programs intern: the keys that the
// indices of [RunKeys] select. Cutting them to length makes a few alike
// (1007 are distinct). Every call returns the same strings in a new slice.
func Keys() []string {
	parts := []string{"user", "id", "created", "at", "content", "type", "x", "request", "status", "code", "trace", "span"}
	out := make([]string, keyCount)
	for i := range out {
		k := fmt.Sprintf("%s_%s_%d", parts[i%len(parts)], parts[i/len(parts)%len(parts)], i)
		for len(k) < 6+i%35 {
			k += "_" + parts[(i+len(k))%len(parts)]
		}
		out[i] = k[:6+i%35]
	}
	return out
}

// Bytes returns each of ss as a []byte of its own, as from a decoder's
// buffer.
func Bytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// RunKeys runs op(i), for i cycling through the 1024 indices of [Keys], as
// the sub-benchmarks name/serial and name/parallel of b (the latter with
// RunParallel, every goroutine from index 0), so that every implementation is
// compared both ways in one run. Results go to a goroutine-local variable and
// are published once, with [Keep]: a shared sink would make the goroutines
// contend for its cache line and measure that instead.
func RunKeys[R any](b *testing.B, name string, op func(i int) R) {
	b.Run(name+"/serial", func(b *testing.B) {
		b.ReportAllocs()
		var r R
		for i := range b.N {
			r = op(i & (keyCount - 1))
		}
		Keep(r)
	})
	b.Run(name+"/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var r R
			for i := 0; pb.Next(); i++ {
				r = op(i & (keyCount - 1))
			}
			Keep(r)
		})
	})
}

// RunSeq runs op(i), for i cycling through the n indices of a sequence, as
// the sub-benchmarks name/serial and name/parallel of b (the latter with
// RunParallel, each goroutine from a starting point of its own). Each first
// goes once over the sequence before the timer starts: the testing package
// collects garbage before every run, which empties what a collection clears
// (the front of intern.String), and the pass fills it again, so that the
// hits measured are those between two collections. Results are kept as by
// [RunKeys].
func RunSeq[R any](b *testing.B, name string, n int, op func(i int) R) {
	warm := func(b *testing.B) {
		for j := range n {
			op(j)
		}
		b.ResetTimer()
	}
	b.Run(name+"/serial", func(b *testing.B) {
		b.ReportAllocs()
		warm(b)
		var r R
		for i, j := 0, 0; i < b.N; i++ {
			r = op(j)
			if j++; j == n {
				j = 0
			}
		}
		Keep(r)
	})
	b.Run(name+"/parallel", func(b *testing.B) {
		b.ReportAllocs()
		warm(b)
		var next atomic.Uint64
		b.RunParallel(func(pb *testing.PB) {
			var r R
			j := int(next.Add(7919) % uint64(n))
			for pb.Next() {
				r = op(j)
				if j++; j == n {
					j = 0
				}
			}
			Keep(r)
		})
	})
}

var sink atomic.Pointer[any]

// Keep publishes r so that the compiler cannot drop the work that made it.
// It is safe for concurrent use.
func Keep(r any) {
	sink.Store(&r)
}
