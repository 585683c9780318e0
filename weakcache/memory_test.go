package weakcache_test

import (
	"runtime"
	"testing"

	"github.com/puzpuzpuz/xsync/v3"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// payload is the 64-byte value of the memory and allocation figures.
type payload struct{ _ [64]byte }

func newPayloads(n int) []*payload {
	values := make([]*payload, n)
	for i := range values {
		values[i] = new(payload)
	}
	return values
}

// memoryImpls fill a structure with values[i] under i, for the bytes per
// entry that BenchmarkMemory reports and TestBytesPerEntry bounds.
var memoryImpls = []struct {
	name string
	fill func(values []*payload) any
}{
	{"weakcache", func(values []*payload) any {
		c := weakcache.New[int, payload]()
		for i, v := range values {
			c.Store(i, v)
		}
		return c
	}},
	{"syncmap-weak", func(values []*payload) any {
		c := new(syncMapCache[int, payload])
		for i, v := range values {
			c.Store(i, v)
		}
		return c
	}},
	{"xsync-strong", func(values []*payload) any {
		m := xsync.NewMapOf[int, *payload]()
		for i, v := range values {
			m.Store(i, v)
		}
		return m
	}},
}

// bytesPerEntry returns the live heap per entry of what fill builds for
// 100,000 new values, the values not counted. The values are new for every
// measurement: a value keeps its weak handle (16 bytes, made for the first
// weak pointer to it) for life, so reused values would hide that cost.
func bytesPerEntry(fill func(values []*payload) any) float64 {
	const n = 100_000
	values := newPayloads(n)
	per := memsize.PerObject(n, func() any { return fill(values) })
	runtime.KeepAlive(values)
	return per
}

// entryBudget is the most heap a live entry may cost beyond its value
// (K = int, V = payload): the map node, the weak pointer's handle, the
// cleanup's argument and closure, and the entry's share of the map's buckets.
const entryBudget = 120

func TestBytesPerEntry(t *testing.T) {
	gctest.SkipIfRace(t)
	per := bytesPerEntry(memoryImpls[0].fill)
	t.Logf("%.1f heap bytes per live entry, value excluded", per)
	// An entry always costs something: a measurement that finds nothing is
	// broken, not an improvement.
	if per <= 0 || per > entryBudget {
		t.Fatalf("%.1f bytes per live entry, want more than 0 and at most %d", per, entryBudget)
	}
}

// allocsPerRun is testing.AllocsPerRun without its rounding down to a whole
// number, which would hide up to one allocation per run.
func allocsPerRun(runs int, f func()) float64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(runs)
}

// The cache's own allocations on a LoadOrCompute miss are exactly 4: the
// map's node for the entry, the weak pointer's handle, and runtime.AddCleanup's
// two (its argument and a closure). The value is the build function's
// business and is allocated before the measurement. Each miss is followed by
// a Delete, which allocates nothing and keeps the map at its size: a growing
// map also allocates buckets, a share of an insert that depends on the map's
// size (BenchmarkLoadOrComputeMiss includes it), not on the cache.
func TestLoadOrComputeMissAllocs(t *testing.T) {
	gctest.SkipIfRace(t)
	const runs, warmUp = 10_000, 1024
	c := weakcache.New[int, payload]()
	values := newPayloads(warmUp + runs)
	k := 0
	build := func() (*payload, error) { return values[k], nil }
	miss := func() {
		if v, err := c.LoadOrCompute(k, build); v != values[k] || err != nil {
			t.Fatalf("LoadOrCompute(%d) = %p, %v; want %p, nil", k, v, err, values[k])
		}
		c.Delete(k)
		k++
	}
	// The first builds on a flight shard make its table and spare flight.
	for range warmUp {
		miss()
	}
	// Earlier tests' values and their cleanups must not allocate during the
	// measurement.
	cycles(t, 2)
	if allocs := allocsPerRun(runs, miss); allocs > 4 {
		t.Fatalf("LoadOrCompute miss: %.4f allocations, want 4", allocs)
	}
	if n := c.Len(); n != 0 {
		t.Fatalf("Len = %d after deleting every key, want 0", n)
	}
	runtime.KeepAlive(values)
}

func TestLoadHitDoesNotAllocate(t *testing.T) {
	gctest.SkipIfRace(t)
	for name, opts := range map[string][]weakcache.Option{
		"default":             nil,
		"WithStats+KeepAlive": {weakcache.WithStats(), weakcache.WithKeepAlive(8)},
	} {
		c := weakcache.New[int, payload](opts...)
		v := new(payload)
		c.Store(1, v)
		if allocs := testing.AllocsPerRun(1000, func() { c.Load(1) }); allocs != 0 {
			t.Errorf("%s: Load hit: %v allocations, want 0", name, allocs)
		}
		runtime.KeepAlive(v)
	}
}
