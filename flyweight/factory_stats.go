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
	// it.
	Instances int `json:"instances"`
	// Hits counts the calls that found a live instance (WithStats only).
	Hits uint64 `json:"hits"`
	// Builds counts the build functions started, and Building those of
	// them still running (abandoned ones included, until they return).
	Builds   uint64 `json:"builds"`
	Building uint64 `json:"building"`
	// Waits counts the calls that waited for a build another call had
	// started.
	Waits uint64 `json:"waits"`
	// Failures counts the builds that returned an error; Panics, those
	// that panicked.
	Failures uint64 `json:"failures"`
	Panics   uint64 `json:"panics"`
	// Cancellations counts the calls of GetContext that returned their
	// context's error, and Abandoned the builds cancelled because every
	// call waiting for them had returned so.
	Cancellations uint64 `json:"cancellations"`
	Abandoned     uint64 `json:"abandoned"`
	// Collected counts the instances forgotten after the garbage
	// collector reclaimed them.
	Collected uint64 `json:"collected"`
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
