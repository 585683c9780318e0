package weakcache

import (
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/stripe"
)

// Stats counts what a [Cache] did since it was made. Hits and Misses are
// counted only by a cache made with [WithStats]; then Hits + Misses is the
// number of calls of [Cache.Load], [Cache.LoadOrStore] and
// [Cache.LoadOrCompute].
type Stats struct {
	// Hits counts lookups answered with a live value that was already in
	// the cache (with WithStats only).
	Hits uint64
	// Misses counts lookups that found no live value: a Load that returned
	// false, a LoadOrStore that stored its value, a LoadOrCompute that ran
	// its build function or waited for one (with WithStats only).
	Misses uint64
	// Stores counts values put into the cache: by Store, by a LoadOrStore
	// that stored, and by each successful build of LoadOrCompute.
	Stores uint64
	// Collected counts entries removed because their value had been
	// collected by the garbage collector, whether the value's cleanup or
	// an operation that came across the dead entry removed it.
	Collected uint64
}

// counters are the Stats of a cache, striped over cache lines (see
// internal/stripe): a single counter that every hit increments would be a
// cache line that all cores write, which serializes parallel hits. Even
// striped, the atomic add of a hit is a locked instruction that costs a hit
// a good part of its time, which is why hits and misses are counted only
// with WithStats.
type counters struct {
	stripes []counterStripe
}

type counterStripe struct {
	hits, misses, stores, collected atomic.Uint64
	_                               [stripe.CacheLine - 4*8]byte
}

func newCounters() counters {
	return counters{stripes: make([]counterStripe, stripe.Count())}
}

// local returns the stripe of the calling goroutine.
func (c *counters) local() *counterStripe {
	return &c.stripes[stripe.Index(len(c.stripes))]
}

func (c *counters) sum() Stats {
	var s Stats
	for i := range c.stripes {
		st := &c.stripes[i]
		s.Hits += st.hits.Load()
		s.Misses += st.misses.Load()
		s.Stores += st.stores.Load()
		s.Collected += st.collected.Load()
	}
	return s
}
