package finalize_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// object is what the tests register cleanups on. It has pointer fields and is
// larger than 16 bytes, so it is never a tiny allocation, whose cleanup might
// not run (and which GODEBUG=checkfinalizers=1 reports).
type object struct {
	name string
	peer *object
	_    [2]int
}

// drain calls finalize.Drain with gctest's deadline and fails t if it does not
// return nil. It takes gctest.TB so that rapid's *T can use it too.
func drain(t gctest.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), gctest.Timeout)
	defer cancel()
	if err := finalize.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
}

// reports collects what the leak and panic hooks are told.
type reports struct {
	mu     sync.Mutex
	leaks  []finalize.Report
	panics []finalize.Report
}

// hooks drains what earlier tests left queued, installs hooks that record
// into the returned reports, and restores the previous hooks when t ends.
func hooks(t testing.TB) *reports {
	t.Helper()
	drain(t)
	r := new(reports)
	prevLeak := finalize.SetLeakHook(func(rep finalize.Report) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.leaks = append(r.leaks, rep)
	})
	prevPanic := finalize.SetPanicHook(func(rep finalize.Report) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.panics = append(r.panics, rep)
	})
	t.Cleanup(func() {
		finalize.SetLeakHook(prevLeak)
		finalize.SetPanicHook(prevPanic)
	})
	return r
}

func (r *reports) snapshot() (leaks, panics []finalize.Report) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.leaks), slices.Clone(r.panics)
}

// counter logs the calls of its add method, in order: the cleanup function
// most tests register. A *counter argument never reaches the object.
type counter struct {
	mu    sync.Mutex
	calls []string
}

func (c *counter) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, name)
}

func (c *counter) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.calls {
		if s == name {
			n++
		}
	}
	return n
}

// all returns the calls so far, oldest first.
func (c *counter) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}
