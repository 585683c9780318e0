package finalize

import (
	"cmp"
	"errors"
	"slices"
	"sync"
)

// exits is the at-exit registry: every pending handle registered with
// [WithAtExit], with its registration sequence number. It holds the handles,
// never their objects (a handle never references its object), so it keeps
// nothing collectable alive.
var exits registry

type registry struct {
	mu  sync.Mutex
	seq uint64
	m   map[*Handle]uint64
}

func (r *registry) add(h *Handle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = make(map[*Handle]uint64)
	}
	r.seq++
	r.m[h] = r.seq
}

func (r *registry) remove(h *Handle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, h)
}

// newestFirst returns the registered handles, most recently registered first.
func (r *registry) newestFirst() []*Handle {
	type item struct {
		h   *Handle
		seq uint64
	}
	r.mu.Lock()
	items := make([]item, 0, len(r.m))
	for h, seq := range r.m {
		items = append(items, item{h, seq})
	}
	r.mu.Unlock()
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(b.seq, a.seq) })
	hs := make([]*Handle, len(items))
	for i, it := range items {
		hs[i] = it.h
	}
	return hs
}

// RunAll runs every pending handle registered with [WithAtExit], newest
// registration first (as deferred calls and Python's atexit do), each as by
// [Handle.Run], in the calling goroutine, and returns how many it ran and the
// errors of the release functions of [Own] among them, joined with
// [errors.Join] (nil if there were none). A cleanup that panicked adds an
// error that says so (the panic also goes to the panic hook). Handles
// registered while RunAll runs are left for a later call.
//
// The runtime runs no cleanups at program exit; call RunAll at the end of
// main, or on the shutdown path, to release what must be released even then
// (temporary files, locks, buffered output).
//
// RunAll is safe for concurrent use: a handle run by another goroutine at the
// same time runs once, and is counted by whichever call ran it.
func RunAll() (n int, err error) {
	var errs []error
	for _, h := range exits.newestFirst() {
		ran, err := h.run()
		if ran {
			n++
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
