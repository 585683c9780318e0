package gcwait

import (
	"context"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// Counted reports whether the runtime publishes how many cleanups it has
// queued and executed (the /gc/cleanups metrics, Go ≥ 1.26), which makes
// [Collect] exact.
var Counted = sync.OnceValue(func() bool {
	s := []metrics.Sample{{Name: queuedMetric}, {Name: executedMetric}}
	metrics.Read(s)
	return s[0].Value.Kind() == metrics.KindUint64 && s[1].Value.Kind() == metrics.KindUint64
})

// Collect runs one garbage collection and waits until the cleanups it queued
// have run, or ctx ends. runtime.GC returns after sweeping, and sweeping
// queues the cleanup of every object found unreachable, so every such
// cleanup is queued by then. With [Counted], Collect waits for the runtime's
// count of executed cleanups to reach the count queued: exact, though it
// counts every package's cleanups, so a blocked cleanup anywhere makes it
// wait for ctx. Without, it uses [CollectSentinel].
func Collect(ctx context.Context) error {
	if !Counted() {
		return CollectSentinel(ctx)
	}
	runtime.GC()
	queued, _ := counts()
	return Poll(ctx, func() bool {
		_, executed := counts()
		return executed >= queued
	})
}

// CollectSentinel runs one garbage collection and waits until the cleanup of
// a sentinel object that became unreachable in it has run, or ctx ends.
// Cleanups run in no specified order, so this approximates [Collect] on
// runtimes that do not count cleanups; it is exported so that callers can
// test that path on any runtime.
func CollectSentinel(ctx context.Context) error {
	done := make(chan struct{})
	runtime.AddCleanup(new(sentinel), func(done chan struct{}) { close(done) }, done)
	runtime.GC()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sentinel has a pointer field so that it is never a tiny (batched)
// allocation, whose cleanup might never run.
type sentinel struct{ _ *byte }

// Poll waits until cond holds or ctx ends, checking with a backoff from 10µs
// to 1ms. There is nothing to block on: the runtime signals neither the end
// of a cleanup nor a change of its counters.
func Poll(ctx context.Context, cond func() bool) error {
	if cond() {
		return nil
	}
	wait := 10 * time.Microsecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if cond() {
			return nil
		}
		wait = min(2*wait, time.Millisecond)
		t.Reset(wait)
	}
}

const (
	queuedMetric   = "/gc/cleanups/queued:cleanups"
	executedMetric = "/gc/cleanups/executed:cleanups"
)

func counts() (queued, executed uint64) {
	s := [2]metrics.Sample{{Name: queuedMetric}, {Name: executedMetric}}
	metrics.Read(s[:])
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}
