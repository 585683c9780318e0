package finalize_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// drainModes runs test once with Drain as it is on this runtime and once on
// the path of runtimes without cleanup queue metrics (before Go 1.26).
func drainModes(t *testing.T, test func(t *testing.T)) {
	t.Run("runtime", test)
	t.Run("sentinel", func(t *testing.T) {
		t.Cleanup(finalize.WithoutCleanupMetrics())
		// With several Ps the runtime runs cleanups on several goroutines,
		// so a sentinel can run while another cleanup still does: only then
		// does Drain's own count of running cleanups matter.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
		test(t)
	})
}

// blockedCleanup is the state of a cleanup that blocks until released.
type blockedCleanup struct {
	started  chan struct{}
	release  chan struct{}
	finished atomic.Bool
}

func (s *blockedCleanup) run(string) {
	close(s.started)
	<-s.release
	s.finished.Store(true)
}

func TestDrainWaitsForRunningCleanups(t *testing.T) {
	drainModes(t, func(t *testing.T) {
		hooks(t)
		s := &blockedCleanup{started: make(chan struct{}), release: make(chan struct{})}
		defer close(s.release)
		finalize.Register(&object{}, s.run, "blocked")
		runtime.GC()
		select {
		case <-s.started:
		case <-time.After(gctest.Timeout):
			t.Fatal("the cleanup did not start after a collection")
		}

		// While the cleanup blocks, Drain waits for it until its context ends.
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if err := finalize.Drain(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Drain with a blocked cleanup returned %v, want DeadlineExceeded", err)
		}
		if s.finished.Load() {
			t.Fatal("the blocked cleanup finished")
		}

		// Once released, Drain returns after it has finished.
		s.release <- struct{}{}
		drain(t)
		if !s.finished.Load() {
			t.Fatal("Drain returned before the cleanup finished")
		}
	})
}

func TestDrainWaitsForSlowCleanups(t *testing.T) {
	drainModes(t, func(t *testing.T) {
		hooks(t)
		var done atomic.Int32
		for range 3 {
			finalize.Register(&object{}, func(d time.Duration) {
				time.Sleep(d) // slow work, not a wait for the GC
				done.Add(1)
			}, 20*time.Millisecond)
		}
		drain(t)
		if n := done.Load(); n != 3 {
			t.Errorf("Drain returned after %d of 3 slow cleanups finished", n)
		}
	})
}

// chain registers n cleanups, each on an object that only the previous
// cleanup's argument keeps alive, so each becomes collectable only after the
// previous one ran.
func chain(c *counter, n int) {
	var next *object
	for range n {
		obj := &object{peer: next}
		finalize.Register(obj, func(keep *object) { c.add("link") }, next)
		next = obj
	}
}

func TestDrainRunsChains(t *testing.T) {
	drainModes(t, func(t *testing.T) {
		hooks(t)
		var c counter
		chain(&c, 4)
		drain(t)
		if n := c.count("link"); n != 4 {
			t.Errorf("after Drain, %d of a chain of 4 cleanups ran", n)
		}
	})
}

func TestDrainLeavesReachableObjects(t *testing.T) {
	drainModes(t, func(t *testing.T) {
		hooks(t)
		var c counter
		obj := &object{}
		h := finalize.Register(obj, c.add, "live")
		drain(t)
		if !h.Pending() || c.count("live") != 0 {
			t.Error("Drain ran the cleanup of a reachable object")
		}
		h.Cancel()
		runtime.KeepAlive(obj)
	})
}

func TestDrainReturnsContextError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := finalize.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Drain with a cancelled context returned %v", err)
	}
}
