package gctest_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
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

func TestCheckingFinalizers(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                                 false,
		"checkfinalizers=0":                false,
		"checkfinalizers=1":                true,
		"gctrace=1, checkfinalizers=2":     true,
		"madvdontneed=1,checkfinalizers=1": true,
		"xcheckfinalizers=1":               false,
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
	if !strings.Contains(tb.msg, "goroutines") {
		t.Fatalf("a leaked goroutine was not reported: %q", tb.msg)
	}
}

func TestCollecting(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := gctest.Collecting()
	defer stop()
	// Nothing else here collects: only the background goroutine can make
	// NumGC grow.
	deadline := time.Now().Add(gctest.Timeout)
	for runtime.ReadMemStats(&after); after.NumGC < before.NumGC+2; runtime.ReadMemStats(&after) {
		if time.Now().After(deadline) {
			t.Fatalf("%d collections in %v", after.NumGC-before.NumGC, gctest.Timeout)
		}
		runtime.Gosched()
	}
}
