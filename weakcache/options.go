package weakcache

import "fmt"

// An Option configures a [Cache] made by [New]. The zero Option changes
// nothing.
type Option struct {
	apply func(*config)
}

type config struct {
	keepAlive int
	stats     bool
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
	return Option{apply: func(c *config) { c.keepAlive = n }}
}

// WithStats makes the cache count its lookups in [Stats.Hits] and
// [Stats.Misses]; without it they stay zero. Counting costs every lookup an
// atomic add, a locked instruction that is a large part of the time of a hit
// (compare impl=weakcache-stats with impl=weakcache in BenchmarkLoadHit), so
// it is off unless asked for, as in Caffeine's recordStats. Every other
// counter of Stats, counted off the hit path, is always kept.
func WithStats() Option {
	return Option{apply: func(c *config) { c.stats = true }}
}
