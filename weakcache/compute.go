package weakcache

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"unsafe"

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
// the caller whose build panicked, and callers of LoadOrCompute that were
// waiting for that build try again (one of them then runs its own build);
// callers of [Cache.LoadOrComputeContext] waiting for it get a *[PanicError].
// build must not return a nil value with a nil error; LoadOrCompute panics if
// it does, and if build is nil.
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
	sh := s.flights.shard(k)
	for {
		v, f, built := s.enter(sh, k, false)
		switch {
		case v != nil:
			return v, nil
		case built:
			s.missed()
			return s.build(k, sh, f, build)
		}
		v, err, retry := s.await(context.Background(), nil, sh, k, f, false)
		if !retry {
			s.missed()
			return v, err
		}
	}
}

// LoadOrComputeContext is [Cache.LoadOrCompute] for a build that waits on
// something slow (a backend, a file, another service): a caller can stop
// waiting when its ctx ends, and the build stops when nobody waits for it
// any more.
//
// It returns the live value stored for k, if there is one, whether or not ctx
// has ended. Otherwise, if ctx has ended, it returns nil and ctx.Err() and
// starts nothing. Otherwise it waits for the build of k in progress, or starts
// one, and returns the build's value (stored, as by LoadOrCompute) or error.
// If ctx ends first, LoadOrComputeContext returns nil and ctx.Err() at once,
// and the build goes on for the callers still waiting.
//
// build gets a context of its own, which carries the values of the context of
// the caller that started the build and none of its deadline or cancellation,
// as [context.WithoutCancel] makes, and which is cancelled when every caller
// waiting for the build, the one that started it included, has returned
// because its context ended. Such an abandoned build's result is not stored,
// whatever it is: the next caller starts a fresh build. A build that returns
// an error stores nothing, and every caller waiting for it gets the error.
// If build panics (or returns a nil value with a nil error, or calls
// runtime.Goexit), nothing is stored and every caller waiting for it gets a
// *[PanicError]; the cache stays usable, and the next caller builds again.
//
// When ctx can be cancelled (ctx.Done() is not nil), the build runs in a
// goroutine of its own, so that the caller that started it can leave; when
// it cannot (context.Background()), build runs in the calling goroutine, as
// in LoadOrCompute, and no goroutine is started. Either way it runs under no
// lock of the cache; it must not wait for a build of its own key.
// Callers of LoadOrCompute and LoadOrComputeContext for one key share its
// builds. LoadOrComputeContext panics if build is nil.
func (c *Cache[K, V]) LoadOrComputeContext(ctx context.Context, k K, build func(ctx context.Context) (*V, error)) (*V, error) {
	if build == nil {
		panic(fmt.Sprintf("weakcache: LoadOrComputeContext(%v) with a nil build function", k))
	}
	if v, ok := c.lookup(k, false); ok {
		return v, nil
	}
	s := c.s.Load() // set by lookup
	sh := s.flights.shard(k)
	// ctx's methods are user code: they are called here, under no lock.
	if err := ctx.Err(); err != nil {
		sh.mu.Lock()
		sh.n.cancellations++
		sh.mu.Unlock()
		s.missed()
		return nil, err
	}
	done := ctx.Done()
	for {
		v, f, built := s.enter(sh, k, done != nil)
		switch {
		case v != nil:
			return v, nil
		case built && done == nil:
			s.missed()
			return s.buildContext(context.WithoutCancel(ctx), k, sh, f, build)
		case built:
			bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
			sh.mu.Lock()
			f.cancel = cancel
			sh.mu.Unlock()
			s.missed()
			go s.buildContext(bctx, k, sh, f, build)
			v, err, _ := s.await(ctx, done, sh, k, f, true)
			return v, err
		}
		v, err, retry := s.await(ctx, done, sh, k, f, false)
		if !retry {
			s.missed()
			return v, err
		}
	}
}

