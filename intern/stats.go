package intern

import (
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/stripe"
)

// Stats describes the use of an interner: of a [Pool] ([Pool.Stats]), a
// [Table] ([Table.Stats]) or the process-wide one of [String] and [Bytes]
// ([ReadStats]). Every call that interns counts as one hit or one miss,
// except that hits are counted only from the first call of the
// interner's Stats method (or of ReadStats) on: until a program asks, its
// hit path counts nothing.
// It prints as one line (see [Stats.String]) and encodes to JSON as an
// object of its fields, so that a service can publish it with
// expvar.Func.
type Stats struct {
	Hits    uint64 `json:"hits"`    // calls answered with a value already interned
	Misses  uint64 `json:"misses"`  // calls that added a value, or returned a copy longer than a Pool's limit
	Entries int    `json:"entries"` // distinct values held, as Len
	Bytes   int64  `json:"bytes"`   // total length of the strings held (of a Table[string]; 0 for other Tables)
}

// String formats s as "entries=3 bytes=7 hits=3 misses=3".
func (s Stats) String() string {
	return fmt.Sprintf("entries=%d bytes=%d hits=%d misses=%d", s.Entries, s.Bytes, s.Hits, s.Misses)
}

// MarshalJSON encodes s as {"hits":…,"misses":…,"entries":…,"bytes":…}.
// It exists so that the encoding is part of the type's contract.
func (s Stats) MarshalJSON() ([]byte, error) {
	type plain Stats // without this method
	return json.Marshal(plain(s))
}

// Len returns the number of distinct strings interned process-wide by
// [String] and [Bytes]: those in use, and those collected since the last
// garbage collection whose entries its sweep has not removed yet.
func Len() int {
	return canon.Len()
}

// ReadStats returns the counters of the process-wide interner of [String]
// and [Bytes], as [runtime.ReadMemStats] does for the runtime's. Entries
// and Bytes describe the strings interned now (see [Len]); they take time
// in proportion to the number of strings. Hits and Misses
// count calls; Hits only from the first ReadStats of the process on:
// counting them costs the hit path an atomic add, which a program that
// never asks is spared (BenchmarkStatsHit measures both). Under concurrent use the
// counters are read one by one, not as an atomic snapshot.
func ReadStats() Stats {
	return Stats{Hits: stats.hits.sum(), Misses: stats.misses.Load(), Entries: canon.Len(), Bytes: int64(canon.Sum(metaLen))}
}

// stats are the process-wide interner's counters.
var stats struct {
	hits   hitCounters
	misses atomic.Uint64
}

// Hits are counted only once asked for: from the first call of sum (a Stats
// method, or ReadStats) on. Until then a hit costs one atomic load of on;
// after, an atomic add, which on a hit of a few nanoseconds is more than a
// program that never asks should pay (BenchmarkStatsHit measures both).
//
// They are counted in hitStripes counters, each on its own cache line, so
// that goroutines hitting at once rarely write the same line (see
// internal/stripe); a fixed count, rather than one per CPU, keeps the zero
// Pool and Table ready to use at the price of eight cache lines. Misses are
// rare, always counted, in one counter.
const hitStripes = 8

type hitCounters struct {
	on      atomic.Bool
	stripes [hitStripes]struct {
		n atomic.Uint64
		_ [stripe.CacheLine - 8]byte
	}
}

// add adds one to the counter of the calling goroutine's stripe, if
// counting is on.
func (c *hitCounters) add() {
	if c.on.Load() {
		c.stripes[stripe.Index(hitStripes)].n.Add(1)
	}
}

// sum turns counting on and returns the hits counted so far.
func (c *hitCounters) sum() uint64 {
	c.on.Store(true)
	var n uint64
	for i := range c.stripes {
		n += c.stripes[i].n.Load()
	}
	return n
}

func countHit() { stats.hits.add() }

func countMiss() { stats.misses.Add(1) }
