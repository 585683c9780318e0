package finalize_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

// TestAtMostOnceUnderConcurrentRunCancelGC races Run, Cancel and the GC on
// many handles (run it with -race too): each handle must have exactly one
// winner, and fn must have run for exactly the handles that Run or the GC won.
//
// Handle i is contested by Run and Cancel (i%4 == 0), Run and the GC (1),
// Cancel and the GC (2) or all three (3). The goroutines calling Run and
// Cancel start while the collection runs in even rounds, and right after it
// in odd rounds, when its cleanups are being run by the runtime.
func TestAtMostOnceUnderConcurrentRunCancelGC(t *testing.T) {
	r := hooks(t)
	const rounds, perRound = 16, 64
	const handles = rounds * perRound
	var runs [handles]atomic.Int32
	hs := make([]*finalize.Handle, handles)
	var runWins, cancelWins atomic.Int32

	for round := range rounds {
		first := round * perRound
		objs := make([]*object, perRound)
		for j := range objs {
			objs[j] = &object{}
			hs[first+j] = finalize.Register(objs[j], func(i int) { runs[i].Add(1) }, first+j)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		contest := func(call func(*finalize.Handle) bool, wins *atomic.Int32, kinds [2]int, reverse bool) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for j := range perRound {
					if reverse {
						j = perRound - 1 - j
					}
					if k := j % 4; (k == kinds[0] || k == kinds[1] || k == 3) && call(hs[first+j]) {
						wins.Add(1)
					}
				}
			}()
		}
		contest((*finalize.Handle).Run, &runWins, [2]int{0, 1}, false)
		contest((*finalize.Handle).Cancel, &cancelWins, [2]int{0, 2}, true)
		for j := range objs {
			if j%4 != 0 {
				objs[j] = nil
			}
		}
		if round%2 == 0 {
			close(start)
			runtime.GC()
		} else {
			runtime.GC()
			close(start)
		}
		wg.Wait()
		runtime.KeepAlive(objs)
	}
	drain(t)

	leaks, _ := r.snapshot()
	gcWins := len(leaks)
	ran := 0
	for i := range runs {
		switch n := runs[i].Load(); {
		case n > 1:
			t.Errorf("handle %d ran %d times", i, n)
		case n == 1:
			ran++
		}
		if hs[i].Pending() {
			t.Errorf("handle %d is still pending", i)
		}
	}
	if w := int(runWins.Load()+cancelWins.Load()) + gcWins; w != handles {
		t.Errorf("Run won %d, Cancel %d, the GC %d times: %d wins for %d handles", runWins.Load(), cancelWins.Load(), gcWins, w, handles)
	}
	if want := int(runWins.Load()) + gcWins; ran != want {
		t.Errorf("%d handles ran, want %d (Run and GC wins)", ran, want)
	}
	t.Logf("wins: Run %d, Cancel %d, GC %d", runWins.Load(), cancelWins.Load(), gcWins)
}
