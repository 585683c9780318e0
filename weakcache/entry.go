package weakcache

import (
	"runtime"
	"weak"

	"github.com/puzpuzpuz/xsync/v3"
)

// entry is what the map holds for a key: a weak pointer to the value and the
// cleanup attached to the value. It is stored in the map by value, so that an
// insert allocates only the map's own node (xsync's entries are immutable:
// every insert or update allocates one).
//
// An entry leaves the map in one of two ways:
//   - removed while its value is alive (Delete, CompareAndDelete, an
//     overwriting Store): the cleanup is stopped, so cleanups do not pile up on
//     long-lived values that were deleted or replaced;
//   - removed because its value was collected (by the value's cleanup, or by
//     any operation that comes across the dead entry first): Stats.Collected
//     counts it.
//
// Every removal is done by an atomic xsync operation that reports the entry it
// removed, so whoever removed an entry is the only one to release it.
type entry[V any] struct {
	wp      weak.Pointer[V]
	cleanup runtime.Cleanup
}

// cleanupArg is the argument of the cleanup attached to a stored value. It
// holds the key and the weak pointer of the entry (to recognise that entry),
// and nothing that references the value or the cache: the function the cleanup
// calls (state.collect) reaches the cache's state through a weak pointer.
type cleanupArg[K comparable, V any] struct {
	key K
	wp  weak.Pointer[V]
}

// track makes the entry for storing v under k: a weak pointer to v and a
// cleanup that removes the entry once v is collected. The cleanup is harmless
// if the entry never makes it into the map: it only removes an entry that
// holds this very weak pointer.
func (s *state[K, V]) track(k K, v *V) entry[V] {
	wp := weak.Make(v)
	return entry[V]{wp: wp, cleanup: runtime.AddCleanup(v, s.collect, cleanupArg[K, V]{key: k, wp: wp})}
}

// newCollector returns the cleanup function of a cache's values. It is made
// once per cache state, in newState, and holds only a weak pointer to the
// state, so that values do not keep the cache alive: a cleanup that runs
// after the state was collected does nothing. (Passing a generic function or
// a method value to runtime.AddCleanup instead would allocate a closure on
// every store.)
//
// The state, not the Cache struct, is what the cleanups reference and what
// stopCleanups watches: every copy of a Cache shares one state, so a copy
// keeps it alive and working after the original is dropped.
func newCollector[K comparable, V any](self weak.Pointer[state[K, V]]) func(cleanupArg[K, V]) {
	return func(a cleanupArg[K, V]) {
		if s := self.Value(); s != nil {
			s.removeDead(a.key, a.wp)
		}
	}
}

// stopCleanups stops the cleanups of the entries in m, the map of a cache
// state that was collected. It is the state's own cleanup: without it, values
// that outlive a dropped cache would each keep a cleanup (and its key) until
// they die, and a program that makes short-lived caches over long-lived
// values would pile them up. A cleanup that has already been queued (its
// value died) is not stopped, and finds no state when it runs.
func stopCleanups[K comparable, V any](m *xsync.MapOf[K, entry[V]]) {
	m.Range(func(_ K, e entry[V]) bool {
		e.cleanup.Stop()
		return true
	})
}

// removeDead removes the entry for k if it still holds wp and wp's value has
// been collected. It runs from a value's cleanup, and from any operation that
// finds a dead entry (a dead entry is a miss and is removed on sight).
func (s *state[K, V]) removeDead(k K, wp weak.Pointer[V]) {
	// Most cleanups find the entry they were made for; the lock-free check
	// spares the bucket lock when a newer entry replaced it.
	if e, ok := s.m.Load(k); !ok || e.wp != wp {
		return
	}
	removed := false
	s.m.Compute(k, func(old entry[V], loaded bool) (entry[V], bool) {
		if loaded && old.wp == wp && wp.Value() == nil {
			removed = true
			return old, true
		}
		// Keep what is there (a newer entry, stored since the check
		// above), or insert nothing.
		return old, !loaded
	})
	if removed {
		s.collected()
	}
}

// release is called by whoever removed or overwrote old. A live value's
// cleanup is stopped; a dead value counts as collected.
func (s *state[K, V]) release(old entry[V]) {
	v := old.wp.Value()
	if v == nil {
		// Its cleanup is queued or will be; it finds no entry holding
		// old.wp and does nothing.
		s.collected()
		return
	}
	// Stop is only guaranteed to remove the cleanup while the value is
	// reachable, which v ensures until after the call.
	old.cleanup.Stop()
	runtime.KeepAlive(v)
}

func (s *state[K, V]) collected() {
	s.stats.local().collected.Add(1)
}
