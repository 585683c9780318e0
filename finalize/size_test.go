package finalize_test

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// maxHandleBytes bounds the size of a Handle: six 64-bit words, so that a
// Handle and a pointer-sized arg fit in one allocation of maxRegistrationBytes.
const maxHandleBytes = 48

// maxRegistrationBytes bounds what one registration with a pointer-sized arg
// costs beyond runtime.AddCleanup: the Handle and the arg in one allocation.
const maxRegistrationBytes = 64

// TestHandleSize checks that a Handle takes at most maxHandleBytes.
func TestHandleSize(t *testing.T) {
	if s := unsafe.Sizeof(finalize.Handle{}); s > maxHandleBytes {
		t.Errorf("a Handle is %d bytes, want at most %d", s, maxHandleBytes)
	}
}

// TestRegistrationBytes checks with live-heap measurements that a
// registration costs at most maxRegistrationBytes more than
// runtime.AddCleanup in the same run.
func TestRegistrationBytes(t *testing.T) {
	gctest.SkipIfRace(t)
	gctest.SkipIfCheckingFinalizers(t, "changes allocation (it tracks tiny blocks) and makes every collection examine each of the many cleanups")
	hooks(t)
	const n = 20_000
	fn := func(*object) {}
	arg := &object{}
	build := func(register func(*object)) func() any {
		return func() any {
			objs := make([]*object, n)
			for i := range objs {
				objs[i] = &object{}
				register(objs[i])
			}
			return objs
		}
	}
	raw := memsize.PerObject(n, build(func(obj *object) { runtime.AddCleanup(obj, fn, arg) }))
	reg := memsize.PerObject(n, build(func(obj *object) { finalize.Register(obj, fn, arg) }))
	t.Logf("live bytes per object and registration: runtime.AddCleanup %.1f, Register %.1f", raw, reg)
	// One byte per registration covers the runtime's own allocations between
	// the measurements (n is large enough that a few kilobytes are < 1 B).
	if extra := reg - raw; extra > maxRegistrationBytes+1 {
		t.Errorf("a registration costs %.1f bytes more than runtime.AddCleanup, want at most %d", extra, maxRegistrationBytes)
	}
	drain(t)
}
