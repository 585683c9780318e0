package weakcache

import (
	"fmt"
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/stripe"
)

// Stats counts what a [Cache] did since it was made, for an operator to
// read (a snapshot of it prints with String and marshals as JSON, for
// expvar.Func, say). Every counter is kept always, except Hits and Misses,
// which a cache counts only when made [WithStats]; then Hits + Misses is
// the number of calls of [Cache.Load], [Cache.LoadOrStore],
// [Cache.LoadOrCompute] and [Cache.LoadOrComputeContext].
//
// A LoadOrCompute or LoadOrComputeContext that finds no live value either
// starts a build (Builds), joins one in progress (Waits) or, for a context
// that has already ended, does neither (counted only in Cancellations).
type Stats struct {
	// Entries is the number of entries, as [Cache.Len] returns it.
	Entries int `json:"entries"`
	// Hits counts lookups answered with a live value that was already in
	// the cache (with WithStats only).
	Hits uint64 `json:"hits"`
	// Misses counts lookups that found no live value: a Load that returned
	// false, a LoadOrStore that stored its value, a LoadOrCompute that ran
	// its build function or waited for one (with WithStats only).
	Misses uint64 `json:"misses"`
	// Stores counts values put into the cache: by Store, by a LoadOrStore
	// that stored, and by each successful build of LoadOrCompute.
	Stores uint64 `json:"stores"`
	// Collected counts entries removed because their value had been
	// collected by the garbage collector, whether the value's cleanup or
	// an operation that came across the dead entry removed it.
	Collected uint64 `json:"collected"`
	// Builds counts the build functions started, and Building those of
	// them still running (abandoned ones included, until they return).
	Builds   uint64 `json:"builds"`
	Building uint64 `json:"building"`
	// Waits counts callers that waited for a build that another caller
	// had started.
	Waits uint64 `json:"waits"`
	// Failures counts builds that returned an error to their callers;
	// Panics, builds that panicked (see [PanicError]).
	Failures uint64 `json:"failures"`
	Panics   uint64 `json:"panics"`
	// Cancellations counts calls of LoadOrComputeContext that returned
	// their context's error: while they waited for a build, or at once.
	Cancellations uint64 `json:"cancellations"`
	// Abandoned counts builds whose context was cancelled because every
	// caller waiting for them had left; their results were not stored.
	Abandoned uint64 `json:"abandoned"`
}

// String formats s as space-separated name=value pairs, in the order of
// its fields, for a log line.
func (s Stats) String() string {
	return fmt.Sprintf("entries=%d hits=%d misses=%d stores=%d collected=%d builds=%d building=%d waits=%d failures=%d panics=%d cancellations=%d abandoned=%d",
		s.Entries, s.Hits, s.Misses, s.Stores, s.Collected, s.Builds, s.Building, s.Waits, s.Failures, s.Panics, s.Cancellations, s.Abandoned)
}

// counters are the Stats of a cache that are not counted with its builds,
// striped over cache lines (see internal/stripe): a single counter that
// every hit increments would be a cache line that all cores write, which
// serializes parallel hits. Even striped, the atomic add of a hit is a
// locked instruction that costs a hit a good part of its time, which is why
// hits and misses are counted only with WithStats (BenchmarkLoadHit
// measures it: impl=weakcache-stats against impl=weakcache).
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
