package finalize_test

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"
	"weak"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// dropped registers c.add(name) on a new object that nobody keeps.
func dropped(c *counter, name string, opts ...finalize.Option) *finalize.Handle {
	return finalize.Register(&object{name: name}, c.add, name, opts...)
}

func TestRunRunsOnceAndNotAgainByGC(t *testing.T) {
	r := hooks(t)
	var c counter
	obj := &object{}
	h := finalize.Register(obj, c.add, "a")
	if !h.Pending() {
		t.Fatal("a new handle is not pending")
	}
	if !h.Run() {
		t.Fatal("first Run returned false")
	}
	if n := c.count("a"); n != 1 {
		t.Fatalf("after Run, fn ran %d times", n)
	}
	if h.Pending() || h.Run() || h.Cancel() {
		t.Fatalf("after Run: Pending, a second Run or a Cancel returned true")
	}

	runtime.KeepAlive(obj)
	obj = nil
	drain(t)
	if n := c.count("a"); n != 1 {
		t.Errorf("after Run and a collection, fn ran %d times", n)
	}
	if leaks, panics := r.snapshot(); len(leaks)+len(panics) != 0 {
		t.Errorf("an explicit Run was reported: leaks %v, panics %v", leaks, panics)
	}
}

func TestCancelPreventsEveryRun(t *testing.T) {
	r := hooks(t)
	var c counter
	obj := &object{}
	h := finalize.Register(obj, c.add, "a")
	if !h.Cancel() {
		t.Fatal("first Cancel returned false")
	}
	if h.Pending() || h.Cancel() || h.Run() {
		t.Fatalf("after Cancel: Pending, a second Cancel or a Run returned true")
	}
	runtime.KeepAlive(obj)
	obj = nil
	drain(t)
	if n := c.count("a"); n != 0 {
		t.Errorf("a cancelled fn ran %d times", n)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 0 {
		t.Errorf("a cancelled handle was reported: %v", leaks)
	}
}

func TestGCRunsOnceAndReportsLeak(t *testing.T) {
	r := hooks(t)
	var c counter
	h := dropped(&c, "a")
	drain(t)
	if n := c.count("a"); n != 1 {
		t.Fatalf("after Drain, fn ran %d times, want 1", n)
	}
	if h.Pending() || h.Run() || h.Cancel() {
		t.Fatalf("after the GC ran it: Pending, Run or Cancel returned true")
	}
	drain(t)
	if n := c.count("a"); n != 1 {
		t.Errorf("after a second Drain, fn ran %d times", n)
	}
	leaks, panics := r.snapshot()
	if len(leaks) != 1 || len(panics) != 0 {
		t.Fatalf("got %d leak and %d panic reports, want 1 and 0", len(leaks), len(panics))
	}
	want := finalize.Report{Func: "github.com/seed5da3ae9a/flyweight/finalize_test.(*counter).add-fm", Collected: true}
	if got := leaks[0]; got.Func != want.Func || !got.Collected || got.Registered != "" || got.Panic != nil || got.PanicStack != nil {
		t.Errorf("leak report %+v, want %+v (no registration stack: tracing is off by default)", got, want)
	}
}

func TestManyHandlesPerObject(t *testing.T) {
	hooks(t)
	var c counter
	obj := &object{}
	hs := []*finalize.Handle{
		finalize.Register(obj, c.add, "run"),
		finalize.Register(obj, c.add, "cancel"),
		finalize.Register(obj, c.add, "gc"),
		finalize.Register(obj, c.add, "gc"),
		finalize.Register(obj, c.add, "gc"),
	}
	if !hs[0].Run() || !hs[1].Cancel() {
		t.Fatal("Run or Cancel of a pending handle returned false")
	}
	drain(t)
	if n := c.count("gc"); n != 0 {
		t.Fatalf("%d cleanups ran while obj was reachable", n)
	}
	runtime.KeepAlive(obj)
	obj = nil
	drain(t)
	for name, want := range map[string]int{"run": 1, "cancel": 0, "gc": 3} {
		if n := c.count(name); n != want {
			t.Errorf("%s: fn ran %d times, want %d", name, n, want)
		}
	}
	for i, h := range hs {
		if h.Pending() {
			t.Errorf("handle %d still pending", i)
		}
	}
}

// ring returns the first of n objects that point to each other in a cycle.
func ring(n int) *object {
	first := &object{}
	o := first
	for range n - 1 {
		o.peer = &object{}
		o = o.peer
	}
	o.peer = first
	return first
}

func TestCyclesAreCollected(t *testing.T) {
	hooks(t)
	var c counter
	func() {
		self := &object{}
		self.peer = self
		finalize.Register(self, c.add, "self")

		pair := ring(2)
		finalize.Register(pair, c.add, "pair")
		finalize.Register(pair.peer, c.add, "pair")

		o := ring(10)
		for range 10 {
			finalize.Register(o, c.add, "ring")
			o = o.peer
		}
	}()
	drain(t)
	for name, want := range map[string]int{"self": 1, "pair": 2, "ring": 10} {
		if n := c.count(name); n != want {
			t.Errorf("%s: %d cleanups ran, want %d", name, n, want)
		}
	}
}

// setFinalizerCycles is how many collections TestSetFinalizerNeverRunsOnCycles
// gives a finalizer that must never run. A finalizer that can run is queued by
// the first collection that finds its object unreachable; the test checks that
// with an acyclic object first.
const setFinalizerCycles = 5

// TestSetFinalizerNeverRunsOnCycles documents why the package exists: the
// shape of TestCyclesAreCollected with runtime.SetFinalizer leaks, objects and
// finalizer, for the life of the process.
func TestSetFinalizerNeverRunsOnCycles(t *testing.T) {
	if checkfinalizers() {
		t.Skip("GODEBUG=checkfinalizers reports a finalizer on a cycle and stops the process; the runs without it cover this test")
	}
	var acyclic, cyclic atomic.Int32
	func() {
		runtime.SetFinalizer(&object{}, func(*object) { acyclic.Add(1) })
		runtime.SetFinalizer(ring(2), func(*object) { cyclic.Add(1) })
	}()
	gctest.Until(t, "the finalizer of an acyclic object", func() bool { return acyclic.Load() == 1 })
	for range setFinalizerCycles {
		gctest.Cycle(gctest.Timeout)
	}
	if n := cyclic.Load(); n != 0 {
		t.Errorf("a finalizer on a cycle ran %d times; SetFinalizer's documented limitation no longer holds", n)
	}
}

func TestRegisterRejectsMisuse(t *testing.T) {
	type inner struct{ x, y int64 }
	type outer struct {
		a inner
		b inner
	}
	o := &outer{}
	obj := &object{}
	cases := []struct {
		name string
		call func()
		want string
	}{
		{"nil obj", func() { finalize.Register[object](nil, func(int) {}, 1) }, "finalize: Register with a nil obj"},
		{"nil fn", func() { finalize.Register[object, int](obj, nil, 1) }, "finalize: Register with a nil fn"},
		{"arg is obj", func() { finalize.Register(obj, func(*object) {}, obj) }, "points into obj"},
		{"arg is obj as any", func() { finalize.Register(obj, func(any) {}, any(obj)) }, "points into obj"},
		{"arg is obj as unsafe.Pointer", func() { finalize.Register(obj, func(unsafe.Pointer) {}, unsafe.Pointer(obj)) }, "points into obj"},
		{"arg points to a field", func() { finalize.Register(o, func(*inner) {}, &o.b) }, "points into obj"},
		{"zero-size obj", func() { finalize.Register(&struct{}{}, func(int) {}, 1) }, "zero-size object"},
		{"Own with nil res", func() { finalize.Own[object](nil, func(*object) {}) }, "finalize: Own with a nil res"},
		{"Own with nil fin", func() { finalize.Own(obj, nil) }, "finalize: Own with a nil fin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "finalize: ") || !strings.Contains(msg, tc.want) {
					t.Errorf("panic %q, want one with the prefix \"finalize: \" that contains %q", msg, tc.want)
				}
			}()
			tc.call()
		})
	}
	runtime.KeepAlive(o)
	runtime.KeepAlive(obj)
}

