package weakcache

import (
	"fmt"
	"iter"
	"reflect"
	"runtime"
	"sync/atomic"
	"unsafe"
	"weak"

	"github.com/puzpuzpuz/xsync/v3"

	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// Cache is a concurrent map from keys to weakly held values: a value stays in
// the cache while the program holds it elsewhere and disappears after the
// garbage collector reclaims it. While it is alive, every lookup of its key
// returns the same pointer.
//
// A Cache is safe for concurrent use by multiple goroutines. The zero Cache
// is empty and ready to use, with no options; [New] makes one with options.
// A Cache must not be copied after first use (go vet reports copies): hold
// it by pointer, or in place as a field of a struct that is itself not
// copied. A copy made anyway (vet does not see every copy, such as
// *New(...)) never breaks the cache: a copy of a Cache made by New or
// already used shares the original's entries and keeps working after the
// original is dropped, and a copy of a zero Cache made before its first use
// is a separate, empty cache. Values are never nil: storing a nil value
// panics.
//
// Keys compare with ==, as in a map. A key that is not equal to itself (a
// floating-point NaN) could never be found or removed, so the cache never
// stores one: [Cache.Store] under such a key does nothing, and
// [Cache.LoadOrStore] and [Cache.LoadOrCompute] return the value given or
// built without storing it. A key that holds an incomparable value behind an
// interface (a slice in an any) makes every method that takes a key panic,
// naming the key.
//
// The cache removes an entry after its value was collected and counts it in
// [Stats.Collected]; it does not call back. To act on the collection of a
// value, attach the action to the value itself, with finalize.Register or
// [runtime.AddCleanup], when it is made (in the build function of
// [Cache.LoadOrCompute], say): the action then runs whether or not the value
// is still in the cache.
type Cache[K comparable, V any] struct {
	// The atomics make go vet's copylocks check report copies of a Cache.

	// m is s.m, kept here so that a hit reaches the map in one load, as
	// it would with no state. It is set after s, so a goroutine that
	// finds m set finds s set too.
	m atomic.Pointer[xsync.MapOf[K, entry[V]]]
	// s is set once, by New or by the first use of a zero Cache, and
	// never changes: a copy shares it. Everything else lives in the state,
	// which is what the values' cleanups reference (weakly) and what is
	// collected with the last copy of the Cache.
	s atomic.Pointer[state[K, V]]
}

// state is everything a Cache holds. It is made once per cache and never
// copied, and its fields do not change after newState (except collect, by
// tests), so that hits only read it. The fields a hit reads (checkKeys,
// onHit) are in its first cache line.
type state[K comparable, V any] struct {
	m         *xsync.MapOf[K, entry[V]]
	checkKeys bool // K can hold an interface; see checkKey
	// onHit is countLookups || ring != nil: the one branch of a hit
	// without WithStats and WithKeepAlive.
	onHit        bool
	countLookups bool                   // WithStats
	ring         *ring[V]               // nil without WithKeepAlive
	collect      func(cleanupArg[K, V]) // the values' cleanup; see newCollector
	flights      flights[K, V]          // builds of LoadOrCompute in progress
	stats        counters
}

// New returns an empty cache with the given options.
//
// New panics if V has size zero (see the package documentation).
func New[K comparable, V any](opts ...Option) *Cache[K, V] {
	var cfg config
	for _, o := range opts {
		if o.apply != nil {
			o.apply(&cfg)
		}
	}
	c := new(Cache[K, V])
	st := newState[K, V](cfg)
	c.s.Store(st)
	c.m.Store(st.m)
	return c
}

// newState makes the state of a cache with options cfg, and arranges for the
// cleanups of its entries to be stopped once it is unreachable.
func newState[K comparable, V any](cfg config) *state[K, V] {
	var zero V
	if unsafe.Sizeof(zero) == 0 {
		panic(fmt.Sprintf("weakcache: value type %T has size zero: the runtime cannot tell when a zero-size value is collected", zero))
	}
	s := &state[K, V]{
		m:            xsync.NewMapOf[K, entry[V]](),
		checkKeys:    typecheck.HoldsInterfaces(reflect.TypeFor[K]()),
		onHit:        cfg.stats || cfg.keepAlive > 0,
		countLookups: cfg.stats,
		flights:      newFlights[K, V](),
		stats:        newCounters(),
	}
	if cfg.keepAlive > 0 {
		s.ring = newRing[V](cfg.keepAlive)
	}
	s.collect = newCollector(weak.Make(s))
	runtime.AddCleanup(s, stopCleanups[K, V], s.m)
	return s
}

// state returns the state of c, made on the first use of a zero Cache.
func (c *Cache[K, V]) state() *state[K, V] {
	if s := c.s.Load(); s != nil {
		return s
	}
	return c.initState()
}

// initState makes the state of a zero Cache on its first use, and sets m, if
// the first use of another goroutine has set s but not yet m. Of goroutines
// that race to make the state, one wins and the others use its state; the
// losers' states are dropped unused.
func (c *Cache[K, V]) initState() *state[K, V] {
	s := c.s.Load()
	if s == nil {
		s = newState[K, V](config{})
		if !c.s.CompareAndSwap(nil, s) {
			s = c.s.Load()
		}
	}
	c.m.Store(s.m)
	return s
}

// checkKey panics, naming k, if k holds an incomparable value behind an
// interface, which would make hashing it panic inside the map with a bare
// runtime error. Only a K that can hold an interface is checked, so that the
// other caches pay one predictable branch. checkKey must be inlined into a
// hit (as a call it shows on BenchmarkLoadHit; TestHotPathsAreInlined checks
// it); its slow path is mustCompare.
func (s *state[K, V]) checkKey(k K) {
	if s.checkKeys {
		mustCompare(k)
	}
}

// mustCompare is the check of checkKey.
func mustCompare[K comparable](k K) {
	if !typecheck.Comparable(k) {
		panic(fmt.Sprintf("weakcache: key %#v is not comparable", k))
	}
}

// Load returns the value stored for k, if it is alive. It never returns
// (nil, true): an entry whose value was collected is a miss, and Load removes
// it (and counts it in [Stats.Collected]).
func (c *Cache[K, V]) Load(k K) (v *V, ok bool) {
	return c.lookup(k, true)
}

// lookup returns the live value of k and records the hit, or returns false
// and, if final, records the miss: a miss of Load is final, while LoadOrStore
// and LoadOrCompute go on and record the outcome themselves. A dead entry is
// removed.
//
// Load must be inlined into its caller (TestHotPathsAreInlined), and lookup
// reads c.m and c.s itself (c.state is not inlined in the methods' generic
// shape code), so that a hit makes one call into the package and reaches
// the map with one load from c, as if c held the map itself (see
// BenchmarkLoadHit).
func (c *Cache[K, V]) lookup(k K, final bool) (*V, bool) {
	m := c.m.Load()
	if m == nil {
		m = c.initState().m
	}
	s := c.s.Load() // set before m
	s.checkKey(k)
	if e, ok := m.Load(k); ok {
		if v := e.wp.Value(); v != nil {
			s.hit(v)
			return v, true
		}
		s.removeDead(k, e.wp)
	}
	if final {
		s.missed()
	}
	return nil, false
}

// hit records a lookup that found v. It must be inlined, so that a cache
// without WithStats and WithKeepAlive pays one predictable branch for it
// (TestHotPathsAreInlined).
func (s *state[K, V]) hit(v *V) {
	if s.onHit {
		s.recordHit(v)
	}
}

func (s *state[K, V]) recordHit(v *V) {
	if s.countLookups {
		s.stats.local().hits.Add(1)
	}
	if s.ring != nil {
		s.ring.touch(v)
	}
}

func (s *state[K, V]) missed() {
	if s.countLookups {
		s.stats.local().misses.Add(1)
	}
}

// Store sets the value for k to v, replacing any previous value. v must not be
// nil. The cache holds v weakly: once v is collected, the entry disappears.
func (c *Cache[K, V]) Store(k K, v *V) {
	if v == nil {
		panic(fmt.Sprintf("weakcache: Store(%v, nil): values must not be nil", k))
	}
	s := c.state()
	s.checkKey(k)
	if k != k {
		return // never stored; see Cache
	}
	e := s.track(k, v)
	var old entry[V]
	var replaced bool
	s.m.Compute(k, func(o entry[V], loaded bool) (entry[V], bool) {
		old, replaced = o, loaded
		return e, false
	})
	if replaced {
		s.release(old)
	}
	s.stored(v)
	runtime.KeepAlive(v)
}

func (s *state[K, V]) stored(v *V) {
	s.stats.local().stores.Add(1)
	if s.ring != nil {
		s.ring.touch(v)
	}
}

// LoadOrStore returns the live value stored for k, if there is one, and
// loaded is true. Otherwise it stores v and returns it, and loaded is false.
// v must not be nil.
func (c *Cache[K, V]) LoadOrStore(k K, v *V) (actual *V, loaded bool) {
	if v == nil {
		panic(fmt.Sprintf("weakcache: LoadOrStore(%v, nil): values must not be nil", k))
	}
	if actual, loaded = c.lookup(k, false); loaded {
		return actual, true
	}
	s := c.s.Load() // set by lookup
	actual, loaded = s.publish(k, v)
	if loaded {
		s.hit(actual)
	} else {
		s.missed()
	}
	return actual, loaded
}

// publish stores v for k unless a live value is already stored, which it then
// returns with loaded true: the first live value of a key wins, so that two
// callers never end up with two live copies. Under a key not equal to itself
// it stores nothing and returns v (see Cache).
func (s *state[K, V]) publish(k K, v *V) (actual *V, loaded bool) {
	if k != k {
		return v, false
	}
	e := s.track(k, v)
	var old entry[V]
	var replaced bool
	s.m.Compute(k, func(o entry[V], found bool) (entry[V], bool) {
		if found {
			if actual = o.wp.Value(); actual != nil {
				return o, false
			}
			old, replaced = o, true // dead: replace it
		}
		return e, false
	})
	if actual != nil {
		// v was never stored: its cleanup must not outlive this call.
		e.cleanup.Stop()
		runtime.KeepAlive(v)
		return actual, true
	}
	if replaced {
		s.release(old)
	}
	s.stored(v)
	runtime.KeepAlive(v)
	return v, false
}

// Delete removes the entry for k, if any. The value itself is not affected.
func (c *Cache[K, V]) Delete(k K) {
	s := c.state()
	s.checkKey(k)
	if old, ok := s.m.LoadAndDelete(k); ok {
		s.release(old)
	}
}

// CompareAndDelete removes the entry for k if its value is v, and reports
// whether it did. It returns false for a nil v.
func (c *Cache[K, V]) CompareAndDelete(k K, v *V) (deleted bool) {
	s := c.state()
	s.checkKey(k)
	if v == nil {
		return false
	}
	// The lock-free check spares the bucket lock (and xsync's rewrite of an
	// entry that Compute keeps) when there is nothing to delete.
	e, ok := s.m.Load(k)
	if !ok {
		return false
	}
	if cur := e.wp.Value(); cur != v && cur != nil {
		return false
	}
	var old entry[V]
	var removed bool
	s.m.Compute(k, func(o entry[V], loaded bool) (entry[V], bool) {
		if !loaded {
			return o, true // insert nothing
		}
		switch o.wp.Value() {
		case v:
			deleted = true
		case nil:
			// Dead: removed on sight, like Load does.
		default:
			return o, false
		}
		old, removed = o, true
		return o, true
	})
	if removed {
		s.release(old)
	}
	runtime.KeepAlive(v)
	return deleted
}

// All returns an iterator over the live entries of the cache. It yields each
// key at most once and never a nil value; entries whose values were collected
// are skipped (and removed). Like [sync.Map.Range], All does not correspond to
// a consistent snapshot: an entry stored or deleted while iterating may or may
// not be yielded. The loop body may call any method of the cache.
func (c *Cache[K, V]) All() iter.Seq2[K, *V] {
	s := c.state()
	return func(yield func(K, *V) bool) {
		// xsync's Range copies a bucket's entries and releases its lock
		// before calling back, and visits each key at most once.
		s.m.Range(func(k K, e entry[V]) bool {
			v := e.wp.Value()
			if v == nil {
				s.removeDead(k, e.wp)
				return true
			}
			return yield(k, v)
		})
	}
}

// Len returns the number of entries in the cache. It counts entries whose
// values were collected but not yet removed, so it is an upper bound of the
// number of live values, and it reaches zero after all values were collected
// and their cleanups ran.
func (c *Cache[K, V]) Len() int {
	return c.state().m.Size()
}

// Stats returns the counters of the cache; Hits and Misses stay zero unless
// the cache was made [WithStats]. Taken while other goroutines use the cache,
// the figures are each exact but not a consistent snapshot. It takes time in
// proportion to GOMAXPROCS and does not slow the cache's other methods.
func (c *Cache[K, V]) Stats() Stats {
	s := c.state()
	st := s.stats.sum()
	s.flights.addStats(&st)
	st.Entries = s.m.Size()
	return st
}
