package gctest

import (
	"context"
	"os"
	"strconv"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gcwait"
)

// TB is the part of [testing.TB] that [Until] needs.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Timeout bounds every wait in this package. It is 30s, or the number of
// seconds in the FLYWEIGHT_GC_TIMEOUT environment variable: generous, because
// CI runs the suite under -race and with GOGC=1 on two cores.
var Timeout = timeoutFromEnv()

func timeoutFromEnv() time.Duration {
	if s, err := strconv.Atoi(os.Getenv("FLYWEIGHT_GC_TIMEOUT")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 30 * time.Second
}

// Cycle runs one full garbage collection and waits until the cleanups it
// queued have run (see [gcwait.Collect]), or timeout passes. It reports
// whether they ran in time. That is exact on runtimes that count cleanups
// (Go ≥ 1.26, [gcwait.Counted]); on older ones Cycle waits for one sentinel
// cleanup, and others of the same collection may still be running when it
// returns: a test that needs a cleanup to have run waits for its effect with
// [Until], which is right on every runtime.
func Cycle(timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return gcwait.Collect(ctx) == nil
}

// Collect runs one garbage collection and waits for the cleanups it queued,
// as [Cycle] does with [Timeout], and fails tb if they do not run in time: a
// test that gives the collector a chance to reclaim something wrongly, or
// waits for a cleanup's effect, is no test if the collection did not finish.
func Collect(tb TB) {
	tb.Helper()
	if !Cycle(Timeout) {
		tb.Fatalf("gctest: the cleanups of a collection did not run within %v", Timeout)
	}
}

// Until runs garbage collections, each followed by the cleanups it queued
// (see [Cycle]), until cond returns true. If cond is still false after
// [Timeout], it fails tb with a message that names what was awaited.
func Until(tb TB, what string, cond func() bool) {
	tb.Helper()
	if cycles, elapsed, ok := poll(cond); !ok {
		tb.Fatalf("gctest: gave up waiting for %s after %d GC cycles in %v", what, cycles, elapsed)
	}
}

// poll runs garbage collections, each followed by the cleanups it queued,
// until cond returns true or [Timeout] passes, and reports which.
func poll(cond func() bool) (cycles int, elapsed time.Duration, ok bool) {
	start := time.Now()
	deadline := start.Add(Timeout)
	for cycles = 1; ; cycles++ {
		if cond() {
			return cycles, time.Since(start), true
		}
		if time.Now().After(deadline) {
			return cycles, time.Since(start).Round(time.Millisecond), false
		}
		Cycle(time.Until(deadline))
	}
}
