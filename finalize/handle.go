package finalize

import (
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"unsafe"
)

// A Handle is one registered cleanup, fn(arg) from [Register] or release(res)
// from [Own]. It runs at most once: when its object is collected, or at
// [Handle.Run], whichever comes first, unless [Handle.Cancel] comes before
// both. Which of the three happens is decided by one compare-and-swap on the
// handle's state, so exactly one wins however they interleave.
//
// A Handle holds fn and arg until it has run or been cancelled, then drops
// them; it never holds its object. [Register] allocates the Handle together
// with arg as one object, a few words larger than arg (see TestHandleSize
// and TestRegistrationBytes).
//
// A Handle is safe for concurrent use. It must not be copied: use the
// *Handle that Register returns, or hold the Handle in place. go vet's
// copylocks check reports copies (all but those of a dereferenced call,
// such as *Register(...)), and the methods panic when called on a copy of a
// registered Handle. The zero Handle is not registered and is inert: Run and
// Cancel return false and Pending reports false.
type Handle struct {
	_ noCopy
	// state is accessed atomically once the handle is shared. It is a plain
	// uint32, not an atomic.Uint32, so that register can set it with the rest
	// of the entry instead of with a separate atomic store.
	state uint32
	// flags is written before the handle is shared and only read afterwards.
	flags uint8
	// self is the handle's own address, set by register, so that the methods
	// can refuse a copy: a copy is not followed by its entry's arg, and
	// running it would read and clear whatever memory follows the copy (go
	// vet's copylocks check misses copies such as `x = *Register(...)`). It
	// is a uintptr, not a pointer, because heap objects do not move and the
	// GC need not trace it; this is sync.Cond's copy check.
	self uintptr
	// cleanup is the runtime cleanup that calls [collected] with this handle;
	// Run and Cancel stop it, so that nothing of a handle lingers in the
	// runtime once it has run or been cancelled.
	cleanup runtime.Cleanup
	// fn is the user's function, nil once the handle has run or been
	// cancelled. Its dynamic type, callback[T, A] or releaser[T], knows
	// where arg is.
	fn invoker
}

// Handle states. The zero state is the zero Handle's, so that one is inert.
const (
	unregistered uint32 = iota
	pending
	claimed // Run, RunAll or the GC won: fn runs or ran
	cancelled
)

// Handle flags.
const (
	atExit uint8 = 1 << iota // in the at-exit registry, see WithAtExit
	traced                   // registration stack in the trace table, see SetTracing
)

// invoker is what an untyped Handle needs from its typed registration.
//
// It is implemented by callback[T, A], the user's func(A) itself, and by
// releaser[T], the release function of [Own]: a func value is one pointer,
// so storing it in an interface allocates nothing, and the interface's type
// word is the static itab of the instantiation, which is also what tells a
// report the object's type at no cost to the Handle. The obvious
// alternative, a field holding a generic trampoline such as `invoke[A]`,
// costs an allocation per Register, because a generic function value made
// inside generic code closes over its dictionary.
type invoker interface {
	invoke(h *Handle) error // takes arg out of the entry, then calls fn(arg)
	drop(h *Handle)         // zeroes arg, for Cancel
	pc() uintptr            // fn's code address, for reports
	objType() reflect.Type  // the type of the object, for reports
	isNil() bool            // for register's check
}

// entry is the allocation behind every Handle: the Handle first, so that a
// *Handle made by [register] is also a pointer to its entry, then arg.
type entry[A any] struct {
	Handle
	arg A
}

// callback is fn of [Register] on an object of type T.
type callback[T, A any] func(A)

// entryOf returns the entry h belongs to. It is only called through h.fn,
// whose dynamic type (callback[T, A] or releaser) was set by register
// together with the entry[A] allocation, so the conversion is always to the
// real type.
func entryOf[A any](h *Handle) *entry[A] { return (*entry[A])(unsafe.Pointer(h)) }

// takeArg zeroes the entry's arg and returns it, so that a handle that has
// run holds nothing of arg, however fn ends.
func takeArg[A any](h *Handle) A {
	e := entryOf[A](h)
	arg := e.arg
	var zero A
	e.arg = zero
	return arg
}

func (f callback[T, A]) invoke(h *Handle) error {
	f(takeArg[A](h))
	return nil
}

func (callback[T, A]) drop(h *Handle)        { takeArg[A](h) }
func (f callback[T, A]) pc() uintptr         { return reflect.ValueOf(f).Pointer() }
func (callback[T, A]) objType() reflect.Type { return reflect.TypeFor[T]() }
func (f callback[T, A]) isNil() bool         { return f == nil }

// An Option configures one registration by [Register] or [Own].
//
// Options are plain values rather than functions over a config struct: a
// config passed to an unknown function escapes, which would cost every
// Register an allocation even when no option is given.
//
// The zero Option changes nothing.
type Option struct {
	atExit bool
}

