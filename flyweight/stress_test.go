package flyweight_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// TestFactoryStress gets instances from several goroutines while another
// forces collections, bounded by a count and a time limit. Each worker holds
// the instances of some keys for a while and drops them, so that instances
// are collected and rebuilt all along. No key may ever have two instances
// that are not collected: the test keeps a weak pointer to the last instance
// seen for each key, and while it is not nil (all weak pointers to an object
// turn nil together, the factory's own included) every Get must return that
// very instance. Afterwards the goroutines are gone and the heap is back near
// where it was.
func TestFactoryStress(t *testing.T) {
	check := gctest.LeakCheck(t, 1<<20)
	const (
		workers = 4
		keys    = 256
		ops     = 200_000
		limit   = 2 * time.Second
	)
	var builds atomic.Int64
	f := flyweight.NewFactory(func(k int) (*style, error) {
		builds.Add(1)
		return &style{Size: k}, nil
	})
	var mu sync.Mutex
	var last [keys]weak.Pointer[style]
	// seen records that a Get of k returned s, and reports whether another
	// instance of k is still uncollected.
	seen := func(k int, s *style) bool {
		mu.Lock()
		defer mu.Unlock()
		if prev := last[k].Value(); prev != nil && prev != s {
			return false
		}
		last[k] = weak.Make(s)
		return true
	}
	errs := gctest.Stress(workers, ops, limit, func(w int) func(int) error {
		held := map[int]*style{}
		return func(i int) error {
			// A window of 8 keys that moves on every 500 gets, so that
			// each key goes unused (not even looked up, which would keep
			// it alive through the collection running at that moment)
			// long enough to be collected, and comes back later to be
			// rebuilt.
			k := (i/500*8 + i%8 + w*3) % keys
			s, err := f.Get(k)
			if err != nil || s.Size != k {
				return fmt.Errorf("Get(%d) = %+v, %v", k, s, err)
			}
			if !seen(k, s) {
				return fmt.Errorf("worker %d got a second uncollected instance of key %d", w, k)
			}
			held[k] = s
			if i%4 == 3 {
				clear(held) // drop everything now and then
			}
			return nil
		}
	})
	for _, err := range errs {
		t.Error(err)
	}
	t.Logf("%d builds for %d keys", builds.Load(), keys)
	if builds.Load() <= keys {
		t.Errorf("no instance was ever collected and rebuilt: the test exercised nothing")
	}
	gctest.Until(t, "every instance to be collected and forgotten", func() bool { return f.Len() == 0 })
	check()
}
