package weakcache_test

// LoadOrCompute runs at most one build per key at a time, returns the
// same pointer to every concurrent caller, runs user code under no lock of the
// cache, does not wedge a key whose build panicked, and stores nothing when the
// build fails.

import (
	"errors"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// blockedBuild returns a build function that counts its calls and waits for
// release before it returns result().
func blockedBuild(calls *atomic.Int32, release <-chan struct{}, result func() (*node, error)) func() (*node, error) {
	return func() (*node, error) {
		calls.Add(1)
		<-release
		return result()
	}
}

// lineUp starts a caller call(0), waits until its build runs (calls reaches 1),
// then starts callers call(1) … call(n-1) and waits until they all wait for
// that build of key k.
func lineUp(t *testing.T, c *weakcache.Cache[int, node], k, n int, calls *atomic.Int32, call func(i int)) *sync.WaitGroup {
	t.Helper()
	var wg sync.WaitGroup
	start := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call(i)
		}()
	}
	start(0)
	gctest.WaitFor(t, "the first build to start", func() bool { return calls.Load() == 1 })
	for i := 1; i < n; i++ {
		start(i)
	}
	gctest.WaitFor(t, "the other callers to wait for the build", func() bool {
		w, building := c.Waiters(k)
		return building && w == n-1
	})
	return &wg
}

func TestLoadOrComputeOneBuildSamePointerForAllCallers(t *testing.T) {
	c := weakcache.New[int, node](weakcache.WithStats())
	const callers = 8
	var calls atomic.Int32
	release := make(chan struct{})
	build := blockedBuild(&calls, release, func() (*node, error) { return newNode(1), nil })
	results := make([]*node, callers)
	errs := make([]error, callers)
	wg := lineUp(t, c, 1, callers, &calls, func(i int) {
		results[i], errs[i] = c.LoadOrCompute(1, build)
	})

	// Builds of other keys are not held up by the one in progress.
	if other, err := c.LoadOrCompute(2, func() (*node, error) { return newNode(2), nil }); err != nil || other.id != 2 {
		t.Fatalf("LoadOrCompute(2) during the build of 1 = %v, %v", other, err)
	}

	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d builds, want 1", n)
	}
	if results[0] == nil {
		t.Fatalf("builder got nil, %v", errs[0])
	}
	for i, v := range results {
		if v != results[0] || errs[i] != nil {
			t.Errorf("caller %d got %p, %v; want %p, nil", i, v, errs[i], results[0])
		}
	}
	if v, ok := c.Load(1); v != results[0] || !ok {
		t.Fatalf("Load = %p, %v; want %p, true", v, ok, results[0])
	}
	if got, want := c.Stats(), (weakcache.Stats{Entries: 2, Hits: 1, Misses: callers + 1, Stores: 2, Builds: 2, Waits: callers - 1}); got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
}

// A build may use the cache in every way (other keys, its own key, iteration)
// without deadlocking: it runs under no lock.
func TestLoadOrComputeBuildRunsUnderNoLock(t *testing.T) {
	c := weakcache.New[int, node]()
	held := make([]*node, 0, 512)
	build := func() (*node, error) {
		// 256 keys cover every bucket of the map and every flight shard.
		for k := 1; k <= 256; k++ {
			v := newNode(k)
			held = append(held, v)
			c.Store(k, v)
			c.Load(k)
			c.LoadOrStore(k, v)
			w, err := c.LoadOrCompute(1000+k, func() (*node, error) { return newNode(1000 + k), nil })
			if err != nil {
				return nil, err
			}
			held = append(held, w)
			c.CompareAndDelete(k, v)
			c.Delete(k)
		}
		c.Load(0) // its own key: a miss
		for range c.All() {
		}
		c.Len()
		c.Stats()
		return newNode(0), nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.LoadOrCompute(0, build)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("LoadOrCompute deadlocked: the build ran under a lock of the cache")
	}

	runtime.KeepAlive(held)
}

type boom struct{ key int }

func TestLoadOrComputePanickingBuildDoesNotWedgeKey(t *testing.T) {
	c := weakcache.New[int, node]()

	// The panic reaches the caller with its value, and nothing is stored.
	if r := recovered(func() {
		_, _ = c.LoadOrCompute(1, func() (*node, error) { panic(boom{1}) })
	}); r != (boom{1}) {
		t.Fatalf("LoadOrCompute panicked with %v, want boom{1}", r)
	}
	if n := c.Len(); n != 0 {
		t.Fatalf("Len = %d after a panicked build, want 0", n)
	}
	if _, building := c.Waiters(1); building {
		t.Fatal("the panicked build is still registered")
	}

	// The key is not wedged: the next caller builds.
	v, err := c.LoadOrCompute(1, func() (*node, error) { return newNode(1), nil })
	if err != nil || v.id != 1 {
		t.Fatalf("LoadOrCompute after the panic = %v, %v", v, err)
	}

	// Callers that waited for a build that panicked try again, and one of
	// them builds for the others.
	var calls, waiterBuilds atomic.Int32
	release := make(chan struct{})
	panicking := blockedBuild(&calls, release, func() (*node, error) { panic(boom{2}) })
	results := make([]*node, 3)
	panics := make([]any, 3)
	wg := lineUp(t, c, 2, 3, &calls, func(i int) {
		if i == 0 {
			panics[i] = recovered(func() { _, _ = c.LoadOrCompute(2, panicking) })
			return
		}
		panics[i] = recovered(func() {
			results[i], _ = c.LoadOrCompute(2, func() (*node, error) {
				waiterBuilds.Add(1)
				return newNode(2), nil
			})
		})
	})
	close(release)
	wg.Wait()
	if panics[0] != (boom{2}) || panics[1] != nil || panics[2] != nil {
		t.Fatalf("panics = %v; want only the builder's boom{2}", panics)
	}
	if n := waiterBuilds.Load(); n != 1 {
		t.Fatalf("the waiters ran %d builds, want 1", n)
	}
	if results[1] == nil || results[1] != results[2] {
		t.Fatalf("the waiters got %p and %p, want one value", results[1], results[2])
	}
	runtime.KeepAlive(v)
}

