package finalize_test

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// TestHandleSize checks issue 5's bound on a Handle, and the size the package
// documentation gives on 64-bit platforms.
func TestHandleSize(t *testing.T) {
	s := unsafe.Sizeof(finalize.Handle{})
	if s > 48 {
		t.Errorf("a Handle is %d bytes, want at most 48", s)
	}
	if unsafe.Sizeof(uintptr(0)) == 8 && s != 48 {
		t.Errorf("a Handle is %d bytes; the documentation says 48", s)
	}
}

// handleBytes is what one registration with a pointer-sized arg costs beyond
// runtime.AddCleanup: the Handle (48 bytes) and the arg in one allocation of
// the 64-byte size class.
const handleBytes = 64

// TestRegistrationBytes pins handleBytes with live-heap measurements, against
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
	if extra := reg - raw; math.Abs(extra-handleBytes) > 1 {
		t.Errorf("a registration costs %.1f bytes more than runtime.AddCleanup, want %d ± 1", extra, handleBytes)
	}
	drain(t)
}
