package weakcache_test

// The guarantees of the package about collected values and cleanups:
// LoadOrCompute's are in compute_test.go, the zero Cache's and copies' in
// zero_test.go.

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"weak"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// The cleanup of an old value never removes a newer value stored under
// the same key.
func TestStaleCleanupKeepsNewerValue(t *testing.T) {
	c := weakcache.New[int, node]()
	old := newNode(1)
	c.Store(1, old)
	oldWP := weak.Make(old)
	newer := newNode(2)
	c.Store(1, newer)
	old = nil
	gctest.Until(t, "the old value to be collected", func() bool { return oldWP.Value() == nil })

	// The old value's cleanup, run as if the runtime had queued it before
	// Store stopped it.
	c.RunCleanup(1, oldWP)
	if v, ok := c.Load(1); v != newer || !ok {
		t.Fatalf("after the old value's cleanup, Load = %p, %v; want the newer value %p", v, ok, newer)
	}
	if n := c.Stats().Collected; n != 0 {
		t.Fatalf("Collected = %d, want 0", n)
	}

	// The same cleanup, with the entry it was made for still in place,
	// does remove it: the check above is not vacuous.
	c.StoreEntry(2, oldWP)
	c.RunCleanup(2, oldWP)
	if n := c.Len(); n != 1 {
		t.Fatalf("the cleanup did not remove its own dead entry: Len = %d, want 1", n)
	}
	if n := c.Stats().Collected; n != 1 {
		t.Fatalf("Collected = %d, want 1", n)
	}
	runtime.KeepAlive(newer)
}

// The same, with real cleanups racing a Store: the old value is dead and
// its cleanup queued (or already run) when the newer value is stored.
func TestQueuedCleanupRacingStoreKeepsNewerValue(t *testing.T) {
	c := weakcache.New[int, node]()
	for i := range 20 {
		c.Store(1, newNode(i)) // dropped at once
		runtime.GC()           // its cleanup is queued now, or has run
		newer := newNode(i)
		c.Store(1, newer)
		gctest.Collect(t)
		if v, ok := c.Load(1); v != newer || !ok {
			t.Fatalf("round %d: Load = %p, %v; want the newer value %p", i, v, ok, newer)
		}
		runtime.KeepAlive(newer)
	}
}

// Load never returns (nil, true); a dead entry is a miss and is removed
// on sight, by every operation that comes across it.
func TestDeadEntryIsMissRemovedOnSight(t *testing.T) {
	wp := deadPointer(t)
	fresh := newNode(2)
	tests := []struct {
		name  string
		op    func(t *testing.T, c *weakcache.Cache[int, node]) // on the dead entry of key 1
		len   int                                               // Len after op
		stats weakcache.Stats
	}{
		{"Load", func(t *testing.T, c *weakcache.Cache[int, node]) {
			if v, ok := c.Load(1); v != nil || ok {
				t.Errorf("Load = %v, %v", v, ok)
			}
		}, 0, weakcache.Stats{Misses: 1, Collected: 1}},
		{"LoadOrStore", func(t *testing.T, c *weakcache.Cache[int, node]) {
			if v, loaded := c.LoadOrStore(1, fresh); v != fresh || loaded {
				t.Errorf("LoadOrStore = %p, %v; want %p, false", v, loaded, fresh)
			}
		}, 1, weakcache.Stats{Entries: 1, Misses: 1, Stores: 1, Collected: 1}},
		{"LoadOrCompute", func(t *testing.T, c *weakcache.Cache[int, node]) {
			if v, err := c.LoadOrCompute(1, func() (*node, error) { return fresh, nil }); v != fresh || err != nil {
				t.Errorf("LoadOrCompute = %p, %v; want %p, nil", v, err, fresh)
			}
		}, 1, weakcache.Stats{Entries: 1, Misses: 1, Stores: 1, Collected: 1, Builds: 1}},
		{"Store", func(t *testing.T, c *weakcache.Cache[int, node]) { c.Store(1, fresh) },
			1, weakcache.Stats{Entries: 1, Stores: 1, Collected: 1}},
		{"Delete", func(t *testing.T, c *weakcache.Cache[int, node]) { c.Delete(1) },
			0, weakcache.Stats{Collected: 1}},
		{"CompareAndDelete", func(t *testing.T, c *weakcache.Cache[int, node]) {
			if c.CompareAndDelete(1, fresh) {
				t.Error("CompareAndDelete with another value deleted")
			}
		}, 0, weakcache.Stats{Collected: 1}},
		{"All", func(t *testing.T, c *weakcache.Cache[int, node]) {
			for k, v := range c.All() {
				t.Errorf("All yielded %d: %v", k, v)
			}
		}, 0, weakcache.Stats{Collected: 1}},
	}
	for _, tt := range tests {
		// Without WithStats, the same except that lookups are not counted.
		for _, withStats := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/WithStats=%v", tt.name, withStats), func(t *testing.T) {
				var opts []weakcache.Option
				want := tt.stats
				if withStats {
					opts = append(opts, weakcache.WithStats())
				} else {
					want.Hits, want.Misses = 0, 0
				}
				c := weakcache.New[int, node](opts...)
				c.StoreEntry(1, wp)
				if n := c.Len(); n != 1 {
					t.Fatalf("Len with the dead entry = %d, want 1", n)
				}
				tt.op(t, c)
				if n := c.Len(); n != tt.len {
					t.Errorf("Len after %s = %d, want %d", tt.name, n, tt.len)
				}
				if got := c.Stats(); got != want {
					t.Errorf("Stats = %+v, want %+v", got, want)
				}
			})
		}
	}
	runtime.KeepAlive(fresh)
}

