package finalize

import (
	"errors"
	"reflect"
	"runtime"
)

// ErrClosed is returned by [Owned.Close] when the resource has already been
// released.
var ErrClosed = errors.New("finalize: resource already closed")

// An Owned is the wrapper through which a program holds a resource that must
// be released once: release(res) runs at [Owned.Close], or after the wrapper
// becomes unreachable, whichever is first. release gets the whole resource,
// every field of it, because the cleanup is attached to the wrapper and not
// to the resource (the pattern of Python's weakref.finalize and Java's
// Cleaner; a cleanup attached to the resource itself could see only a copy
// of parts of it).
//
// The caveat of that pattern: the resource must not be used beyond the
// wrapper. If the program keeps res (from [Owned.Value] or from before [Own])
// and drops the wrapper, the wrapper is collected and release(res) runs
// while res is still in use. Keep the wrapper reachable for as long as res is
// used: use res only through it, or call [runtime.KeepAlive] on the wrapper
// after the last use of res.
//
// An Owned is safe for concurrent use. It must not be copied: use the
// *Owned that [Own] returns; go vet's copylocks check reports a copy. The
// zero Owned owns nothing: Value returns nil and Close returns [ErrClosed].
type Owned[T any] struct {
	_   noCopy
	res *T
	h   *Handle
}

// Own returns the wrapper that owns res: release(res) runs once, at
// [Owned.Close] or after the wrapper becomes unreachable, with the same
// guarantees and reports as [Register]. Close returns release's error; when
// the GC runs release instead, because the wrapper was dropped unclosed, the
// run is reported as a leak ([SetLeakHook]) and the error goes with it, in
// [Report.Err]. Reports name T as the type. Own panics if res or release is
// nil.
func Own[T any](res *T, release func(*T) error, opts ...Option) *Owned[T] {
	switch {
	case res == nil:
		panic("finalize: Own with a nil res")
	case release == nil:
		panic("finalize: Own with a nil release")
	}
	o := &Owned[T]{res: res}
	o.h = register(o, releaser[T](release), res, opts)
	return o
}

// releaser is the release function of [Own], registered on the wrapper with
// the resource as arg.
type releaser[T any] func(*T) error

func (f releaser[T]) invoke(h *Handle) error { return f(takeArg[*T](h)) }
func (releaser[T]) drop(h *Handle)           { takeArg[*T](h) }
func (f releaser[T]) pc() uintptr            { return reflect.ValueOf(f).Pointer() }
func (releaser[T]) objType() reflect.Type    { return reflect.TypeFor[T]() }
func (f releaser[T]) isNil() bool            { return f == nil }

// Value returns the resource. It does not keep the wrapper reachable: see the
// caveat on [Owned].
func (o *Owned[T]) Value() *T { return o.res }

// Close runs release(res) in the calling goroutine if it has not run yet, and
// returns its error; it returns [ErrClosed] if release has run or is running
// (a concurrent Close does not wait for it). A panic in release is recovered
// and delivered to the panic hook ([SetPanicHook]), and Close returns an
// error that says so, which wraps the panic value if that is an error.
func (o *Owned[T]) Close() error {
	if o.h == nil {
		return ErrClosed
	}
	ran, err := o.h.run()
	// The wrapper must stay reachable across run, which stops the runtime
	// cleanup attached to it.
	runtime.KeepAlive(o)
	if !ran {
		return ErrClosed
	}
	return err
}
