package finalize

import (
	"fmt"
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/stripe"
)

// Stats counts what the package did since the program started, over all
// handles of [Register] and [Own]: a snapshot returned by [ReadStats].
//
// Registered = Pending + Run + Cancelled. Leaked and Panicked are parts of
// Run. Stats marshals as a JSON object with the field names in lower case,
// for expvar.Func and other exporters.
type Stats struct {
	// Registered counts the handles registered.
	Registered uint64 `json:"registered"`
	// Pending is the number of handles that have neither started to run
	// nor been cancelled, the live resources among them.
	Pending uint64 `json:"pending"`
	// Run counts the cleanups that started to run, however started:
	// [Handle.Run], [Owned.Close], [RunAll] or the GC.
	Run uint64 `json:"run"`
	// Cancelled counts the handles cancelled by [Handle.Cancel].
	Cancelled uint64 `json:"cancelled"`
	// Leaked counts the cleanups run by the GC rather than by the program:
	// the reports of the leak hook ([SetLeakHook]), whatever the hook.
	Leaked uint64 `json:"leaked"`
	// Panicked counts the cleanups that panicked (the panic recovered).
	Panicked uint64 `json:"panicked"`
}

// String formats s on one line, each count as name=value.
func (s Stats) String() string {
	return fmt.Sprintf("registered=%d pending=%d run=%d cancelled=%d leaked=%d panicked=%d",
		s.Registered, s.Pending, s.Run, s.Cancelled, s.Leaked, s.Panicked)
}

// ReadStats returns the package's counts now. It reads one counter per
// stripe and kind, so it takes time proportional to GOMAXPROCS and does not
// stop registrations and runs; while they go on, the counts are each exact
// but read at slightly different moments: Pending may include handles whose
// run or cancellation has just begun, and is never negative.
//
// ReadStats is safe for concurrent use.
func ReadStats() Stats {
	var s Stats
	// Claims first: every claim counted here is of a registration counted
	// before it (register counts before the handle exists), so the
	// registrations read afterwards include it.
	for i := range counts.stripes {
		c := &counts.stripes[i]
		s.Run += c.ran.Load()
		s.Cancelled += c.cancelled.Load()
		s.Leaked += c.leaked.Load()
		s.Panicked += c.panicked.Load()
	}
	for i := range counts.stripes {
		s.Registered += counts.stripes[i].registered.Load()
	}
	s.Pending = s.Registered - s.Run - s.Cancelled
	return s
}

// counts are the package's statistics, striped over cache lines (see
// internal/stripe), so that goroutines registering and running handles at
// once rarely write the same line: Register and Run each add to one counter
// of the calling goroutine's stripe (BenchmarkRun/impl=finalize.Register
// measures it).
var counts = countStripes{stripes: make([]countStripe, stripe.Count())}

type countStripes struct{ stripes []countStripe }

type countStripe struct {
	registered, ran, cancelled, leaked, panicked atomic.Uint64
	_                                            [stripe.CacheLine - 5*8]byte
}

// stripe returns the calling goroutine's stripe.
func (c *countStripes) stripe() *countStripe { return &c.stripes[stripe.Index(len(c.stripes))] }
