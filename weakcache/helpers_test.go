package weakcache_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// node is the value type of most tests: 64 bytes with a pointer, so never a
// tiny allocation (whose collection the runtime does not promise; see the
// package documentation).
type node struct {
	id   int
	name string
	_    [40]byte
}

func newNode(id int) *node { return &node{id: id, name: fmt.Sprint("node ", id)} }

// waitUntil polls cond until it holds, failing t after 10s. It is for waiting
// on other goroutines (never on the GC: that is internal/gctest's job).
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		runtime.Gosched()
	}
}

var errBuild = errors.New("build failed")

// noLeaks makes t fail if a goroutine that t started is still running when
// t ends (goleak retries for a while, for goroutines on their way out).
func noLeaks(t *testing.T) {
	t.Helper()
	current := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, current) })
}
