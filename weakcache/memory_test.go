package weakcache_test

import (
	"runtime"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/internal/race"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// payload is the 64-byte value of the memory and allocation figures.
type payload struct{ _ [64]byte }

// entryBudget is the most heap a live entry may cost beyond its value
// (K = int, V = payload): the map node, the weak pointer's handle, the
// cleanup's argument and closure, and the entry's share of the map's buckets.
const entryBudget = 120

func TestBytesPerEntry(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation sizes; the plain go test run checks bytes per entry")
	}
	const n = 100_000
	values := newPayloads(n)
	per := memsize.PerObject(n, func() any { return filledCache(values) })
	t.Logf("%.1f heap bytes per live entry, value excluded", per)
	// Below the map node and the weak handle alone (32 + 16 bytes), the
	// measurement itself would be broken.
	if per < 48 || per > entryBudget {
		t.Fatalf("%.1f bytes per live entry, want 48 … %d", per, entryBudget)
	}
	runtime.KeepAlive(values)
}

func newPayloads(n int) []*payload {
	values := make([]*payload, n)
	for i := range values {
		values[i] = new(payload)
	}
	return values
}

// filledCache returns a cache holding values[i] under i.
func filledCache(values []*payload) *weakcache.Cache[int, payload] {
	c := weakcache.New[int, payload]()
	for i, v := range values {
		c.Store(i, v)
	}
	return c
}

// The cache's own allocations on a LoadOrCompute miss: the map node, the weak
// pointer's handle, and runtime.AddCleanup's two (its argument and a
// closure). The value itself is the build function's business and is
// allocated before the measurement here.
func TestLoadOrComputeMissAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations; the plain go test run checks allocation counts")
	}
	const runs = 1000
	c := weakcache.New[int, payload]()
	values := newPayloads(runs + 1) // AllocsPerRun makes one warm-up call
	i := 0
	build := func() (*payload, error) { return values[i], nil }
	allocs := testing.AllocsPerRun(runs, func() {
		if _, err := c.LoadOrCompute(i, build); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 4 {
		t.Fatalf("LoadOrCompute miss: %v allocations, want ≤ 4", allocs)
	}
	if c.Len() != runs+1 {
		t.Fatalf("Len = %d, want %d", c.Len(), runs+1)
	}
	runtime.KeepAlive(values)
}

func TestLoadHitDoesNotAllocate(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations; the plain go test run checks allocation counts")
	}
	c := weakcache.New[int, payload](weakcache.WithKeepAlive(8))
	v := new(payload)
	c.Store(1, v)
	if allocs := testing.AllocsPerRun(1000, func() { c.Load(1) }); allocs != 0 {
		t.Fatalf("Load hit: %v allocations, want 0", allocs)
	}
	runtime.KeepAlive(v)
}
