package weakcache

import (
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/seed5da3ae9a/flyweight/internal/stripe"
)

// LoadOrCompute returns the live value stored for k. If there is none, it
// calls build, stores the value build returns and returns it.
//
// At most one build runs at a time for a key. Callers that find a build for
// their key in progress wait for it and get its result: the same pointer, or
// the same error. build runs in the calling goroutine and under no lock of the
// cache, so it may use the cache freely, except that it must not call
// LoadOrCompute for the same key, which would wait for itself forever.
//
// If build returns an error, nothing is stored, and LoadOrCompute returns nil
// and that error. If build panics, nothing is stored, the panic propagates to
// the caller whose build panicked, and callers that were waiting for that
// build try again (one of them then runs its own build). build must not return
// a nil value with a nil error; LoadOrCompute panics if it does, and if
// build is nil.
//
// If another goroutine stores a live value for k while build runs (with
// [Cache.Store] or [Cache.LoadOrStore]), that value wins: LoadOrCompute
// returns it, and the value build returned is not stored.
func (c *Cache[K, V]) LoadOrCompute(k K, build func() (*V, error)) (*V, error) {
	if build == nil {
		panic(fmt.Sprintf("weakcache: LoadOrCompute(%v) with a nil build function", k))
	}
	if v, ok := c.lookup(k, false); ok {
		return v, nil
	}
	s := c.s.Load() // set by lookup
	if k != k {
		// A key not equal to itself (a NaN) is never found again, in the
		// cache or in the table of builds in progress, which could not
		// even remove it: its build runs alone, outside the table, and
		// its value is not stored (see Cache).
		s.missed()
		return s.build(k, nil, nil, build)
	}
	sh := s.flights.shard(k)
	for {
		sh.mu.Lock()
		// A build publishes its value before it leaves the flight table,
		// so a build that finished since the lookup above is seen here.
		// (peek rather than lookup: under sh.mu it only looks; a dead
		// entry is replaced by the build's publish or removed by its
		// value's cleanup.)
		if v := s.peek(k); v != nil {
			sh.mu.Unlock()
			s.hit(v)
			return v, nil
		}
		if f := sh.calls[k]; f != nil {
			f.waiters++
			sh.mu.Unlock()
			f.done.Wait()
			if f.val == nil && f.err == nil {
				continue // the build panicked
			}
			s.missed()
			return f.val, f.err
		}
		f := sh.start(k)
		sh.mu.Unlock()
		s.missed()
		return s.build(k, sh, f, build)
	}
}

// peek returns the live value of k, or nil, and changes nothing.
func (s *state[K, V]) peek(k K) *V {
	if e, ok := s.m.Load(k); ok {
		return e.wp.Value()
	}
	return nil
}

// build runs the build function of flight f (on shard sh; both nil for a
// build outside the flight table) and publishes its outcome. The deferred
// finish also runs if the build panics, so that a panic never wedges the
// key: the flight leaves the table and its waiters wake up (and retry, since
// they find no result) while the panic goes on to build's caller.
func (s *state[K, V]) build(k K, sh *flightShard[K, V], f *flight[V], fn func() (*V, error)) (*V, error) {
	var res *V
	var resErr error
	defer func() {
		if sh != nil {
			sh.finish(k, f, res, resErr)
		}
	}()
	v, err := fn()
	switch {
	case err != nil:
		resErr = err
	case v == nil:
		panic(fmt.Sprintf("weakcache: LoadOrCompute(%v): build returned a nil value and a nil error", k))
	default:
		res, _ = s.publish(k, v)
	}
	return res, resErr
}

// flights is the table of LoadOrCompute builds in progress, singleflight
// style: a build registers a flight under its key, later callers for the key
// wait on it, and the builder wakes them with the result.
//
// Why a table of its own rather than a placeholder under the key in the
// cache's map: xsync runs Compute callbacks under a bucket lock and does not
// unlock on panic, so the build cannot run inside the map; a placeholder would
// then cost a map node for itself and another one for the final entry, plus the
// flight. Here a flight that nobody waited for is reused by the next build on
// its shard, and Go maps reuse their slots, so a miss without contention
// allocates nothing beyond the value's entry (see TestLoadOrComputeMissAllocs).
// The map also never holds anything but real entries, which keeps Load, All and
// Len simple. The shard mutex guards bookkeeping only; no user code runs under
// it.
type flights[K comparable, V any] struct {
	seed   maphash.Seed
	shards []flightShard[K, V]
}

type flightShard[K comparable, V any] struct {
	mu    sync.Mutex
	calls map[K]*flight[V]
	spare *flight[V] // a finished flight that nobody waited for
	_     [stripe.CacheLine - 24]byte
}

type flight[V any] struct {
	done    sync.WaitGroup
	waiters int // guarded by the shard's mu
	// The outcome, written before done is released: a value or an error,
	// or neither if the build panicked.
	val *V
	err error
}

func newFlights[K comparable, V any]() flights[K, V] {
	return flights[K, V]{
		seed:   maphash.MakeSeed(),
		shards: make([]flightShard[K, V], stripe.Count()),
	}
}

func (fs *flights[K, V]) shard(k K) *flightShard[K, V] {
	return &fs.shards[maphash.Comparable(fs.seed, k)&uint64(len(fs.shards)-1)]
}

// start registers a new flight for k. sh.mu must be held.
func (sh *flightShard[K, V]) start(k K) *flight[V] {
	f := sh.spare
	if f != nil {
		sh.spare = nil
	} else {
		f = new(flight[V])
	}
	f.done.Add(1)
	if sh.calls == nil {
		sh.calls = make(map[K]*flight[V])
	}
	sh.calls[k] = f
	return f
}

// finish ends flight f of k with its outcome and wakes its waiters.
func (sh *flightShard[K, V]) finish(k K, f *flight[V], v *V, err error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	delete(sh.calls, k)
	f.val, f.err = v, err
	f.done.Done()
	if f.waiters == 0 {
		// Nobody else ever saw f: keep it for the next build.
		f.val, f.err = nil, nil
		sh.spare = f
	}
}
