package finalize_test

import (
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/misuse"
)

// badResource has a pointer field, so that it is never a tiny allocation,
// which GODEBUG=checkfinalizers=1 reports when it has a cleanup.
type badResource struct {
	fd int
	_  *byte
}

// TestBadInput: every exported function of the package given bad input
// returns an error matching a documented sentinel or panics with a
// "finalize: " message, as its documentation says.
func TestBadInput(t *testing.T) {
	noop := func(int) {}
	misuse.Run(t, []misuse.Case{
		{Name: "Register nil obj", Do: func() error { finalize.Register[badResource](nil, noop, 1); return nil }, Panic: "finalize: Register with a nil obj"},
		{Name: "Register nil fn", Do: func() error { finalize.Register[badResource, int](&badResource{}, nil, 1); return nil }, Panic: "finalize: Register with a nil fn"},
		{Name: "Register zero-size obj", Do: func() error { finalize.Register(&struct{}{}, noop, 1); return nil }, Panic: "finalize: Register on a zero-size object"},
		{Name: "Register arg is obj", Do: func() error {
			r := &badResource{}
			finalize.Register(r, func(*badResource) {}, r)
			return nil
		}, Panic: "finalize: Register with an arg that points into obj"},
		{Name: "Register arg points into obj", Do: func() error {
			r := &badResource{}
			finalize.Register(r, func(*int) {}, &r.fd)
			return nil
		}, Panic: "finalize: Register with an arg that points into obj"},
		{Name: "Own nil res", Do: func() error { finalize.Own[badResource](nil, func(*badResource) error { return nil }); return nil }, Panic: "finalize: Own with a nil res"},
		{Name: "Own nil release", Do: func() error { finalize.Own(&badResource{}, nil); return nil }, Panic: "finalize: Own with a nil release"},
		{Name: "Close twice", Do: func() error {
			o := finalize.Own(&badResource{}, func(*badResource) error { return nil })
			if err := o.Close(); err != nil {
				return err
			}
			return o.Close()
		}, Err: finalize.ErrClosed},
		{Name: "copied Handle", Do: func() error {
			h := *finalize.Register(&badResource{}, noop, 1)
			h.Run()
			return nil
		}, Panic: "finalize: Handle copied"},
	})
}