// enter is the start of a LoadOrCompute that missed: under sh.mu it finds the
// live value of k (a hit, recorded) or the build of k in progress, which it
// joins, or it starts a build (built is true), which the caller must run. A
// build of a key not equal to itself (a NaN) is never in the table, which
// could not find or remove it: it runs alone, and its value is not stored
// (see Cache). A build that the caller will wait for (wait: it runs in a
// goroutine of its own) gets its done channel here, before others can join.
func (s *state[K, V]) enter(sh *flightShard[K, V], k K, wait bool) (v *V, f *flight[V], built bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	// A build publishes its value before it leaves the flight table, so a
	// build that finished since the caller's lookup is seen here. (peek
	// rather than lookup: under sh.mu it only looks; a dead entry is
	// replaced by the build's publish or removed by its value's cleanup.)
	if v = s.peek(k); v != nil {
		s.hit(v)
		return v, nil, false
	}
	if f = sh.calls[k]; f != nil {
		f.waiters++
		f.refs++
		sh.n.waits++
		if f.done == nil {
			f.done = make(chan struct{})
		}
		return nil, f, false
	}
	f = sh.start(k)
	if wait {
		f.done = make(chan struct{})
	}
	return nil, f, true
}

// await waits for the outcome of flight f of k, or for done (ctx's; nil if
// the caller cannot leave) to be closed, and then leaves f and returns
// ctx.Err(). starter tells whether the caller started f, and so is not one
// of its waiters. retry is true if f ended with no outcome: its build, run by
// LoadOrCompute, panicked.
func (s *state[K, V]) await(ctx context.Context, done <-chan struct{}, sh *flightShard[K, V], k K, f *flight[V], starter bool) (v *V, err error, retry bool) {
	select {
	case <-f.done:
	case <-done:
		if sh.leave(k, f, starter) {
			return nil, ctx.Err(), false
		}
		// The outcome came first: take it.
	}
	return f.val, f.err, f.val == nil && f.err == nil
}

// peek returns the live value of k, or nil, and changes nothing.
func (s *state[K, V]) peek(k K) *V {
	if e, ok := s.m.Load(k); ok {
		return e.wp.Value()
	}
	return nil
}

// build runs the build function of LoadOrCompute for flight f of k and
// publishes its outcome. The deferred finish also runs if the build panics,
// so that a panic never wedges the key: the flight leaves the table and its
// waiters wake up (and retry, since they find no result) while the panic
// goes on to build's caller.
func (s *state[K, V]) build(k K, sh *flightShard[K, V], f *flight[V], fn func() (*V, error)) (*V, error) {
	var res *V
	var resErr error
	returned := false
	defer func() { sh.finish(k, f, res, resErr, !returned) }()
	v, err := fn()
	switch {
	case err != nil:
		resErr = err
	case v == nil:
		panic(fmt.Sprintf("weakcache: LoadOrCompute(%v): build returned a nil value and a nil error", k))
	default:
		res, _ = s.publish(k, v)
	}
	returned = true
	return res, resErr
}