func TestLoadOrComputeFailedBuildStoresNothing(t *testing.T) {
	c := weakcache.New[int, node]()
	v, err := c.LoadOrCompute(1, func() (*node, error) { return newNode(1), errBuild })
	if v != nil || !errors.Is(err, errBuild) {
		t.Fatalf("LoadOrCompute with a failing build = %v, %v; want nil, %v", v, err, errBuild)
	}
	if _, ok := c.Load(1); ok || c.Len() != 0 || c.Stats().Stores != 0 {
		t.Fatalf("a failed build stored something: Len = %d, Stats = %+v", c.Len(), c.Stats())
	}

	// Callers that waited for the failed build get its error; nothing is
	// stored for them either.
	var calls atomic.Int32
	release := make(chan struct{})
	failing := blockedBuild(&calls, release, func() (*node, error) { return nil, errBuild })
	results := make([]*node, 4)
	errs := make([]error, 4)
	wg := lineUp(t, c, 1, 4, &calls, func(i int) {
		results[i], errs[i] = c.LoadOrCompute(1, failing)
	})
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d builds, want 1", n)
	}
	for i := range errs {
		if results[i] != nil || !errors.Is(errs[i], errBuild) {
			t.Errorf("caller %d got %v, %v; want nil, %v", i, results[i], errs[i], errBuild)
		}
	}
	if c.Len() != 0 || c.Stats().Stores != 0 {
		t.Fatalf("failed builds stored something: Len = %d, Stats = %+v", c.Len(), c.Stats())
	}
}

// A value stored while a build runs wins over the build's value, so that two
// callers never hold two live copies.
func TestLoadOrComputeStoreDuringBuildWins(t *testing.T) {
	c := weakcache.New[int, node]()
	stored := newNode(1)
	v, err := c.LoadOrCompute(1, func() (*node, error) {
		c.Store(1, stored)
		return newNode(1), nil
	})
	if v != stored || err != nil {
		t.Fatalf("LoadOrCompute = %p, %v; want the stored value %p", v, err, stored)
	}
	if got, _ := c.Load(1); got != stored {
		t.Fatalf("Load = %p, want the stored value %p", got, stored)
	}
	if n := c.Stats().Stores; n != 1 {
		t.Fatalf("Stores = %d, want 1: the build's value must not be stored", n)
	}
}

// TestNaNKeysAreNeverStored: a key not equal to itself is never found
// again, so no method stores one (the entry could never be removed, even
// after its value died); each LoadOrCompute of a NaN runs its build, and none
// may stay behind in the table of builds in progress, which could not remove
// it either.
func TestNaNKeysAreNeverStored(t *testing.T) {
	c := weakcache.New[float64, node]()
	var held []*node
	for range 100 {
		v, err := c.LoadOrCompute(math.NaN(), func() (*node, error) { return &node{}, nil })
		if err != nil || v == nil {
			t.Fatalf("LoadOrCompute(NaN) = %v, %v", v, err)
		}
		held = append(held, v)
	}
	if n := c.Flights(); n != 0 {
		t.Errorf("%d builds of NaN keys left in the flight table", n)
	}
	if _, err := c.LoadOrCompute(math.NaN(), func() (*node, error) { return nil, errors.New("no") }); err == nil {
		t.Error("LoadOrCompute(NaN) hid its build's error")
	}
	v := &node{}
	if got, loaded := c.LoadOrStore(math.NaN(), v); got != v || loaded {
		t.Errorf("LoadOrStore(NaN, v) = %p, %v; want v (%p), false", got, loaded, v)
	}
	c.Store(math.NaN(), v)
	if n := c.Len(); n != 0 {
		t.Errorf("Len() = %d after storing under NaN keys only, want 0", n)
	}
	for k := range c.All() {
		t.Errorf("All yields key %v", k)
	}
	if s := c.Stats(); s.Stores != 0 {
		t.Errorf("Stats().Stores = %d for values never stored", s.Stores)
	}
	runtime.KeepAlive(held)
	runtime.KeepAlive(v)
}
