package weakcache

import (
	"sync/atomic"
	"weak"
)

// Waiters reports whether a LoadOrCompute build for k is in progress and how
// many callers wait for it, so that tests can line callers up without sleeping.
func (c *Cache[K, V]) Waiters(k K) (waiters int, building bool) {
	sh := c.state().flights.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if f := sh.calls[k]; f != nil {
		return f.waiters, true
	}
	return 0, false
}

// Flights returns the number of keys in the table of builds in progress.
func (c *Cache[K, V]) Flights() int {
	s := c.state()
	n := 0
	for i := range s.flights.shards {
		sh := &s.flights.shards[i]
		sh.mu.Lock()
		n += len(sh.calls)
		sh.mu.Unlock()
	}
	return n
}

// RunCleanup runs the cleanup of a value stored under k whose weak pointer is
// wp, as the runtime would: late, possibly after the entry changed.
func (c *Cache[K, V]) RunCleanup(k K, wp weak.Pointer[V]) {
	c.state().collect(cleanupArg[K, V]{key: k, wp: wp})
}

// StoreEntry puts an entry holding wp and no cleanup under k: with a wp whose
// value was collected, a dead entry that only a lookup can remove.
func (c *Cache[K, V]) StoreEntry(k K, wp weak.Pointer[V]) {
	c.state().m.Store(k, entry[V]{wp: wp})
}

// CountCleanups makes the cleanups of values stored from now on count their
// runs in the returned counter. The counting wrapper holds nothing but the
// counter and the original function, so it keeps neither values nor the
// cache's state alive.
func (c *Cache[K, V]) CountCleanups() *atomic.Int64 {
	s := c.state()
	n := new(atomic.Int64)
	collect := s.collect
	s.collect = func(a cleanupArg[K, V]) {
		n.Add(1)
		collect(a)
	}
	return n
}

// StateGone returns a function that reports whether the state of c, which
// every copy of c shares, has been collected.
func (c *Cache[K, V]) StateGone() func() bool {
	wp := weak.Make(c.state())
	return func() bool { return wp.Value() == nil }
}