// buildContext runs the build function of LoadOrComputeContext for flight f
// of k with context ctx and publishes its outcome, turning a panic (or a
// runtime.Goexit) into a *PanicError, the outcome of every caller: a panic
// in a goroutine of its own would end the program.
func (s *state[K, V]) buildContext(ctx context.Context, k K, sh *flightShard[K, V], f *flight[V], fn func(context.Context) (*V, error)) (res *V, resErr error) {
	returned := false
	defer func() {
		if !returned {
			res, resErr = nil, newPanicError(k, recover())
		}
		if res != nil && sh.settle(f) {
			res, _ = s.publish(k, res)
		} else {
			res = nil // abandoned: see LoadOrComputeContext
		}
		sh.finish(k, f, res, resErr, !returned)
	}()
	v, err := fn(ctx)
	if err == nil && v == nil {
		panic(fmt.Sprintf("weakcache: LoadOrComputeContext(%v): build returned a nil value and a nil error", k))
	}
	res, resErr, returned = v, err, true
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
// it. The shards also count the builds (see Stats), under their mutex, which
// every event they count takes anyway.
type flights[K comparable, V any] struct {
	seed   maphash.Seed
	shards []flightShard[K, V]
}

type flightShard[K comparable, V any] struct {
	flightShardFields[K, V]
	_ [(stripe.CacheLine - unsafe.Sizeof(flightShardFields[int, int]{})%stripe.CacheLine) % stripe.CacheLine]byte
}

type flightShardFields[K comparable, V any] struct {
	mu    sync.Mutex
	calls map[K]*flight[V]
	spare *flight[V] // a finished flight that nobody waited for
	n     buildCounts
}

// buildCounts are a shard's share of the Stats of builds.
type buildCounts struct {
	builds, finished, waits, failures, panics, cancellations, abandoned uint64
}

// A flight is one build in progress. Its callers are the one that started it
// and its waiters; refs counts those that may still take its outcome. A
// caller of LoadOrComputeContext whose context ends leaves the flight; when
// the last one has left (only possible when the build runs in a goroutine of
// its own, cancel set), the flight is abandoned: it leaves the table, and the
// build's context is cancelled.
type flight[V any] struct {
	// Guarded by the shard's mu:
	waiters   int
	refs      int
	done      chan struct{}      // made by the first caller to wait; closed with the outcome
	cancel    context.CancelFunc // the build's context's (a build in its own goroutine only)
	abandoned bool
	settled   bool // the build returned a value, which it publishes: no longer abandoned
	finished  bool // the outcome is set
	// The outcome, written before done is closed: a value or an error, or
	// neither if the build of LoadOrCompute panicked.
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

// addStats adds the shards' build counts to st.
func (fs *flights[K, V]) addStats(st *Stats) {
	for i := range fs.shards {
		sh := &fs.shards[i]
		sh.mu.Lock()
		n := sh.n
		sh.mu.Unlock()
		st.Builds += n.builds
		st.Building += n.builds - n.finished
		st.Waits += n.waits
		st.Failures += n.failures
		st.Panics += n.panics
		st.Cancellations += n.cancellations
		st.Abandoned += n.abandoned
	}
}

// start registers a new flight for k, unless k is not equal to itself.
// sh.mu must be held.
func (sh *flightShard[K, V]) start(k K) *flight[V] {
	f := sh.spare
	if f != nil {
		sh.spare = nil
	} else {
		f = new(flight[V])
	}
	f.refs = 1
	sh.n.builds++
	if k == k {
		if sh.calls == nil {
			sh.calls = make(map[K]*flight[V])
		}
		sh.calls[k] = f
	}
	return f
}

// leave takes a caller whose context ended off flight f of k, and abandons f
// if it was the last. It returns false, leaving nothing, if f's outcome is
// already set: the caller takes it.
func (sh *flightShard[K, V]) leave(k K, f *flight[V], starter bool) bool {
	sh.mu.Lock()
	if f.finished {
		sh.mu.Unlock()
		return false
	}
	if !starter {
		f.waiters--
	}
	f.refs--
	sh.n.cancellations++
	var cancel context.CancelFunc
	if f.refs == 0 && !f.settled {
		f.abandoned = true
		sh.n.abandoned++
		if sh.calls[k] == f {
			delete(sh.calls, k)
		}
		cancel = f.cancel
	}
	sh.mu.Unlock()
	if cancel != nil {
		cancel() // outside the lock: it runs the context's AfterFuncs' bookkeeping
	}
	return true
}

// settle reports whether the value that f's build returned may be published:
// yes unless f was abandoned. After it, f can no longer be abandoned.
func (sh *flightShard[K, V]) settle(f *flight[V]) bool {
	if f.cancel == nil {
		return true // its starter never leaves
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	f.settled = !f.abandoned
	return f.settled
}

// finish ends flight f of k with its outcome and wakes its waiters.
// panicked tells that the build did not return.
func (sh *flightShard[K, V]) finish(k K, f *flight[V], v *V, err error, panicked bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.calls[k] == f {
		delete(sh.calls, k)
	}
	sh.n.finished++
	switch {
	case panicked:
		sh.n.panics++
	case err != nil && !f.abandoned:
		sh.n.failures++
	}
	f.val, f.err, f.finished = v, err, true
	if f.done != nil {
		close(f.done)
		return
	}
	// Nobody else ever saw f: keep it for the next build.
	*f = flight[V]{}
	sh.spare = f
}
