package finalize_test

import (
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// sub returns the counts of a since b; Pending is a level, so it is the
// difference too, which the callers keep small.
func sub(a, b finalize.Stats) finalize.Stats {
	return finalize.Stats{
		Registered: a.Registered - b.Registered,
		Pending:    a.Pending - b.Pending,
		Run:        a.Run - b.Run,
		Cancelled:  a.Cancelled - b.Cancelled,
		Leaked:     a.Leaked - b.Leaked,
		Panicked:   a.Panicked - b.Panicked,
	}
}

// TestStatsCountConcurrentRegistrationsAndEnds registers handles from many
// goroutines at once and ends each in one of the five ways, while other
// goroutines read the statistics: every count must come out exact, and no
// snapshot read meanwhile may be inconsistent.
func TestStatsCountConcurrentRegistrationsAndEnds(t *testing.T) {
	r := hooks(t)
	check := gctest.LeakCheck(t, 1<<20) // no goroutine outlives the test
	defer check()
	before := finalize.ReadStats()
	const goroutines, per = 8, 250 // per is a multiple of the five ends
	var c counter
	kept := make([][]*finalize.Handle, goroutines)
	keptObjs := make([][]*object, goroutines)
	var wg, readers sync.WaitGroup
	var stop atomic.Bool
	var bad atomic.Pointer[finalize.Stats]
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			var last finalize.Stats
			for !stop.Load() {
				s := finalize.ReadStats()
				if s.Pending > s.Registered ||
					s.Registered < last.Registered || s.Run < last.Run || s.Leaked > s.Run || s.Panicked > s.Run {
					bad.Store(&s)
				}
				last = s
			}
		}()
	}
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				obj := &object{}
				switch i % 5 {
				case 0:
					finalize.Register(obj, c.add, "run").Run()
				case 1:
					finalize.Register(obj, c.add, "cancelled").Cancel()
				case 2:
					finalize.Register(obj, c.add, "leaked")
					obj = nil // dropped: the GC runs it
				case 3:
					finalize.Register(obj, boom, "panicked").Run()
				case 4:
					kept[g] = append(kept[g], finalize.Register(obj, c.add, "pending"))
					keptObjs[g] = append(keptObjs[g], obj)
				}
				runtime.KeepAlive(obj)
			}
		}()
	}
	wg.Wait()
	drain(t)
	stop.Store(true)
	readers.Wait()
	if s := bad.Load(); s != nil {
		t.Errorf("a snapshot read during the registrations is inconsistent: %v", *s)
	}
	const fifth = goroutines * per / 5
	want := finalize.Stats{Registered: 5 * fifth, Pending: fifth, Run: 3 * fifth, Cancelled: fifth, Leaked: fifth, Panicked: fifth}
	if got := sub(finalize.ReadStats(), before); got != want {
		t.Errorf("the statistics counted %v, want %v", got, want)
	}
	if leaks, panics := r.snapshot(); len(leaks) != fifth || len(panics) != fifth {
		t.Errorf("%d leak and %d panic reports, want %d of each", len(leaks), len(panics), fifth)
	}
	for _, hs := range kept {
		for _, h := range hs {
			h.Cancel()
		}
	}
	runtime.KeepAlive(keptObjs)
	if got := finalize.ReadStats(); got.Pending != before.Pending || got.Cancelled-before.Cancelled != 2*fifth {
		t.Errorf("after cancelling the pending handles: %v, want pending=%d", got, before.Pending)
	}
}

func TestStatsOfOwnAndRunAll(t *testing.T) {
	hooks(t)
	before := finalize.ReadStats()
	a := finalize.Own(&conn{}, func(*conn) error { return errFlush })
	b := finalize.Own(&conn{}, func(*conn) error { return nil }, finalize.WithAtExit())
	leakFailing()
	if got := sub(finalize.ReadStats(), before); got != (finalize.Stats{Registered: 3, Pending: 3}) {
		t.Errorf("after three Owns: %v", got)
	}
	a.Close()
	a.Close()
	finalize.RunAll()
	drain(t)
	if got := sub(finalize.ReadStats(), before); got != (finalize.Stats{Registered: 3, Run: 3, Leaked: 1}) {
		t.Errorf("after a Close, a second Close, RunAll and a leak: %v", got)
	}
	runtime.KeepAlive(b)
}

func TestStatsStringAndJSON(t *testing.T) {
	s := finalize.Stats{Registered: 9, Pending: 2, Run: 5, Cancelled: 2, Leaked: 3, Panicked: 1}
	if got, want := s.String(), "registered=9 pending=2 run=5 cancelled=2 leaked=3 panicked=1"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"registered":9,"pending":2,"run":5,"cancelled":2,"leaked":3,"panicked":1}`; got != want {
		t.Errorf("JSON %s, want %s", got, want)
	}
	var back finalize.Stats
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("JSON round trip: %v, %v; want %v", back, err, s)
	}
}
