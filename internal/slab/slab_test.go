package slab_test

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/slab"
)

// fill writes to every word and value of storage for w words and n values,
// and checks that they read back: the run is as long as Make says and the
// values lie after the words.
func fill[V any](t *testing.T, w, n int, v func(i int) V) {
	t.Helper()
	p := slab.Make[V](w, n)
	words := slab.Words(p, w)
	values := unsafe.Slice(slab.Values[V](p, w), n)
	for i := range values {
		values[i] = v(i)
	}
	for i := range words {
		words[i] = ^uint64(i)
	}
	runtime.GC() // the collector must find the values' pointers where they are
	for i := range values {
		if any(values[i]) != any(v(i)) {
			t.Fatalf("w=%d n=%d: value %d = %v, want %v", w, n, i, values[i], v(i))
		}
	}
	for i := range words {
		if words[i] != ^uint64(i) {
			t.Fatalf("w=%d n=%d: word %d = %x", w, n, i, words[i])
		}
	}
	if uintptr(unsafe.Pointer(&values[0])) != uintptr(unsafe.Pointer(p))+uintptr(8*w) {
		t.Fatalf("w=%d n=%d: the values do not follow the words", w, n)
	}
}

func TestMakeHoldsWordsThenValues(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 8, 9, 64, 65, 1000} {
		for _, w := range []int{1, 2, 17} {
			fill(t, w, n, func(i int) string { return string(rune('a' + i%26)) })
			fill(t, w, n, func(i int) int32 { return int32(i) })
			fill(t, w, n, func(i int) bool { return i%2 == 0 })
			fill(t, w, n, func(i int) any { return i })
		}
	}
}

// TestMakeKeepsValuesAlive: the collector scans the values of a run, so what
// they point to lives as long as the run.
func TestMakeKeepsValuesAlive(t *testing.T) {
	for _, n := range []int{1, 8, 9, 100} {
		p := slab.Make[*[64]byte](2, n)
		values := unsafe.Slice(slab.Values[*[64]byte](p, 2), n)
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
		if got := testing.AllocsPerRun(100, func() { slab.Make[string](1, n) }); got != 1 {
			t.Errorf("Make[string](1, %d): %v allocations, want 1", n, got)
		}
	}
	slab.Make[string](3, 20) // the layout is built once
	if got := testing.AllocsPerRun(100, func() { slab.Make[string](3, 20) }); got != 1 {
		t.Errorf("Make[string](3, 20): %v allocations, want 1", got)
	}
}
