package weakcache_test

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// TestConcurrentStress has goroutines store, load, compute, delete, iterate
// and drop values on a few keys while the GC runs, and checks what must hold
// under any interleaving: a lookup returns a value of its key or nothing (never
// nil with ok), at most one build runs per key, build errors and panics reach
// their callers, All yields no key twice, and once the goroutines are done the
// entries go and the counters add up. Bounded by an operation count and a time
// budget; meant for -race.
func TestConcurrentStress(t *testing.T) {
	check := gctest.LeakCheck(t, 1<<20) // goroutines and heap come back when done
	defer check()
	const (
		workers   = 4
		keys      = 128
		ops       = 200_000 // per worker
		budget    = 2 * time.Second
		keepAlive = 4
	)
	c := weakcache.New[int, node](weakcache.WithKeepAlive(keepAlive), weakcache.WithStats())
	var building [keys]atomic.Int32 // builds in progress per key
	var lookups, stores atomic.Uint64
	// Every worker gets its own random sequence, values it holds for a
	// while, and a check of what an operation returned; the steps report
	// on t themselves, and never end their worker.
	gctest.Stress(workers, ops, budget, func(w int) func(int) error {
		rng := rand.New(rand.NewPCG(uint64(w), 0x5eed))
		held := map[int]*node{}
		got := func(op string, k int, v *node, ok bool) {
			if ok != (v != nil) || v != nil && v.id != k {
				t.Errorf("%s(%d) = %v, %v", op, k, v, ok)
			}
			if v != nil && rng.IntN(2) == 0 {
				held[k] = v
			}
		}
		return func(int) error {
			k := rng.IntN(keys)
			switch rng.IntN(20) {
			case 0, 1, 2, 3, 4, 5:
				lookups.Add(1)
				v, ok := c.Load(k)
				got("Load", k, v, ok)
			case 6:
				v := newNode(k)
				c.Store(k, v)
				stores.Add(1)
				got("Store", k, v, true)
			case 7, 8:
				lookups.Add(1)
				v := newNode(k)
				actual, loaded := c.LoadOrStore(k, v)
				if !loaded {
					stores.Add(1)
				}
				got("LoadOrStore", k, actual, true)
			case 9, 10, 11, 12, 13:
				lookups.Add(1)
				v, built, err := compute(c, k, rng.IntN(16), &building[k])
				switch err := err.(type) {
				case nil:
					if v == built {
						stores.Add(1)
					}
					got("LoadOrCompute", k, v, true)
				case boom:
					if err.key != k {
						t.Errorf("LoadOrCompute(%d) panicked with %v", k, err)
					}
				default:
					if err != errBuild || v != nil {
						t.Errorf("LoadOrCompute(%d) = %v, %v", k, v, err)
					}
				}
			case 14:
				c.Delete(k)
			case 15:
				c.CompareAndDelete(k, held[k])
			case 16:
				seen := map[int]bool{}
				for k, v := range c.All() {
					if seen[k] {
						t.Errorf("All yielded key %d twice", k)
					}
					seen[k] = true
					got("All", k, v, true)
					if rng.IntN(4) == 0 {
						break
					}
				}
			case 17, 18:
				delete(held, k)
			case 19:
				if c.Len() < 0 {
					t.Error("negative Len")
				}
			}
			return nil
		}
	})
	if t.Failed() {
		return
	}

	// The workers dropped everything; only the ring holds values now.
	gctest.Until(t, "the entries of dropped values to go", func() bool { return c.Len() <= keepAlive })
	s := c.Stats()
	if s.Hits+s.Misses != lookups.Load() || s.Stores != stores.Load() || s.Collected > s.Stores {
		t.Fatalf("Stats = %+v; want %d lookups and %d stores", s, lookups.Load(), stores.Load())
	}
	t.Logf("%d lookups (%d hits), %d stores, %d collected", lookups.Load(), s.Hits, s.Stores, s.Collected)
}

// compute calls LoadOrCompute for k with a build that checks it runs alone
// for k, and fails when dice is 0 or panics when it is 1. It returns the value,
// the value the build made (if it ran and succeeded), and the error or the
// recovered panic.
func compute(c *weakcache.Cache[int, node], k, dice int, building *atomic.Int32) (v, built *node, err any) {
	defer func() {
		if r := recover(); r != nil {
			err = r
		}
	}()
	v, e := c.LoadOrCompute(k, func() (*node, error) {
		if n := building.Add(1); n != 1 {
			panic("two builds at once for one key")
		}
		defer building.Add(-1)
		switch dice {
		case 0:
			return nil, errBuild
		case 1:
			panic(boom{k})
		}
		built = newNode(k)
		return built, nil
	})
	if e != nil {
		return v, built, e
	}
	return v, built, nil
}
