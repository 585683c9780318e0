package gctest

import (
	"runtime"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// NoLeaks makes t fail if a goroutine that t started is still running when
// t ends (goleak retries for a while, for goroutines on their way out).
func NoLeaks(t *testing.T) {
	t.Helper()
	current := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, current) })
}

// WaitFor polls cond, yielding the processor between checks, until it
// holds, and fails tb, naming what was awaited, if it does not within
// [Timeout]. It is for waiting on other goroutines; a wait on the collector
// is [Until]'s.
func WaitFor(tb TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gctest: gave up waiting for %s after %v", what, Timeout)
			return
		}
		runtime.Gosched()
	}
}