func TestRegisterAcceptsArgsThatDoNotReachObj(t *testing.T) {
	hooks(t)
	var ran atomic.Int32
	obj, other := &object{}, &object{}
	hs := []*finalize.Handle{
		finalize.Register(obj, func(*object) { ran.Add(1) }, other),
		finalize.Register(obj, func(any) { ran.Add(1) }, any(other)),
		finalize.Register(obj, func(any) { ran.Add(1) }, any(42)),
		finalize.Register(obj, func(unsafe.Pointer) { ran.Add(1) }, unsafe.Pointer(other)),
		finalize.Register(obj, func(object) { ran.Add(1) }, object{name: "copy"}),
	}
	for _, h := range hs {
		h.Run()
	}
	if n := ran.Load(); n != int32(len(hs)) {
		t.Errorf("%d of %d cleanups ran", n, len(hs))
	}
	runtime.KeepAlive(obj)
}

func TestZeroHandleIsInert(t *testing.T) {
	var h finalize.Handle
	if h.Pending() || h.Run() || h.Cancel() {
		t.Error("the zero Handle: Pending, Run or Cancel returned true")
	}
}

// TestFinishedHandleHoldsNothing checks that a handle the program keeps does
// not keep its arg alive once it has run or been cancelled.
func TestFinishedHandleHoldsNothing(t *testing.T) {
	for name, finish := range map[string]func(*finalize.Handle) bool{
		"Run":    (*finalize.Handle).Run,
		"Cancel": (*finalize.Handle).Cancel,
	} {
		t.Run(name, func(t *testing.T) {
			obj := &object{}
			arg := &object{name: "arg"}
			w := weak.Make(arg)
			h := finalize.Register(obj, func(*object) {}, arg)
			arg = nil
			if !finish(h) {
				t.Fatalf("%s returned false", name)
			}
			gctest.Until(t, "the arg of a finished handle to be collected", func() bool { return w.Value() == nil })
			runtime.KeepAlive(h)
			runtime.KeepAlive(obj)
		})
	}
}