// WithAtExit adds the handle to the at-exit set run by [RunAll], newest
// registration first. The handle is removed from the set as soon as it runs or
// is cancelled in any way, so closed resources do not accumulate there.
func WithAtExit() Option { return Option{atExit: true} }

// Register arranges for fn(arg) to be called once, after obj becomes
// unreachable or at [Handle.Run], whichever is first, and returns the handle
// that controls it. Objects in reference cycles are collected and their
// cleanups run, unlike with [runtime.SetFinalizer], and obj is never
// resurrected: fn sees arg, not obj. Any number of handles may be registered
// for one object; they run in no particular order.
//
// fn and arg must not reach obj: if they do, obj stays reachable through the
// runtime's reference to them and fn never runs (except by Run). Register
// panics when this is evident, that is when arg is obj, a pointer into *obj
// or a slice of it (or an interface holding one of those), and panics if obj
// or fn is nil or *obj has size zero. Other paths back to obj, such as fn
// closing over obj or arg being a struct that contains it, are found by the
// runtime's own check: run the program or its tests with
// GODEBUG=checkfinalizers=1 (Go ≥ 1.25), which reports them with the call to
// [runtime.AddCleanup] inside this package as their origin; see the package
// documentation.
//
// When the GC runs fn, it does so on a goroutine of the runtime's (Go ≥ 1.25
// may run several cleanups concurrently); a panic in fn is recovered there
// and delivered to the panic hook (see [SetPanicHook]), and the leak hook is
// told (see [SetLeakHook]). The runtime does not run cleanups at program
// exit; see [WithAtExit] and [RunAll] for that, and [Drain] to wait for
// queued ones.
//
// As with [runtime.AddCleanup], a cleanup may never run for an object that
// is not heap-allocated (a package-level variable, say) or for a tiny
// pointer-free object (smaller than 16 bytes) that shares its allocation with a
// live one; [Handle.Run] still works for those.
//
// Register is safe for concurrent use.
func Register[T, A any](obj *T, fn func(A), arg A, opts ...Option) *Handle {
	// Register must inline: one call, and the conversion to callback is
	// free.
	return register(obj, callback[T, A](fn), arg, opts)
}

// register registers fn on obj: the work of [Register] and [Own]. It is
// generic in fn's type rather than taking an invoker, so that Register's
// conversion to callback is free and Register stays small.
func register[T, A any, F invoker](obj *T, fn F, arg A, opts []Option) *Handle {
	switch {
	case obj == nil:
		panic("finalize: Register with a nil obj")
	case fn.isNil():
		panic("finalize: Register with a nil fn")
	case unsafe.Sizeof(*obj) == 0:
		panic("finalize: Register on a zero-size object, which may share its address with others: its cleanup could never run")
	}
	checkArg(obj, arg)
	var o Option
	for _, opt := range opts {
		o.atExit = o.atExit || opt.atExit
	}

	var flags uint8
	if o.atExit {
		flags |= atExit
	}
	trace := tracing.Load()
	if trace {
		flags |= traced
	}
	// Counted before the handle exists, so that every claim counted in the
	// statistics is of a registration counted before it (see ReadStats).
	counts.stripe().registered.Add(1)
	e := &entry[A]{Handle: Handle{state: pending, flags: flags, fn: fn}, arg: arg}
	h := &e.Handle
	h.self = uintptr(unsafe.Pointer(h))
	h.cleanup = runtime.AddCleanup(obj, collected, h)
	if trace {
		traceRegistration(h)
	}
	if o.atExit {
		// After h.cleanup is set: RunAll may run h from now on.
		exits.add(h)
	}
	// Until here obj is reachable, so the GC cannot run h before it is fully
	// registered (its trace stored, its at-exit entry added).
	runtime.KeepAlive(obj)
	return h
}

// checkArg panics if arg is a pointer or a slice (or an interface holding
// one) to obj or into *obj: the simple misuses that would keep obj reachable
// from its own cleanup. The runtime makes the same check for pointers in
// [runtime.AddCleanup], but it sees only the handle there, never arg.
func checkArg[T, A any](obj *T, arg A) {
	var p unsafe.Pointer
	switch reflect.TypeFor[A]().Kind() {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Slice:
		// A slice's first word is its data pointer.
		p = *(*unsafe.Pointer)(unsafe.Pointer(&arg))
	case reflect.Interface:
		v := reflect.ValueOf(any(arg))
		switch v.Kind() {
		case reflect.Pointer, reflect.UnsafePointer, reflect.Slice:
			p = v.UnsafePointer()
		default:
			return
		}
	default:
		return
	}
	start := uintptr(unsafe.Pointer(obj))
	if a := uintptr(p); a >= start && a < start+unsafe.Sizeof(*obj) {
		panic("finalize: Register with an arg that points into obj: obj would stay reachable and fn would never run")
	}
}

