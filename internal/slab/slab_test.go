package slab_test

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/slab"
)

// fill writes to every value and word of storage for n values and w words,
// and checks that they read back: the run is as long as Make says and the
// words lie after the values.
func fill[V any](t *testing.T, n, w int, v func(i int) V) {
	t.Helper()
	p := slab.Make[V](n, w)
	values := unsafe.Slice(p, n)
	words := slab.Words(p, n, w)
	for i := range values {
		values[i] = v(i)
	}
	for i := range words {
		words[i] = ^uint64(i)
	}
	runtime.GC() // the collector must find the values' pointers where they are
	for i := range values {
		if any(values[i]) != any(v(i)) {
			t.Fatalf("n=%d w=%d: value %d = %v, want %v", n, w, i, values[i], v(i))
		}
	}
	for i := range words {
		if words[i] != ^uint64(i) {
			t.Fatalf("n=%d w=%d: word %d = %x", n, w, i, words[i])
		}
	}
	if end := uintptr(unsafe.Pointer(&words[w-1])) + 8 - uintptr(unsafe.Pointer(p)); end != slab.Offset[V](n)+uintptr(8*w) {
		t.Fatalf("n=%d w=%d: the run ends at %d", n, w, end)
	}
}

func TestMakeHoldsValuesThenWords(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 8, 9, 64, 65, 1000} {
		for _, w := range []int{1, 2, 17} {
			fill(t, n, w, func(i int) string { return string(rune('a' + i%26)) })
			fill(t, n, w, func(i int) int32 { return int32(i) })
			fill(t, n, w, func(i int) bool { return i%2 == 0 })
			fill(t, n, w, func(i int) any { return i })
		}
	}
}

// TestMakeKeepsValuesAlive: the collector scans the values of a run, so what
// they point to lives as long as the run.
func TestMakeKeepsValuesAlive(t *testing.T) {
	for _, n := range []int{1, 8, 9, 100} {
		p := slab.Make[*[64]byte](n, 2)
		values := unsafe.Slice(p, n)
		var freed [100]bool
		for i := range values {
			values[i] = new([64]byte)
			runtime.AddCleanup(values[i], func(i int) { freed[i] = true }, i)
		}
		for range 3 {
			gctest.Collect(t)
		}
		for i := range n {
			if freed[i] {
				t.Fatalf("n=%d: value %d was collected while its run is alive", n, i)
			}
		}
		runtime.KeepAlive(p)
	}
}

func TestMakeOfFewValuesDoesNotReflect(t *testing.T) {
	gctest.SkipIfRace(t)
	for n := 1; n <= 8; n++ {
		if got := testing.AllocsPerRun(100, func() { slab.Make[string](n, 1) }); got != 1 {
			t.Errorf("Make[string](%d, 1): %v allocations, want 1", n, got)
		}
	}
	slab.Make[string](20, 3) // the layout is built once
	if got := testing.AllocsPerRun(100, func() { slab.Make[string](20, 3) }); got != 1 {
		t.Errorf("Make[string](20, 3): %v allocations, want 1", got)
	}
}