// deadPointer returns a weak pointer whose value has been collected.
func deadPointer(t *testing.T) weak.Pointer[node] {
	wp := weak.Make(newNode(-1))
	gctest.Until(t, "a dropped value to be collected", func() bool { return wp.Value() == nil })
	return wp
}

// Overwriting or deleting an entry stops its cleanup, so cleanups do
// not pile up on values that outlive their entries.
func TestOverwriteAndDeleteStopCleanups(t *testing.T) {
	c := weakcache.New[int, node]()
	runs := c.CountCleanups()
	a, b := newNode(1), newNode(2)
	c.Store(1, a)
	c.Store(1, b) // overwrite
	c.Store(2, a)
	c.Delete(2) // delete
	c.Store(3, b)
	if !c.CompareAndDelete(3, b) { // compare and delete
		t.Fatal("CompareAndDelete did not delete")
	}
	if _, loaded := c.LoadOrStore(4, a); loaded {
		t.Fatal("LoadOrStore did not store")
	}
	c.Delete(4)
	if _, err := c.LoadOrCompute(5, func() (*node, error) { return b, nil }); err != nil {
		t.Fatal(err)
	}
	c.Delete(5)
	c.Delete(1)
	if n := c.Len(); n != 0 {
		t.Fatalf("Len = %d, want 0", n)
	}

	wpA, wpB := weak.Make(a), weak.Make(b)
	a, b = nil, nil
	gctest.Until(t, "both values to be collected", func() bool { return wpA.Value() == nil && wpB.Value() == nil })
	gctest.Collect(t)
	if n := runs.Load(); n != 0 {
		t.Fatalf("%d cleanups of deleted or overwritten entries ran", n)
	}

	// Control: the cleanup of a value that stays in the cache does run and
	// is counted.
	c.Store(6, newNode(6))
	gctest.Until(t, "the stored value's cleanup", func() bool { return runs.Load() == 1 && c.Len() == 0 })
}

// The same on the path where a build loses: a LoadOrCompute build whose key
// was stored while it ran returns the stored value, and the cleanup it had
// attached to its own value is stopped, not left to run when that value dies.
func TestLosingBuildStopsItsCleanup(t *testing.T) {
	c := weakcache.New[int, node]()
	runs := c.CountCleanups()
	stored := newNode(1)
	wp := func() weak.Pointer[node] {
		built := newNode(2)
		got, err := c.LoadOrCompute(1, func() (*node, error) {
			c.Store(1, stored) // stored while the build runs: the build loses
			return built, nil
		})
		if err != nil || got != stored {
			t.Fatalf("LoadOrCompute = %v, %v; want the stored value", got, err)
		}
		return weak.Make(built)
	}()
	gctest.Until(t, "the losing build's value to be collected", func() bool { return wp.Value() == nil })
	gctest.Collect(t)
	if n := runs.Load(); n != 0 {
		t.Fatalf("%d cleanups ran for a value that was never stored", n)
	}
	runtime.KeepAlive(stored)
}

// The values' cleanups do not keep the cache alive: a dropped cache is
// collected while its values are still in use, and their cleanups are then
// stopped (as for a deleted entry: cleanups must not pile up on values that
// outlive their entries). The same holds for a zero Cache held in place in a
// struct that is dropped.
func TestDroppedCacheCollectedWhileValuesLive(t *testing.T) {
	type holder struct {
		name  string
		cache weakcache.Cache[int, node]
	}
	for name, newCache := range map[string]func() (c *weakcache.Cache[int, node], dropped func() bool){
		"New": func() (*weakcache.Cache[int, node], func() bool) {
			c := weakcache.New[int, node](weakcache.WithKeepAlive(4))
			wc := weak.Make(c)
			return c, func() bool { return wc.Value() == nil }
		},
		"zero Cache in a struct": func() (*weakcache.Cache[int, node], func() bool) {
			h := &holder{name: "nodes"}
			wh := weak.Make(h)
			return &h.cache, func() bool { return wh.Value() == nil }
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, dropped := newCache()
			runs := c.CountCleanups()
			stateGone := c.StateGone()
			values := make([]*node, 100)
			for i := range values {
				values[i] = newNode(i)
				c.Store(i, values[i])
			}
			built, err := c.LoadOrCompute(1000, func() (*node, error) { return newNode(1000), nil })
			if err != nil {
				t.Fatal(err)
			}

			c = nil
			gctest.Until(t, "the dropped cache to be collected", func() bool { return dropped() && stateGone() })
			gctest.Collect(t)
			for i, v := range values {
				if v.id != i {
					t.Fatalf("value %d has id %d", i, v.id)
				}
			}
			runtime.KeepAlive(built)

			// The values die after the cache: their cleanups were stopped.
			wv := weak.Make(values[0])
			values, built = nil, nil
			gctest.Until(t, "the values to be collected", func() bool { return wv.Value() == nil })
			gctest.Collect(t)
			if n := runs.Load(); n != 0 {
				t.Fatalf("%d value cleanups ran after their cache was collected; they should have been stopped", n)
			}
		})
	}
}

