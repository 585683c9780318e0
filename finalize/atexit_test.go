package finalize_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

func TestRunAllRunsPendingAtExitHandlesNewestFirst(t *testing.T) {
	r := hooks(t)
	var c counter
	objs := make([]*object, 5)
	for i := range objs {
		objs[i] = &object{}
	}
	first := finalize.Register(objs[0], c.add, "first", finalize.WithAtExit())
	finalize.Register(objs[1], c.add, "not at exit")
	cancelled := finalize.Register(objs[2], c.add, "cancelled", finalize.WithAtExit())
	ran := finalize.Register(objs[3], c.add, "ran", finalize.WithAtExit())
	last := finalize.Register(objs[4], c.add, "last", finalize.WithAtExit())
	cancelled.Cancel()
	ran.Run()

	if n, err := finalize.RunAll(); n != 2 || err != nil {
		t.Errorf("RunAll ran %d handles, error %v; want 2, nil", n, err)
	}
	if got, want := fmt.Sprint(c.all()), "[ran last first]"; got != want {
		t.Errorf("cleanups ran in the order %s, want %s", got, want)
	}
	if first.Pending() || last.Pending() {
		t.Error("a handle RunAll ran is still pending")
	}
	if n, _ := finalize.RunAll(); n != 0 {
		t.Errorf("a second RunAll ran %d handles", n)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 0 {
		t.Errorf("RunAll was reported as a leak: %v", leaks)
	}
	runtime.KeepAlive(objs)
}

// TestAtExitSetForgetsFinishedHandles checks that handles leave the at-exit
// set however they finish, so that it does not grow with closed resources.
func TestAtExitSetForgetsFinishedHandles(t *testing.T) {
	hooks(t)
	var c counter
	obj := &object{}
	for i := range 30 {
		h := finalize.Register(obj, c.add, "h", finalize.WithAtExit())
		switch i % 3 {
		case 0:
			h.Run()
		case 1:
			h.Cancel()
		}
	}
	for range 10 {
		dropped(&c, "gc", finalize.WithAtExit())
	}
	runtime.KeepAlive(obj)
	obj = nil
	drain(t)
	if n := finalize.AtExitLen(); n != 0 {
		t.Errorf("the at-exit set holds %d finished handles", n)
	}
	if n := c.count("h") + c.count("gc"); n != 30 {
		t.Errorf("%d cleanups ran, want 30", n)
	}
}

func TestRunAllConcurrentRunsEachHandleOnce(t *testing.T) {
	hooks(t)
	var c counter
	obj := &object{}
	const handles, callers = 200, 4
	for range handles {
		finalize.Register(obj, c.add, "h", finalize.WithAtExit())
	}
	var wg sync.WaitGroup
	ran := make([]int, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ran[i], _ = finalize.RunAll()
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range ran {
		total += n
	}
	if total != handles || c.count("h") != handles {
		t.Errorf("RunAll calls ran %v handles (total %d), fn ran %d times; want %d", ran, total, c.count("h"), handles)
	}
	runtime.KeepAlive(obj)
}
