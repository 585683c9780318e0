package gctest_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/gcwait"
)

type object struct{ _ [64]byte }

func TestCycleRunsQueuedCleanups(t *testing.T) {
	var ran atomic.Int32
	for range 100 {
		runtime.AddCleanup(new(object), func(*atomic.Int32) { ran.Add(1) }, &ran)
	}
	if !gctest.Cycle(gctest.Timeout) {
		t.Fatal("cleanup queue did not drain")
	}
	// Every object above was unreachable before the collection, so every
	// cleanup was queued by it and has run once Cycle returns true.
	if got := ran.Load(); got != 100 {
		t.Fatalf("after Cycle, %d of 100 cleanups ran", got)
	}
}

func TestUntilReturnsOnceConditionHolds(t *testing.T) {
	var ran atomic.Bool
	runtime.AddCleanup(new(object), func(*atomic.Bool) { ran.Store(true) }, &ran)
	gctest.Until(t, "the cleanup", ran.Load)
}

// fakeTB records Fatalf instead of stopping the test.
type fakeTB struct{ msg string }

func (*fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
}

// TestCollect: Collect returns once the collection's cleanups have run, and
// fails its test, saying so, when one of them is still running at the
// deadline (here blocked until the check is done).
func TestCollect(t *testing.T) {
	var tb fakeTB
	var ran atomic.Int32
	runtime.AddCleanup(new(object), func(*atomic.Int32) { ran.Add(1) }, &ran)
	gctest.Collect(&tb)
	if tb.msg != "" || ran.Load() != 1 {
		t.Fatalf("Collect: Fatalf(%q), %d of 1 cleanups ran", tb.msg, ran.Load())
	}

	if !gcwait.Counted() {
		t.Skip("this runtime does not count cleanups: a blocked cleanup may go unseen (see Cycle)")
	}
	old := gctest.Timeout
	gctest.Timeout = 50 * time.Millisecond
	defer func() { gctest.Timeout = old }()
	release := make(chan struct{})
	defer close(release)
	runtime.AddCleanup(new(object), func(release chan struct{}) { <-release }, release)
	gctest.Collect(&tb)
	if want := "gctest: the cleanups of a collection did not run within"; !strings.HasPrefix(tb.msg, want) {
		t.Fatalf("Collect with a blocked cleanup: Fatalf(%q), want a message starting %q", tb.msg, want)
	}
}

func TestUntilFailsWithMessageAtDeadline(t *testing.T) {
	old := gctest.Timeout
	gctest.Timeout = 50 * time.Millisecond
	defer func() { gctest.Timeout = old }()

	var tb fakeTB
	gctest.Until(&tb, "a condition that never holds", func() bool { return false })
	want := "gctest: gave up waiting for a condition that never holds after "
	if len(tb.msg) < len(want) || tb.msg[:len(want)] != want {
		t.Fatalf("Fatalf message = %q, want prefix %q", tb.msg, want)
	}
}

// TestCheckingFinalizers: GODEBUG is read as the runtime reads it (checked
// against go1.26's runtime with a program that prints whether it checks).
func TestCheckingFinalizers(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                                    false,
		"checkfinalizers=0":                   false,
		"checkfinalizers=1":                   true,
		"gctrace=1,checkfinalizers=2":         true,
		"madvdontneed=1,checkfinalizers=1":    true,
		"xcheckfinalizers=1":                  false,
		"gctrace=0, checkfinalizers=1":        false, // not trimmed
		"checkfinalizers=0,checkfinalizers=1": true,  // the last one wins
		"checkfinalizers=1,checkfinalizers=0": false,
		"checkfinalizers=1,checkfinalizers=x": true, // not a number: ignored
	} {
		t.Setenv("GODEBUG", godebug)
		if got := gctest.CheckingFinalizers(); got != want {
			t.Errorf("GODEBUG=%q: CheckingFinalizers() = %v, want %v", godebug, got, want)
		}
	}
}

func TestLeakCheck(t *testing.T) {
	check := gctest.LeakCheck(t, 64<<10)
	done := make(chan struct{})
	go func() { <-done }()
	garbage := make([]byte, 8<<20)
	close(done) // the goroutine ends and the buffer is dropped: no leak
	_ = garbage
	check()
}

func TestLeakCheckReportsLeaks(t *testing.T) {
	old := gctest.Timeout
	gctest.Timeout = 1500 * time.Millisecond
	defer func() { gctest.Timeout = old }()

	var tb fakeTB
	check := gctest.LeakCheck(&tb, 64<<10)
	stop := make(chan struct{})
	go func() { <-stop }() // still running at check: a goroutine leak
	check()
	close(stop)
	if !strings.Contains(tb.msg, "goroutines (baseline ") {
		t.Fatalf("a leaked goroutine was not reported with the counts: %q", tb.msg)
	}
}

// TestStress: every worker takes its ops steps (no time limit is reached
// here) while collections run, and a failing step ends its worker alone,
// with its error returned.
func TestStress(t *testing.T) {
	const workers, ops = 3, 50
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var steps [workers]atomic.Int32
	errs := gctest.Stress(workers, ops, gctest.Timeout, func(w int) func(int) error {
		return func(i int) error {
			steps[w].Add(1)
			if w == 1 && i == 9 {
				return fmt.Errorf("worker %d fails", w)
			}
			if w == 0 && i == 0 {
				// Nothing else here collects: only Stress's own goroutine
				// can make NumGC grow while this worker waits for it.
				return waitForGC(before.NumGC)
			}
			return nil
		}
	})
	if len(errs) != 1 || errs[0].Error() != "worker 1 fails" {
		t.Errorf("Stress returned %v, want worker 1's error alone", errs)
	}
	for w := range workers {
		want := int32(ops)
		if w == 1 {
			want = 10
		}
		if got := steps[w].Load(); got != want {
			t.Errorf("worker %d took %d steps, want %d", w, got, want)
		}
	}
}

// waitForGC waits until a collection after the n-th has ended, and fails
// after gctest.Timeout.
func waitForGC(n uint32) error {
	var ms runtime.MemStats
	for deadline := time.Now().Add(gctest.Timeout); time.Now().Before(deadline); runtime.Gosched() {
		if runtime.ReadMemStats(&ms); ms.NumGC > n {
			return nil
		}
	}
	return fmt.Errorf("no collection in %v", gctest.Timeout)
}

// skipper records what SkipIfCheckingFinalizers does to a test.
type skipper struct{ skipped string }

func (s *skipper) Helper()          {}
func (s *skipper) Skip(args ...any) { s.skipped = fmt.Sprint(args...) }

func TestSkipIfCheckingFinalizers(t *testing.T) {
	for godebug, skip := range map[string]bool{"": false, "checkfinalizers=1": true} {
		t.Setenv("GODEBUG", godebug)
		var s skipper
		gctest.SkipIfCheckingFinalizers(&s, "is slow here")
		if skip != (s.skipped != "") || skip && !strings.Contains(s.skipped, "is slow here") {
			t.Errorf("GODEBUG=%q: skipped with %q", godebug, s.skipped)
		}
	}
}
