package gcwait_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gcwait"
)

type object struct{ _ [64]byte }

// TestCollectRunsQueuedCleanups: every object below is unreachable before
// the collection, so its cleanup is queued by it and has run when Collect
// returns (exactly, where the runtime counts cleanups).
func TestCollectRunsQueuedCleanups(t *testing.T) {
	if !gcwait.Counted() {
		t.Skip("this runtime does not count cleanups; TestCollectSentinel covers it")
	}
	var ran atomic.Int32
	for range 100 {
		runtime.AddCleanup(new(object), func(*atomic.Int32) { ran.Add(1) }, &ran)
	}
	if err := gcwait.Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ran.Load(); got != 100 {
		t.Fatalf("after Collect, %d of 100 cleanups ran", got)
	}
}

func TestCollectSentinel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := gcwait.CollectSentinel(ctx); err != nil {
		t.Fatalf("sentinel cleanup did not run: %v", err)
	}
}

func TestCollectHonoursContext(t *testing.T) {
	// A cleanup that blocks keeps the executed count below the queued one:
	// Collect must return at the deadline with ctx's error.
	if !gcwait.Counted() {
		t.Skip("needs the runtime's cleanup counts")
	}
	release := make(chan struct{})
	defer close(release)
	runtime.AddCleanup(new(object), func(ch chan struct{}) { <-ch }, release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := gcwait.Collect(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Collect with a blocked cleanup = %v, want the deadline", err)
	}
}

func TestPoll(t *testing.T) {
	n := 0
	if err := gcwait.Poll(context.Background(), func() bool { n++; return n == 5 }); err != nil || n != 5 {
		t.Fatalf("Poll = %v after %d checks", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := gcwait.Poll(ctx, func() bool { return false }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Poll on a canceled context = %v", err)
	}
}
