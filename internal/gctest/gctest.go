package gctest

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"time"
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

// Cycle runs one full garbage collection (which also finishes sweeping, so
// every cleanup made eligible by it is queued when runtime.GC returns) and then
// waits until the runtime's cleanup queue has drained or timeout passes. It
// reports whether the queue drained.
//
// The queue length comes from the runtime/metrics counters
// /gc/cleanups/queued and /gc/cleanups/executed (Go ≥ 1.26). On older
// runtimes, Cycle waits instead for the cleanup of a sentinel object that
// became unreachable in the same collection; cleanups run in no specified
// order, so there it is a good approximation, not a guarantee.
func Cycle(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	if !cleanupMetricsSupported {
		return cycleWithSentinel(deadline)
	}
	runtime.GC()
	for wait := time.Microsecond; ; wait = min(2*wait, 5*time.Millisecond) {
		queued, executed := cleanupCounts()
		if executed >= queued {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(wait)
	}
}

// Until runs garbage collections (each followed by a drain of the cleanup
// queue, see [Cycle]) until cond returns true. If cond is still false after
// [Timeout], it fails tb with a message that names what was awaited.
func Until(tb TB, what string, cond func() bool) {
	tb.Helper()
	start := time.Now()
	deadline := start.Add(Timeout)
	for cycles := 1; ; cycles++ {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("gctest: gave up waiting for %s after %d GC cycles in %v", what, cycles, time.Since(start).Round(time.Millisecond))
			return
		}
		Cycle(time.Until(deadline))
	}
}

const (
	queuedMetric   = "/gc/cleanups/queued:cleanups"
	executedMetric = "/gc/cleanups/executed:cleanups"
)

var cleanupMetricsSupported = func() bool {
	s := []metrics.Sample{{Name: queuedMetric}, {Name: executedMetric}}
	metrics.Read(s)
	return s[0].Value.Kind() == metrics.KindUint64 && s[1].Value.Kind() == metrics.KindUint64
}()

func cleanupCounts() (queued, executed uint64) {
	s := [2]metrics.Sample{{Name: queuedMetric}, {Name: executedMetric}}
	metrics.Read(s[:])
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// sentinel has a pointer field so that it is never a tiny (batched)
// allocation, whose cleanup might never run.
type sentinel struct{ _ *byte }

func cycleWithSentinel(deadline time.Time) bool {
	done := make(chan struct{})
	runtime.AddCleanup(new(sentinel), func(done chan struct{}) { close(done) }, done)
	runtime.GC()
	select {
	case <-done:
		return true
	case <-time.After(time.Until(deadline)):
		return false
	}
}
