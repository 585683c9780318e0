package finalize

import (
	"errors"
	"runtime"
)

// ErrClosed is returned by [Owned.Close] when the resource has already been
// released.
var ErrClosed = errors.New("finalize: resource already closed")

// An Owned is the wrapper through which a program holds a resource that must
// be released once: fin(res) runs at [Owned.Close], or after the wrapper
// becomes unreachable, whichever is first. fin gets the whole resource, every
// field of it, because the cleanup is attached to the wrapper and not to the
// resource (the pattern of Python's weakref.finalize and Java's Cleaner; a
// cleanup attached to the resource itself could see only a copy of parts of
// it).
//
// The caveat of that pattern: the resource must not be used beyond the
// wrapper. If the program keeps res (from [Owned.Value] or from before [Own])
// and drops the wrapper, the wrapper is collected and fin(res) runs while res
// is still in use. Keep the wrapper reachable for as long as res is used: use
// res only through it, or call [runtime.KeepAlive] on the wrapper after the
// last use of res.
//
// An Owned is safe for concurrent use. It must not be copied: use the
// *Owned that [Own] returns; go vet's copylocks check reports a copy. The
// zero Owned owns nothing: Value returns nil and Close returns [ErrClosed].
type Owned[T any] struct {
	_   noCopy
	res *T
	h   *Handle
}

// Own returns the wrapper that owns res: fin(res) runs once, at
// [Owned.Close] or after the wrapper becomes unreachable, with the same
// guarantees and reports as [Register] (a GC run is reported as a leak). Own
// panics if res or fin is nil.
func Own[T any](res *T, fin func(*T), opts ...Option) *Owned[T] {
	switch {
	case res == nil:
		panic("finalize: Own with a nil res")
	case fin == nil:
		panic("finalize: Own with a nil fin")
	}
	o := &Owned[T]{res: res}
	o.h = register(o, fin, res, opts)
	return o
}

// Value returns the resource. It does not keep the wrapper reachable: see the
// caveat on [Owned].
func (o *Owned[T]) Value() *T { return o.res }

// Close runs fin(res) in the calling goroutine if it has not run yet, and
// returns [ErrClosed] if it has. A panic in fin is recovered and delivered to
// the panic hook ([SetPanicHook]); Close then returns nil all the same.
func (o *Owned[T]) Close() error {
	ran := o.h != nil && o.h.Run()
	// The wrapper must stay reachable across Run, which stops the runtime
	// cleanup attached to it.
	runtime.KeepAlive(o)
	if !ran {
		return ErrClosed
	}
	return nil
}
