package finalize

import (
	"context"
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/gcwait"
)

// gcRuns counts the cleanups the GC runs through this package, so that Drain
// can wait for exactly those: its high 32 bits count the runs begun (modulo
// 2³²), its low 32 bits the runs begun and not yet finished, fn and hooks
// included. One word makes that one atomic add at each end of a run. Register
// and Run do not touch it.
var gcRuns atomic.Uint64

const (
	gcRunStarted  = 1<<32 + 1
	gcRunFinished = ^uint64(0) // adding it subtracts 1
)

func gcRunsStarted() uint32 { return uint32(gcRuns.Load() >> 32) }
func gcRunsRunning() uint32 { return uint32(gcRuns.Load()) }

// Drain runs a garbage collection and waits until the cleanups registered
// through this package that it made runnable have finished (functions and
// hooks), then repeats until a collection starts none, so that cleanups freed
// by other cleanups (a chain of resources) run too. It returns nil then, or
// ctx.Err() if ctx ends first; the cleanups keep running in the background.
//
// Drain is for tests ("after this, the leak has been reported") and for
// graceful shutdown after the program has dropped its resources. It does not
// run handles whose objects are still reachable: use [RunAll] or
// [Handle.Run] for those. While the program keeps dropping registered objects,
// every collection finds more and Drain returns only when ctx ends.
//
// How it knows that a collection's cleanups have started: on Go ≥ 1.26 it
// waits until the runtime has executed as many cleanups as were queued when
// the collection ended (the /gc/cleanups metrics); this covers every package's
// cleanups queued by that collection, so a cleanup of another package that
// blocks makes Drain wait for ctx. Earlier runtimes have no such count, and
// Drain waits instead for a sentinel cleanup queued by the same collection,
// and for two collections in a row that start none of this package's
// cleanups; cleanups run in no specified order, so there Drain is a close
// approximation rather than a guarantee. In both cases the package's own
// counter then makes Drain wait for cleanups that have started and not
// finished, however long they take.
//
// Drain is safe for concurrent use. It must not be called from a cleanup
// function, which would wait for itself until ctx ends.
func Drain(ctx context.Context) error {
	quietCycles := 1
	if !runtimeCountsCleanups() {
		quietCycles = 2
	}
	for quiet := 0; quiet < quietCycles; {
		if err := ctx.Err(); err != nil {
			return err
		}
		before := gcRunsStarted()
		if err := collect(ctx); err != nil {
			return err
		}
		if err := gcwait.Poll(ctx, func() bool { return gcRunsRunning() == 0 }); err != nil {
			return err
		}
		if gcRunsStarted() == before {
			quiet++
		} else {
			quiet = 0
		}
	}
	return nil
}

// collect runs a garbage collection and waits until every cleanup it queued
// has started, as far as the runtime lets us know (see Drain).
func collect(ctx context.Context) error {
	if !runtimeCountsCleanups() {
		return gcwait.CollectSentinel(ctx)
	}
	return gcwait.Collect(ctx)
}

// runtimeCountsCleanups reports whether the runtime publishes the cleanup
// queue metrics (Go ≥ 1.26). It is a variable so that the tests can take the
// fallback path on any runtime.
var runtimeCountsCleanups = gcwait.Counted
