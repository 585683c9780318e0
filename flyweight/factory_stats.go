package flyweight

import "fmt"

// FactoryStats counts what a [Factory] did since it was made, for an
// operator to read: a snapshot of it prints with String and marshals as
// JSON (for expvar.Func, say). Every count is kept always, except Hits,
// which is counted only by a Factory made [WithStats]. A call of Get or
// GetContext that finds no live instance either starts a build (Builds) or
// waits for one in progress (Waits), unless its context has already ended.
type FactoryStats struct {
	// Instances is the number of instances held, as [Factory.Len] returns
	// it, and Hits the calls that found a live one (WithStats only). There
	// are no Misses, as weakcache.Stats has: a Get looks its key up twice,
	// once without allocating and once with its build function, and the
	// cache would count most misses twice.
	Instances int    `json:"instances"`
	Hits      uint64 `json:"hits"`
	// The others are the counters of the Factory's weakcache.Cache, with
	// the meaning that weakcache.Stats gives them: builds started and
	// still running, calls that waited for another's build, builds that
	// failed or panicked, calls of GetContext that returned their
	// context's error, builds abandoned by all their callers, and
	// instances forgotten after the garbage collector reclaimed them.
	Builds        uint64 `json:"builds"`
	Building      uint64 `json:"building"`
	Waits         uint64 `json:"waits"`
	Failures      uint64 `json:"failures"`
	Panics        uint64 `json:"panics"`
	Cancellations uint64 `json:"cancellations"`
	Abandoned     uint64 `json:"abandoned"`
	Collected     uint64 `json:"collected"`
}

// Stats returns the counters of the Factory. Taken while other goroutines
// use it, the figures are each exact but not a consistent snapshot. It
// takes time in proportion to GOMAXPROCS and does not slow Get.
func (f *Factory[K, V]) Stats() FactoryStats {
	s := f.mustCache().Stats()
	return FactoryStats{
		Instances:     s.Entries,
		Hits:          s.Hits,
		Builds:        s.Builds,
		Building:      s.Building,
		Waits:         s.Waits,
		Failures:      s.Failures,
		Panics:        s.Panics,
		Cancellations: s.Cancellations,
		Abandoned:     s.Abandoned,
		Collected:     s.Collected,
	}
}

// String formats s as space-separated name=value pairs, in the order of
// its fields, for a log line.
func (s FactoryStats) String() string {
	return fmt.Sprintf("instances=%d hits=%d builds=%d building=%d waits=%d failures=%d panics=%d cancellations=%d abandoned=%d collected=%d",
		s.Instances, s.Hits, s.Builds, s.Building, s.Waits, s.Failures, s.Panics, s.Cancellations, s.Abandoned, s.Collected)
}
