package weakcache

import (
	"fmt"
	"iter"
	"reflect"
	"runtime"
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
// A Cache is safe for concurrent use by multiple goroutines. Create one with
// [New]; the methods of the zero Cache panic, and a Cache must not be copied
// after first use. Values are never nil: storing a nil value panics.
//
// Keys compare with ==, as in a map. A key that is not equal to itself (a
// floating-point NaN) could never be found or removed, so the cache never
// stores one: [Cache.Store] under such a key does nothing, and
// [Cache.LoadOrStore] and [Cache.LoadOrCompute] return the value given or
// built without storing it. A key that holds an incomparable value behind an
// interface (a slice in an any) makes every method that takes a key panic,
// naming the key.
type Cache[K comparable, V any] struct {
	m            *xsync.MapOf[K, entry[V]]
	collect      func(cleanupArg[K, V]) // the values' cleanup; see newCollector
	flights      flights[K, V]          // builds of LoadOrCompute in progress
	ring         *ring[V]               // nil without WithKeepAlive
	onCollected  func(K)
	countLookups bool // WithStats
	checkKeys    bool // K can hold an interface; see checkKey
	stats        counters
}

// New returns an empty cache with the given options.
//
// New panics if V has size zero (see the package documentation), or if a
// [WithOnCollected] hook takes a key type other than K.
func New[K comparable, V any](opts ...Option) *Cache[K, V] {
	var zero V
	if unsafe.Sizeof(zero) == 0 {
		panic(fmt.Sprintf("weakcache: value type %T has size zero: the runtime cannot tell when a zero-size value is collected", zero))
	}
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	c := &Cache[K, V]{
		m:            xsync.NewMapOf[K, entry[V]](),
		flights:      newFlights[K, V](),
		countLookups: cfg.stats,
		checkKeys:    typecheck.HoldsInterfaces(reflect.TypeFor[K]()),
		stats:        newCounters(),
	}
	c.collect = newCollector(weak.Make(c))
	runtime.AddCleanup(c, stopCleanups[K, V], c.m)
	if cfg.keepAlive > 0 {
		c.ring = newRing[V](cfg.keepAlive)
	}
	switch fn := cfg.onCollected.(type) {
	case nil:
	case func(K):
		c.onCollected = fn
	default:
		var k K
		panic(fmt.Sprintf("weakcache: WithOnCollected hook is %T, but the cache's keys are %T", fn, k))
	}
	return c
}

// table returns the map of c, and panics with a clear message for a zero Cache.
func (c *Cache[K, V]) table() *xsync.MapOf[K, entry[V]] {
	if c.m == nil {
		panic("weakcache: Cache used without New")
	}
	return c.m
}

// checkKey panics, naming k, if k holds an incomparable value behind an
// interface, which would make hashing it panic inside the map with a bare
// runtime error. Only a K that can hold an interface is checked, so that the
// other caches pay one predictable branch: checkKey is small enough to be
// inlined into a hit, where the check would cost a call (a nanosecond,
// measured on LoadHit).
func (c *Cache[K, V]) checkKey(k K) {
	if c.checkKeys {
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
// it (see [WithOnCollected]).
func (c *Cache[K, V]) Load(k K) (v *V, ok bool) {
	return c.lookup(k, true)
}

// lookup returns the live value of k and records the hit, or returns false
// and, if final, records the miss: a miss of Load is final, while LoadOrStore
// and LoadOrCompute go on and record the outcome themselves. A dead entry is
// removed.
func (c *Cache[K, V]) lookup(k K, final bool) (*V, bool) {
	c.checkKey(k)
	if e, ok := c.table().Load(k); ok {
		if v := e.wp.Value(); v != nil {
			c.hit(v)
			return v, true
		}
		c.removeDead(k, e.wp)
	}
	if final {
		c.missed()
	}
	return nil, false
}

// hit records a lookup that found v. It is small enough to be inlined, so
// that a cache without WithStats and WithKeepAlive pays a predictable branch
// for it.
func (c *Cache[K, V]) hit(v *V) {
	if c.countLookups || c.ring != nil {
		c.recordHit(v)
	}
}

func (c *Cache[K, V]) recordHit(v *V) {
	if c.countLookups {
		c.stats.local().hits.Add(1)
	}
	if c.ring != nil {
		c.ring.touch(v)
	}
}

func (c *Cache[K, V]) missed() {
	if c.countLookups {
		c.stats.local().misses.Add(1)
	}
}

// Store sets the value for k to v, replacing any previous value. v must not be
// nil. The cache holds v weakly: once v is collected, the entry disappears.
func (c *Cache[K, V]) Store(k K, v *V) {
	if v == nil {
		panic(fmt.Sprintf("weakcache: Store(%v, nil): values must not be nil", k))
	}
	c.checkKey(k)
	m := c.table() // before track: a zero Cache has no cleanup function
	if k != k {
		return // never stored; see Cache
	}
	e := c.track(k, v)
	var old entry[V]
	var replaced bool
	m.Compute(k, func(o entry[V], loaded bool) (entry[V], bool) {
		old, replaced = o, loaded
		return e, false
	})
	if replaced {
		c.release(k, old)
	}
	c.stored(v)
	runtime.KeepAlive(v)
}

func (c *Cache[K, V]) stored(v *V) {
	c.stats.local().stores.Add(1)
	if c.ring != nil {
		c.ring.touch(v)
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
	actual, loaded = c.publish(k, v)
	if loaded {
		c.hit(actual)
	} else {
		c.missed()
	}
	return actual, loaded
}

// publish stores v for k unless a live value is already stored, which it then
// returns with loaded true: the first live value of a key wins, so that two
// callers never end up with two live copies. Under a key not equal to itself
// it stores nothing and returns v (see Cache).
func (c *Cache[K, V]) publish(k K, v *V) (actual *V, loaded bool) {
	if k != k {
		return v, false
	}
	e := c.track(k, v)
	var old entry[V]
	var replaced bool
	c.table().Compute(k, func(o entry[V], found bool) (entry[V], bool) {
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
		c.release(k, old)
	}
	c.stored(v)
	runtime.KeepAlive(v)
	return v, false
}

// Delete removes the entry for k, if any. The value itself is not affected.
func (c *Cache[K, V]) Delete(k K) {
	c.checkKey(k)
	if old, ok := c.table().LoadAndDelete(k); ok {
		c.release(k, old)
	}
}

// CompareAndDelete removes the entry for k if its value is v, and reports
// whether it did. It returns false for a nil v.
func (c *Cache[K, V]) CompareAndDelete(k K, v *V) (deleted bool) {
	c.checkKey(k)
	m := c.table()
	if v == nil {
		return false
	}
	// The lock-free check spares the bucket lock (and xsync's rewrite of an
	// entry that Compute keeps) when there is nothing to delete.
	e, ok := m.Load(k)
	if !ok {
		return false
	}
	if cur := e.wp.Value(); cur != v && cur != nil {
		return false
	}
	var old entry[V]
	var removed bool
	m.Compute(k, func(o entry[V], loaded bool) (entry[V], bool) {
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
		c.release(k, old)
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
	m := c.table()
	return func(yield func(K, *V) bool) {
		// xsync's Range copies a bucket's entries and releases its lock
		// before calling back, and visits each key at most once.
		m.Range(func(k K, e entry[V]) bool {
			v := e.wp.Value()
			if v == nil {
				c.removeDead(k, e.wp)
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
	return c.table().Size()
}

// Stats returns the counters of the cache; Hits and Misses stay zero unless
// the cache was made [WithStats]. Taken while other goroutines use the cache,
// the figures are each exact but not a consistent snapshot.
func (c *Cache[K, V]) Stats() Stats {
	c.table() // a zero Cache panics here as in every other method
	return c.stats.sum()
}
