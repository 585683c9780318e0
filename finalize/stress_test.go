package finalize_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// winners records, per handle, which contenders won it, and checks that
// exactly one did.
type winners struct {
	runs              []atomic.Int32 // fn's calls, by handle
	runWon, cancelWon []atomic.Bool
}

func newWinners(n int) *winners {
	return &winners{runs: make([]atomic.Int32, n), runWon: make([]atomic.Bool, n), cancelWon: make([]atomic.Bool, n)}
}

// fn is the cleanup function of handle i.
func (w *winners) fn(i int) { w.runs[i].Add(1) }

// check fails t unless handle i had exactly one winner, fn ran exactly when
// Run or the GC won, and the handle is no longer pending. It returns who won:
// "Run", "Cancel" or "GC" (fn ran, and not by Run).
func (w *winners) check(t *testing.T, i int, h *finalize.Handle) string {
	t.Helper()
	runs, run, cancel := w.runs[i].Load(), w.runWon[i].Load(), w.cancelWon[i].Load()
	gc := runs == 1 && !run
	n := 0
	for _, won := range []bool{run, cancel, gc} {
		if won {
			n++
		}
	}
	if runs > 1 || n != 1 || h.Pending() {
		t.Errorf("handle %d: fn ran %d times; Run won %v, Cancel %v, the GC %v; Pending %v", i, runs, run, cancel, gc, h.Pending())
	}
	switch {
	case run:
		return "Run"
	case cancel:
		return "Cancel"
	}
	return "GC"
}

// TestAtMostOnceUnderConcurrentRunCancelGC races Run, Cancel and real
// collections on many handles (run it with -race too): each handle must have
// exactly one winner, fn must have run for exactly the handles that Run or the
// GC won, and every GC win must have been reported as a leak.
//
// Handle j of a round is contested by Run and Cancel (j%4 == 0, its object
// kept), Run and the GC (1), Cancel and the GC (2) or all three (3). In even
// rounds the goroutines calling Run and Cancel start with the collection. In
// odd rounds they start once the GC has begun to run the round's cleanups:
// the first of those waits until they are running, so that the rest are run
// by the runtime while Run (from the first handle on) and Cancel (from the
// last) contend for them.
func TestAtMostOnceUnderConcurrentRunCancelGC(t *testing.T) {
	check := gctest.LeakCheck(t, 1<<20) // goroutines and heap come back when done
	defer check()
	r := hooks(t)
	const rounds, perRound = 16, 64
	const handles = rounds * perRound
	w := newWinners(handles)
	hs := make([]*finalize.Handle, handles)

	for round := range rounds {
		first := round * perRound
		var start, contending chan struct{} = make(chan struct{}), make(chan struct{})
		var signal sync.Once
		fn := w.fn
		if round%2 == 1 {
			// Nothing calls Run before start is closed, so the first call is
			// the GC's.
			fn = func(i int) {
				signal.Do(func() {
					close(start)
					select {
					case <-contending:
					case <-time.After(gctest.Timeout): // t.Errorf below reports it
					}
				})
				w.fn(i)
			}
		}
		objs := make([]*object, perRound)
		for j := range objs {
			objs[j] = &object{}
			hs[first+j] = finalize.Register(objs[j], fn, first+j)
		}
		var wg sync.WaitGroup
		var awake sync.Once
		contest := func(call func(*finalize.Handle) bool, won []atomic.Bool, kind int, reverse bool) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				awake.Do(func() { close(contending) })
				for j := range perRound {
					if reverse {
						j = perRound - 1 - j
					}
					if k := j % 4; k == 0 || k == kind || k == 3 {
						won[first+j].Store(call(hs[first+j]))
					}
				}
			}()
		}
		contest((*finalize.Handle).Run, w.runWon, 1, false)
		contest((*finalize.Handle).Cancel, w.cancelWon, 2, true)
		for j := range objs {
			if j%4 != 0 {
				objs[j] = nil
			}
		}
		if round%2 == 0 {
			close(start)
		}
		runtime.GC()
		wg.Wait()
		runtime.KeepAlive(objs)
	}
	drain(t)

	// wins[kind][winner] counts the outcomes, to show which races happened.
	wins := make([]map[string]int, 4)
	for k := range wins {
		wins[k] = map[string]int{}
	}
	gcWins := 0
	for i, h := range hs {
		winner := w.check(t, i, h)
		if k := i % perRound % 4; k == 0 && winner == "GC" {
			t.Errorf("handle %d: the GC ran it while its object was reachable", i)
		} else {
			wins[k][winner]++
		}
		if winner == "GC" {
			gcWins++
		}
	}
	if leaks, _ := r.snapshot(); len(leaks) != gcWins {
		t.Errorf("%d leak reports for %d handles the GC ran", len(leaks), gcWins)
	}
	t.Logf("winners by contest: Run/Cancel %v, Run/GC %v, Cancel/GC %v, all three %v", wins[0], wins[1], wins[2], wins[3])
}

// TestRunCancelAndGCPathContend makes Run, Cancel and the GC's own path (what
// the runtime calls once the object is collected) contend for each handle,
// on goroutines released at once, which real collections do only by chance:
// exactly one wins, fn runs if Run or the GC's path won, and only the GC's
// win is reported as a leak. The goroutine released first usually wins, and
// the order rotates from handle to handle, so that each of the three wins
// against the other two, which run meanwhile on the other core; the test
// fails if one of them never won, since it would then not test its path.
func TestRunCancelAndGCPathContend(t *testing.T) {
	r := hooks(t)
	const handles = 1000
	w := newWinners(handles)
	obj := &object{} // reachable throughout: only the direct call is the GC's
	wins := map[string]int{}
	for i := range handles {
		h := finalize.Register(obj, w.fn, i)
		calls := []func(){
			func() { w.runWon[i].Store(h.Run()) },
			func() { w.cancelWon[i].Store(h.Cancel()) },
			func() { finalize.Collected(h) },
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for c := range calls {
			call := calls[(c+i)%len(calls)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				call()
			}()
		}
		close(start)
		wg.Wait()
		wins[w.check(t, i, h)]++
	}
	if leaks, _ := r.snapshot(); len(leaks) != wins["GC"] {
		t.Errorf("%d leak reports for %d wins of the GC's path", len(leaks), wins["GC"])
	}
	for _, who := range []string{"Run", "Cancel", "GC"} {
		if wins[who] == 0 {
			t.Errorf("%s never won among %d handles (winners %v): its path was not contended", who, handles, wins)
		}
	}
	t.Logf("winners: %v", wins)
	runtime.KeepAlive(obj)
}
