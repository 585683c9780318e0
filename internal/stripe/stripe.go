package stripe

import (
	"math/bits"
	"runtime"
	"unsafe"
)

// CacheLine is the size to pad a stripe to, so that no two stripes share a
// line (64 bytes on amd64 and arm64).
const CacheLine = 64

// Index returns the stripe, in [0, n), of the calling goroutine; n must be a
// power of two.
//
// It is chosen by the address of a variable on the goroutine's own stack:
// stacks are disjoint and at least 2 KiB apart, so goroutines running at once
// mostly get different stripes, and a goroutine keeps its stripe while its
// stack stays put. The address is mixed (Fibonacci hashing: multiply, keep
// the top bits) because stacks are aligned alike. Choosing by the key being
// counted instead would make every goroutine that hits one hot key write one
// line; choosing at random (math/rand/v2) costs a serial cache hit more than
// the stack address does (weakcache's BenchmarkLoadHit). Two goroutines that share a stripe cost speed, never a count.
func Index(n int) int {
	var marker byte
	h := uint64(uintptr(unsafe.Pointer(&marker))>>10) * 0x9E3779B97F4A7C15
	return int(h >> (64 - bits.TrailingZeros(uint(n))))
}

// Count returns the number of stripes for a structure that can afford one
// per expected concurrent writer: four per GOMAXPROCS, rounded up to a power
// of two, between 8 and 256.
func Count() int {
	n := max(8, min(256, 4*runtime.GOMAXPROCS(0)))
	return 1 << bits.Len(uint(n-1))
}
