package finalize_test

import (
	"context"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"
	"weak"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/gcwait"
)

// dropped registers c.add(name) on a new object that nobody keeps.
func dropped(c *counter, name string, opts ...finalize.Option) *finalize.Handle {
	return finalize.Register(&object{name: name}, c.add, name, opts...)
}

// finishes are the two explicit ends of a handle, with how many times each
// runs fn.
var finishes = []struct {
	name   string
	finish func(*finalize.Handle) bool
	runs   int
}{
	{"Run", (*finalize.Handle).Run, 1},
	{"Cancel", (*finalize.Handle).Cancel, 0},
}

// TestRunAndCancelAreFinal checks that after Run or Cancel nothing runs fn
// again, not Run, not Cancel, not the collection of the object, and that
// neither is reported.
func TestRunAndCancelAreFinal(t *testing.T) {
	for _, f := range finishes {
		t.Run(f.name, func(t *testing.T) {
			r := hooks(t)
			var c counter
			obj := &object{}
			h := finalize.Register(obj, c.add, "a")
			if !h.Pending() {
				t.Fatal("a new handle is not pending")
			}
			if !f.finish(h) {
				t.Fatalf("the first %s returned false", f.name)
			}
			if n := c.count("a"); n != f.runs {
				t.Fatalf("after %s, fn ran %d times, want %d", f.name, n, f.runs)
			}
			if h.Pending() || h.Run() || h.Cancel() {
				t.Fatalf("after %s: Pending, Run or Cancel returned true", f.name)
			}

			w := weak.Make(obj)
			obj = nil
			gctest.Until(t, "the object to be collected", func() bool { return w.Value() == nil })
			drain(t)
			if n := c.count("a"); n != f.runs {
				t.Errorf("after %s and the object's collection, fn ran %d times, want %d", f.name, n, f.runs)
			}
			if leaks, panics := r.snapshot(); len(leaks)+len(panics) != 0 {
				t.Errorf("after %s: leak reports %v, panic reports %v, want none", f.name, leaks, panics)
			}
		})
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
	want := finalize.Report{Type: reflect.TypeFor[object](), Func: "github.com/seed5da3ae9a/flyweight/finalize_test.(*counter).add-fm", Collected: true}
	if got := leaks[0]; got.Type != reflect.TypeFor[object]() || got.Func != want.Func || !got.Collected || got.Registered != "" || got.Panic != nil || got.PanicStack != nil {
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
// gives a finalizer that must never run. One is enough for a finalizer that
// can run: the first collection that finds its object unreachable queues it.
const setFinalizerCycles = 3

// TestSetFinalizerNeverRunsOnCycles documents why the package exists: the
// shape of TestCyclesAreCollected with runtime.SetFinalizer leaks, objects and
// finalizer, for the life of the process. The runtime never runs it, so the
// check cannot fail by chance; an acyclic control shows that finalizers do
// run in this process, so that it cannot pass for want of time either.
func TestSetFinalizerNeverRunsOnCycles(t *testing.T) {
	gctest.SkipIfCheckingFinalizers(t, "reports a finalizer on a cycle and stops the process")
	var acyclic, cyclic atomic.Int32
	func() {
		runtime.SetFinalizer(&object{}, func(*object) { acyclic.Add(1) })
		runtime.SetFinalizer(ring(2), func(*object) { cyclic.Add(1) })
	}()
	for range setFinalizerCycles {
		collectFinalizers(t)
	}
	// Where the runtime counts finalizers, the control has run by now;
	// elsewhere this waits for it, up to gctest.Timeout.
	gctest.Until(t, "the finalizer of an acyclic object", func() bool { return acyclic.Load() == 1 })
	if n := cyclic.Load(); n != 0 {
		t.Errorf("a finalizer on a cycle ran %d times; SetFinalizer's documented limitation no longer holds", n)
	}
}

// collectFinalizers runs a collection (gctest.Cycle) and then waits, up to
// gctest.Timeout, until every finalizer queued so far has run, where the
// runtime counts finalizers (Go ≥ 1.26); on earlier runtimes it only collects.
func collectFinalizers(t *testing.T) {
	t.Helper()
	gctest.Collect(t)
	s := []metrics.Sample{{Name: "/gc/finalizers/queued:finalizers"}, {Name: "/gc/finalizers/executed:finalizers"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	queued := s[0].Value.Uint64()
	ctx, cancel := context.WithTimeout(context.Background(), gctest.Timeout)
	defer cancel()
	err := gcwait.Poll(ctx, func() bool {
		metrics.Read(s)
		return s[1].Value.Uint64() >= queued
	})
	if err != nil {
		t.Fatalf("the queued finalizers did not run: %v", err)
	}
}

func TestRegisterRejectsMisuse(t *testing.T) {
	type inner struct{ _, _ int64 }
	type outer struct {
		_ inner
		b inner
	}
	o := &outer{}
	obj := &object{}
	arr := &[4]int64{}
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
		{"arg is a slice of obj", func() { finalize.Register(arr, func([]int64) {}, arr[2:3]) }, "points into obj"},
		{"arg is a slice of obj as any", func() { finalize.Register(arr, func(any) {}, any(arr[:])) }, "points into obj"},
		{"zero-size obj", func() { finalize.Register(&struct{}{}, func(int) {}, 1) }, "zero-size object"},
		{"Own with nil res", func() { finalize.Own[object](nil, func(*object) error { return nil }) }, "finalize: Own with a nil res"},
		{"Own with nil release", func() { finalize.Own(obj, nil) }, "finalize: Own with a nil release"},
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
	runtime.KeepAlive(arr)
}

func TestRegisterAcceptsArgsThatDoNotReachObj(t *testing.T) {
	hooks(t)
	var ran atomic.Int32
	obj, other := &object{}, &object{}
	arr, otherArr := &[4]int64{}, &[4]int64{}
	hs := []*finalize.Handle{
		finalize.Register(obj, func(*object) { ran.Add(1) }, other),
		finalize.Register(obj, func(any) { ran.Add(1) }, any(other)),
		finalize.Register(obj, func(any) { ran.Add(1) }, any(42)),
		finalize.Register(obj, func(unsafe.Pointer) { ran.Add(1) }, unsafe.Pointer(other)),
		finalize.Register(obj, func(object) { ran.Add(1) }, object{name: "copy"}),
		finalize.Register(arr, func([]int64) { ran.Add(1) }, otherArr[:]),
		finalize.Register(arr, func([]int64) { ran.Add(1) }, nil),
		finalize.Register(arr, func(any) { ran.Add(1) }, any(otherArr[1:])),
	}
	for _, h := range hs {
		h.Run()
	}
	if n := ran.Load(); n != int32(len(hs)) {
		t.Errorf("%d of %d cleanups ran", n, len(hs))
	}
	runtime.KeepAlive(obj)
	runtime.KeepAlive(arr)
}

// TestZeroHandleIsInert checks that the zero Handle, alone or as a field in
// place, is not pending and that Run and Cancel do nothing on it, however
// often they are called.
func TestZeroHandleIsInert(t *testing.T) {
	var h finalize.Handle
	var holder struct {
		_ int
		h finalize.Handle
	}
	for _, h := range []*finalize.Handle{&h, &holder.h} {
		for range 2 {
			if h.Pending() || h.Run() || h.Cancel() {
				t.Error("the zero Handle: Pending, Run or Cancel returned true")
			}
		}
	}
}

// TestCopiedHandlePanics checks that the methods of a copy of a registered
// Handle panic instead of running fn with whatever follows the copy in
// memory, and that the copy leaves the handle it was made from intact. go vet
// does not report the copies below.
func TestCopiedHandlePanics(t *testing.T) {
	r := hooks(t)
	var c counter
	methods := map[string]func(*finalize.Handle) bool{
		"Run":     (*finalize.Handle).Run,
		"Cancel":  (*finalize.Handle).Cancel,
		"Pending": (*finalize.Handle).Pending,
	}
	for name, method := range methods {
		t.Run(name, func(t *testing.T) {
			// The misuse: a Handle field assigned from Register's result,
			// followed by a field that a copy would hand to fn as its arg.
			var holder struct {
				h    finalize.Handle
				next *object
			}
			holder.next = &object{name: "next"}
			holder.h = *dropped(&c, "original")
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "finalize: Handle copied") {
					t.Errorf("%s of a copy: panic %q, want \"finalize: Handle copied...\"", name, msg)
				}
				if holder.next == nil || holder.next.name != "next" {
					t.Errorf("%s of a copy changed the field after it: %+v", name, holder.next)
				}
			}()
			method(&holder.h)
		})
	}
	// The originals are still pending: the GC runs each of them once.
	drain(t)
	if n := c.count("original"); n != len(methods) {
		t.Errorf("the GC ran %d of the %d original handles", n, len(methods))
	}
	if leaks, _ := r.snapshot(); len(leaks) != len(methods) {
		t.Errorf("%d leak reports, want %d", len(leaks), len(methods))
	}
}

// TestFinishedHandleHoldsNothing checks that once a handle has run or been
// cancelled, neither the handle nor the runtime keeps its arg alive, and the
// runtime does not keep the handle alive, although its object lives on: Run
// and Cancel stop the runtime cleanup.
func TestFinishedHandleHoldsNothing(t *testing.T) {
	for _, f := range finishes {
		t.Run(f.name, func(t *testing.T) {
			obj := &object{}
			arg := &object{name: "arg"}
			argGone := weak.Make(arg)
			h := finalize.Register(obj, func(*object) {}, arg)
			arg = nil
			if !f.finish(h) {
				t.Fatalf("%s returned false", f.name)
			}
			gctest.Until(t, "the arg of a finished handle the program keeps to be collected", func() bool { return argGone.Value() == nil })
			handleGone := weak.Make(h)
			h = nil
			gctest.Until(t, "a finished handle to be collected while its object lives", func() bool { return handleGone.Value() == nil })
			runtime.KeepAlive(obj)
		})
	}
}
