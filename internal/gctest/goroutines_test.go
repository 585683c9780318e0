package gctest_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// TestWaitFor: WaitFor returns once another goroutine makes cond hold, and
// fails its test, naming what was awaited, when cond never holds.
func TestWaitFor(t *testing.T) {
	gctest.NoLeaks(t)
	var done atomic.Bool
	go done.Store(true)
	gctest.WaitFor(t, "the goroutine", done.Load)

	old := gctest.Timeout
	gctest.Timeout = 10 * time.Millisecond
	defer func() { gctest.Timeout = old }()
	var tb fakeTB
	gctest.WaitFor(&tb, "nothing", func() bool { return false })
	if !strings.Contains(tb.msg, "waiting for nothing") {
		t.Fatalf("a wait that timed out reported %q", tb.msg)
	}
}