// collected is the runtime cleanup of every handle. It is a top-level
// function, not a closure, so that it cannot capture anything, obj included.
func collected(h *Handle) {
	if h.claim(claimed) {
		c := counts.stripe()
		c.ran.Add(1)
		c.leaked.Add(1)
		h.execute(true)
	}
}

// Run calls fn(arg) now, in the calling goroutine, if the handle is still
// pending, and reports whether it did. It returns false if the handle has
// already run (or is running, by the GC or another Run), or was cancelled. A
// panic in fn is recovered and delivered to the panic hook, and Run still
// returns true. Run does not report a leak.
//
// Keep the registered object reachable until Run returns (with
// runtime.KeepAlive after the call, as a Close method holding the object
// does): if the object is unreachable during the call, the GC may find it
// dead and claim the handle first, running fn as a leak.
func (h *Handle) Run() bool {
	ran, _ := h.run()
	return ran
}

// run is [Handle.Run], which also returns what fn returned: the error of a
// release function, or the panic of any cleanup as an error.
func (h *Handle) run() (bool, error) {
	h.checkCopy()
	if !h.claim(claimed) {
		return false, nil
	}
	// Stop removes the runtime cleanup, unless the GC has already found obj
	// unreachable and queued it: then collected finds h claimed and returns.
	h.cleanup.Stop()
	counts.stripe().ran.Add(1)
	return true, h.execute(false)
}

// Cancel makes sure fn never runs, and reports whether the handle was
// pending, that is whether this call is what prevented it. The handle drops
// fn and arg.
func (h *Handle) Cancel() bool {
	h.checkCopy()
	if !h.claim(cancelled) {
		return false
	}
	h.cleanup.Stop()
	counts.stripe().cancelled.Add(1)
	h.fn.drop(h)
	h.release()
	return true
}

// Pending reports whether fn has neither started to run nor been cancelled.
// When obj is unreachable, the GC may start fn at any moment, so a true
// result may be outdated as soon as it is returned.
func (h *Handle) Pending() bool {
	h.checkCopy()
	return atomic.LoadUint32(&h.state) == pending
}

// checkCopy panics if h is a copy of a registered handle.
func (h *Handle) checkCopy() {
	if h.self != uintptr(unsafe.Pointer(h)) && h.self != 0 {
		panic("finalize: Handle copied: use the *Handle that Register returned")
	}
}

// claim moves h from pending to state to, and reports whether it did: the
// one compare-and-swap that decides between Run, Cancel and the GC.
func (h *Handle) claim(to uint32) bool { return atomic.CompareAndSwapUint32(&h.state, pending, to) }

// execute runs fn for the goroutine that won h's state, reports what needs
// reporting, and returns fn's error, or its panic as an error. Everything
// after fn itself is deferred or follows a recover, so that the bookkeeping
// is done however fn ends (even by runtime.Goexit).
func (h *Handle) execute(byGC bool) error {
	if byGC {
		gcRuns.Add(gcRunStarted)
		defer gcRuns.Add(gcRunFinished)
	}
	defer h.release()
	p, err := h.call()
	if p == nil && !byGC {
		return err // the path of every explicit run that did not panic
	}
	if p != nil {
		counts.stripe().panicked.Add(1)
	}
	var leak func(Report)
	if byGC {
		leak = leakHandler()
	}
	if p == nil && leak == nil {
		return err
	}
	r := h.report(byGC, err, p)
	if leak != nil {
		deliver(leak, r)
	}
	if p != nil {
		deliver(panicHandler(), r)
		return &panicError{fn: r.Func, value: p.value}
	}
	return err
}

// recovered is a panic caught in fn.
type recovered struct {
	value any
	stack []byte
}

// call calls fn(arg) and returns the panic it caught, if any, or else what
// fn returned.
func (h *Handle) call() (p *recovered, err error) {
	defer func() {
		if v := recover(); v != nil {
			p = &recovered{value: v, stack: debug.Stack()}
		}
	}()
	return nil, h.fn.invoke(h)
}

// panicError is the error that [Owned.Close] and [RunAll] return for a
// cleanup that panicked. It wraps the panic value if that is an error.
type panicError struct {
	fn    string
	value any
}

func (e *panicError) Error() string {
	return fmt.Sprintf("finalize: cleanup %s panicked: %v", e.fn, e.value)
}

func (e *panicError) Unwrap() error {
	err, _ := e.value.(error)
	return err
}

// release drops what the handle still holds once it has run or been
// cancelled (arg is gone already). Only the goroutine that won h's state
// calls it.
func (h *Handle) release() {
	h.fn = nil
	if h.flags&traced != 0 {
		forgetTrace(h)
	}
	if h.flags&atExit != 0 {
		exits.remove(h)
	}
}
