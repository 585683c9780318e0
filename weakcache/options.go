package weakcache

import "fmt"

// An Option configures a [Cache] made by [New].
type Option func(*config)

type config struct {
	keepAlive int
	stats     bool
	// onCollected is a func(K) for the cache's key type K, checked by New.
	// Option is not generic because Go infers type arguments from a call's
	// arguments only: with an Option[K], every option would need them
	// (New[int, V](WithKeepAlive[int](8))). WithOnCollected infers K from
	// its fn instead, and a mismatch panics when the cache is made, never
	// later.
	onCollected any
}

// WithKeepAlive makes the cache also hold the values of its n most recent uses
// strongly, so that hot values survive garbage collections while nothing else
// holds them. A use is a hit of [Cache.Load], [Cache.LoadOrStore] or
// [Cache.LoadOrCompute], or a value stored by any of them or by [Cache.Store];
// repeated uses of one value in a row take one place. n is 0 by default (no
// value is held); WithKeepAlive panics if n is negative.
//
// The values are kept in a ring of n pointers written on every use of a new
// value, so n should be small (tens to thousands). A value deleted from the
// cache stays reachable from the ring until n other uses have displaced it.
func WithKeepAlive(n int) Option {
	if n < 0 {
		panic(fmt.Sprintf("weakcache: WithKeepAlive(%d): n must not be negative", n))
	}
	return func(c *config) { c.keepAlive = n }
}

// WithStats makes the cache count its lookups in [Stats.Hits] and
// [Stats.Misses]; without it they stay zero. Counting costs every lookup an
// atomic add, a locked instruction that is a large part of the time of a hit
// (compare impl=weakcache-stats with impl=weakcache in BenchmarkLoadHit), so
// it is off unless asked for, as in Caffeine's recordStats. Stats.Stores and
// Stats.Collected, counted off the hit path, are always kept.
func WithStats() Option {
	return func(c *config) { c.stats = true }
}

// WithOnCollected makes the cache call fn(k) after it removed the entry for k
// because its value was collected by the garbage collector. fn is called at
// most once per stored value: when the value is collected while it is still
// the cache's value for k and the cache notices, which is when the value's
// runtime cleanup runs (like any cleanup, possibly late, and not necessarily
// before the program exits) or earlier, when an operation comes across the
// dead entry. It is not called for values that were deleted or overwritten
// while alive, nor once the cache itself has been collected. K must be the
// cache's key type, or [New] panics.
//
// fn runs in the goroutine that noticed the collection: a runtime cleanup
// goroutine, or a caller of a Cache method that came across the dead entry.
// It may be called concurrently with itself and with any method of the cache,
// holds no lock of the cache (so it may call the cache), and should return
// quickly: a slow hook delays the other runtime cleanups of the program. A
// panic in fn is not recovered: in a cleanup goroutine it ends the program.
// A nil fn sets no hook.
func WithOnCollected[K comparable](fn func(K)) Option {
	return func(c *config) { c.onCollected = fn }
}