// Entries disappear after their values are collected, and each such entry is
// counted once in Stats.Collected.
func TestEntriesDisappearAfterValuesCollected(t *testing.T) {
	c := weakcache.New[int, node]()
	const n = 1000
	for i := range n {
		c.Store(i, newNode(i)) // dropped at once
	}
	for i := n; i < 2*n; i++ {
		if _, err := c.LoadOrCompute(i, func() (*node, error) { return newNode(i), nil }); err != nil {
			t.Fatal(err)
		}
	}
	// Len falls as each entry is removed, Collected rises just after it.
	gctest.Until(t, "Len() to reach 0", func() bool { return c.Len() == 0 })
	gctest.Until(t, "every removal to be counted", func() bool { return c.Stats().Collected >= 2*n })
	cycles(t, 2)
	if got := c.Stats().Collected; got != 2*n {
		t.Fatalf("Collected = %d, want %d", got, 2*n)
	}
	for k, v := range c.All() {
		t.Errorf("All yielded %d: %v after all values were collected", k, v)
	}
}

// WithKeepAlive: the values of the most recent uses survive collections; the
// others go as TestEntriesDisappearAfterValuesCollected checks.
func TestWithKeepAliveHoldsRecentValues(t *testing.T) {
	c := weakcache.New[int, node](weakcache.WithKeepAlive(2))
	for i := range 3 {
		c.Store(i, newNode(i)) // dropped at once; the ring holds 1 and 2
	}
	// liveKeys iterates with All, which is not a use.
	gctest.Until(t, "only keys 1 and 2 to remain", func() bool { return slices.Equal(liveKeys(c), []int{1, 2}) })
	cycles(t, 3)
	if got := liveKeys(c); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("live keys = %v, want [1 2]: held values were collected", got)
	}

	// A hit is a use: key 1 becomes the most recent, so storing key 3
	// displaces key 2.
	if _, ok := c.Load(1); !ok {
		t.Fatal("Load(1) missed")
	}
	c.Store(3, newNode(3))
	gctest.Until(t, "only keys 1 and 3 to remain", func() bool { return slices.Equal(liveKeys(c), []int{1, 3}) })
	cycles(t, 3)
	if got := liveKeys(c); !slices.Equal(got, []int{1, 3}) {
		t.Fatalf("live keys = %v, want [1 3]: held values were collected", got)
	}
}

// Zero-size values are rejected by New and by the first use of a zero Cache.
func TestZeroSizeValuesRejected(t *testing.T) {
	for name, newCache := range map[string]func(){
		"struct{}":    func() { weakcache.New[int, struct{}]() },
		"[0]int":      func() { weakcache.New[int, [0]int]() },
		"nested zero": func() { weakcache.New[string, struct{ _, _ struct{} }]() },
		"zero Cache":  func() { new(weakcache.Cache[int, struct{}]).Len() },
	} {
		t.Run(name, func(t *testing.T) {
			msg := panicMessage(t, newCache)
			if !strings.HasPrefix(msg, "weakcache: value type ") || !strings.Contains(msg, "has size zero") {
				t.Fatalf("panic message %q", msg)
			}
		})
	}
}

// The documentation promises collection for pointer-free values of 16
// bytes or more (smaller ones may be tiny allocations that are never freed).
// This pins the boundary the documentation states.
func TestSixteenBytePointerFreeValuesAreCollected(t *testing.T) {
	c := weakcache.New[int, [2]uint64]()
	for i := range 100 {
		c.Store(i, &[2]uint64{uint64(i)})
	}
	gctest.Until(t, "16-byte values to be collected", func() bool { return c.Len() == 0 })
}

// liveKeys returns the keys of c's live entries, sorted.
func liveKeys(c *weakcache.Cache[int, node]) []int {
	var keys []int
	for k := range c.All() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func cycles(t *testing.T, n int) {
	t.Helper()
	for range n {
		gctest.Collect(t)
	}
}
