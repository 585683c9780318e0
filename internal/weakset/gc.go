package weakset

import (
	"runtime"
	"sync"
	"weak"
)

// The sets are swept after every garbage collection by the cleanup of a
// sentinel object that dies in it and arms the next one. The list holds the
// sets weakly, so that a set nobody uses any more is collected (and
// dropped from the list at the next sweep).
var (
	sweepMu sync.Mutex
	sweeps  []func() bool // each sweeps one set and reports whether it lives
	hooks   []func()
	arm     sync.Once
)

// AfterEachGC calls fn after every garbage collection from now on, on a
// goroutine of the runtime's cleanups, after the sets are swept: fn must be
// quick and must not block. intern empties its front with it.
func AfterEachGC(fn func()) {
	sweepMu.Lock()
	hooks = append(hooks, fn)
	sweepMu.Unlock()
	arm.Do(armSentinel)
}

func sweepAfterEachGC[T any](wp weak.Pointer[Set[T]]) {
	sweepMu.Lock()
	sweeps = append(sweeps, func() bool {
		s := wp.Value()
		if s != nil {
			s.sweep()
		}
		return s != nil
	})
	sweepMu.Unlock()
	arm.Do(armSentinel)
}

// sentinel has a pointer field so that it is never a tiny (batched)
// allocation, whose cleanup might never run.
type sentinel struct{ _ *byte }

func armSentinel() {
	runtime.AddCleanup(new(sentinel), func(struct{}) {
		afterGC()
		armSentinel()
	}, struct{}{})
}

func afterGC() {
	sweepMu.Lock()
	defer sweepMu.Unlock()
	live := sweeps[:0]
	for _, sweep := range sweeps {
		if sweep() {
			live = append(live, sweep)
		}
	}
	clear(sweeps[len(live):])
	sweeps = live
	for _, fn := range hooks {
		fn()
	}
}
