package finalize_test

import (
	"errors"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

// phase is the model's state of one handle.
type phase int

const (
	pending   phase = iota
	ran             // by Run or RunAll
	cancelled       // by Cancel
	collected       // by the GC
)

// slot is a handle's cleanup argument: it counts the runs of fn and logs
// them, by the handle's index, in the model's log. It is separate from the
// object, as an argument must be.
type slot struct {
	seq  string
	runs atomic.Int32
	log  *counter
}

func (s *slot) run() {
	s.runs.Add(1)
	s.log.add(s.seq)
}

type modelHandle struct {
	h      *finalize.Handle
	obj    *object // nil once dropped
	slot   *slot
	atExit bool
	phase  phase
	// settled is set once a settle has seen the GC's run of the handle
	// through, hooks included.
	settled bool
}

// handleModel checks handles against a model of their phases, with the GC,
// RunAll and concurrent Run/Cancel/GC races as actions.
type handleModel struct {
	hs []*modelHandle
	// log is a separate allocation: a slot pointing into the model would
	// reach every object through hs, which GODEBUG=checkfinalizers=1 reports
	// (rightly: those cleanups could not run while the model is alive).
	log   *counter
	leaks atomic.Int32
	// base is what ReadStats said when the check began.
	base finalize.Stats
}

// maxHandles bounds the handles of one check, which keeps a check short even
// with GODEBUG=checkfinalizers=1, where every collection examines each one.
const maxHandles = 24

func (m *handleModel) pick(t *rapid.T, keep func(*modelHandle) bool) *modelHandle {
	var cands []*modelHandle
	for _, mh := range m.hs {
		if keep(mh) {
			cands = append(cands, mh)
		}
	}
	if len(cands) == 0 {
		t.Skip("no such handle")
	}
	return rapid.SampledFrom(cands).Draw(t, "handle")
}

func anyHandle(*modelHandle) bool { return true }

// finish applies the outcome of a Run or Cancel call that returned won.
// A pending handle whose object was dropped may have been claimed by the GC
// first; that is the only way such a call may lose.
func (m *handleModel) finish(t *rapid.T, mh *modelHandle, won bool, to phase, call string) {
	switch {
	case mh.phase == pending && won:
		mh.phase = to
	case mh.phase == pending && mh.obj == nil:
		mh.phase = collected // the GC won; settle checks that it ran
	case mh.phase == pending:
		t.Fatalf("%s of a pending handle with a reachable object returned false", call)
	case won:
		t.Fatalf("%s of a handle in phase %d returned true", call, mh.phase)
	}
}

// unsettled reports whether the GC may be running, or may still run, one of
// the handles: one whose object was dropped is pending, or was claimed by the
// GC and not settled since.
func (m *handleModel) unsettled() bool {
	for _, mh := range m.hs {
		if mh.obj == nil && (mh.phase == pending || mh.phase == collected && !mh.settled) {
			return true
		}
	}
	return false
}

// settle collects until every pending handle whose object was dropped has run.
func (m *handleModel) settle(t *rapid.T) {
	drain(t)
	for _, mh := range m.hs {
		if mh.phase == pending && mh.obj == nil {
			mh.phase = collected
		}
	}
	collectedN := 0
	for i, mh := range m.hs {
		if mh.phase == collected {
			collectedN++
			if n := mh.slot.runs.Load(); n != 1 {
				t.Fatalf("handle %d was collected and Drain returned, but fn ran %d times", i, n)
			}
			mh.settled = true
		}
	}
	if n := int(m.leaks.Load()); n != collectedN {
		t.Fatalf("%d leak reports for %d handles run by the GC", n, collectedN)
	}
	m.checkStats(t)
}

// checkStats compares the statistics with the model's phases. It is called
// once nothing is left for the GC to run.
func (m *handleModel) checkStats(t *rapid.T) {
	want := finalize.Stats{Registered: uint64(len(m.hs))}
	for _, mh := range m.hs {
		switch mh.phase {
		case pending:
			want.Pending++
		case ran:
			want.Run++
		case cancelled:
			want.Cancelled++
		case collected:
			want.Run++
			want.Leaked++
		}
	}
	if got := sub(finalize.ReadStats(), m.base); got != want {
		t.Fatalf("the statistics say %v, the model %v", got, want)
	}
}

func (m *handleModel) register(t *rapid.T) {
	if len(m.hs) == maxHandles {
		t.Skip("enough handles")
	}
	mh := &modelHandle{obj: &object{}, slot: &slot{seq: strconv.Itoa(len(m.hs)), log: m.log}}
	var opts []finalize.Option
	if mh.atExit = rapid.Bool().Draw(t, "atExit"); mh.atExit {
		opts = append(opts, finalize.WithAtExit())
	}
	mh.h = finalize.Register(mh.obj, (*slot).run, mh.slot, opts...)
	m.hs = append(m.hs, mh)
}

func (m *handleModel) check(t *rapid.T) {
	for i, mh := range m.hs {
		runs := mh.slot.runs.Load()
		if runs > 1 {
			t.Fatalf("handle %d: fn ran %d times", i, runs)
		}
		if mh.obj == nil && mh.phase == pending || mh.phase == collected && !mh.settled {
			continue // the GC may claim it, or be running it, at any moment
		}
		want := int32(0)
		if mh.phase == ran || mh.phase == collected {
			want = 1
		}
		if runs != want || mh.h.Pending() != (mh.phase == pending) {
			t.Fatalf("handle %d in phase %d: fn ran %d times, Pending %v", i, mh.phase, runs, mh.h.Pending())
		}
	}
}

// race makes Run, Cancel and, if drawn, the GC's own path (what the runtime
// calls once the object is collected) contend for one pending handle at the
// same instant; if drawn, it also drops the object and collects meanwhile, so
// that the real GC may contend too. Exactly one of them wins.
func (m *handleModel) race(t *rapid.T) {
	mh := m.pick(t, func(mh *modelHandle) bool { return mh.phase == pending })
	gcPath := rapid.Bool().Draw(t, "gcPath")
	drop := mh.obj != nil && rapid.Bool().Draw(t, "drop")
	if drop {
		mh.obj = nil
	}
	var runWon, cancelWon atomic.Bool
	var wg sync.WaitGroup
	start := make(chan struct{})
	contend := func(call func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			call()
		}()
	}
	contend(func() { runWon.Store(mh.h.Run()) })
	contend(func() { cancelWon.Store(mh.h.Cancel()) })
	if gcPath {
		contend(func() { finalize.Collected(mh.h) })
	}
	close(start)
	if drop {
		runtime.GC()
	}
	wg.Wait()

	switch {
	case runWon.Load() && cancelWon.Load():
		t.Fatal("both Run and Cancel won")
	case runWon.Load():
		mh.phase = ran
	case cancelWon.Load():
		mh.phase = cancelled
	case !gcPath && mh.obj != nil:
		t.Fatal("neither Run nor Cancel won, the GC's path did not contend, and the object is reachable")
	default:
		mh.phase = collected
	}
	if mh.phase == collected || mh.obj == nil {
		m.settle(t)
	}
	want := int32(1)
	if mh.phase == cancelled {
		want = 0
	}
	if n := mh.slot.runs.Load(); n != want {
		t.Fatalf("after a race won by phase %d, fn ran %d times", mh.phase, n)
	}
}

func (m *handleModel) runAll(t *rapid.T) {
	if m.unsettled() {
		m.settle(t) // so that the GC and RunAll do not both run handles below
	}
	var want []string
	for i := len(m.hs) - 1; i >= 0; i-- {
		if mh := m.hs[i]; mh.atExit && mh.phase == pending {
			want = append(want, mh.slot.seq)
			mh.phase = ran
		}
	}
	before := len(m.log.all())
	if n, _ := finalize.RunAll(); n != len(want) {
		t.Fatalf("RunAll ran %d handles, want %d", n, len(want))
	}
	if got := m.log.all()[before:]; !slices.Equal(got, want) {
		t.Fatalf("RunAll ran handles %v, want %v (newest first)", got, want)
	}
}

// end cancels what is left, so that nothing of this check runs in the next.
func (m *handleModel) end(t *rapid.T) {
	for _, mh := range m.hs {
		m.finish(t, mh, mh.h.Cancel(), cancelled, "Cancel")
	}
	if m.unsettled() {
		m.settle(t)
	}
	m.checkStats(t)
	for _, mh := range m.hs {
		runtime.KeepAlive(mh.obj)
	}
}

func TestHandleModel(t *testing.T) {
	drain(t)
	rapid.Check(t, func(t *rapid.T) {
		drain(t)
		m := handleModel{log: new(counter), base: finalize.ReadStats()}
		prev := finalize.SetLeakHook(func(finalize.Report) { m.leaks.Add(1) })
		defer func() { finalize.SetLeakHook(prev) }()
		t.Repeat(map[string]func(*rapid.T){
			"register": m.register,
			"run": func(t *rapid.T) {
				mh := m.pick(t, anyHandle)
				m.finish(t, mh, mh.h.Run(), ran, "Run")
			},
			"cancel": func(t *rapid.T) {
				mh := m.pick(t, anyHandle)
				m.finish(t, mh, mh.h.Cancel(), cancelled, "Cancel")
			},
			"drop": func(t *rapid.T) {
				m.pick(t, func(mh *modelHandle) bool { return mh.obj != nil }).obj = nil
			},
			"drain":  m.settle,
			"race":   m.race,
			"runAll": m.runAll,
			"":       m.check,
		})
		m.end(t)
	})
}

// modelResource is an owned resource of the Owned model: its release
// function counts its calls and returns err.
type modelResource struct {
	err   error
	calls *atomic.Int32 // a separate allocation: the model reads it after the resource is gone
	_     *byte
}

func releaseModelResource(r *modelResource) error {
	r.calls.Add(1)
	return r.err
}

type modelOwned struct {
	o      *finalize.Owned[modelResource] // nil once dropped
	err    error                          // what release returns
	calls  *atomic.Int32
	closed bool // Close has run release
	leaked bool // dropped, and Drain has run since
}

// ownedModel checks Owned against a model: Close returns release's error
// once and ErrClosed afterwards, a dropped wrapper's release runs once with
// its error in the leak report, and the statistics agree.
type ownedModel struct {
	os   []*modelOwned
	base finalize.Stats
	mu   sync.Mutex
	// leakErrs are the errors of the leak reports, by resource error text.
	leakErrs map[string]int
}

func (m *ownedModel) pickLive(t *rapid.T) *modelOwned {
	var live []*modelOwned
	for _, mo := range m.os {
		if mo.o != nil {
			live = append(live, mo)
		}
	}
	if len(live) == 0 {
		t.Skip("no live wrapper")
	}
	return rapid.SampledFrom(live).Draw(t, "owned")
}

func (m *ownedModel) own(t *rapid.T) {
	if len(m.os) == maxHandles {
		t.Skip("enough wrappers")
	}
	mo := &modelOwned{calls: new(atomic.Int32)}
	if rapid.Bool().Draw(t, "fails") {
		mo.err = errors.New("release " + strconv.Itoa(len(m.os)) + " failed")
	}
	mo.o = finalize.Own(&modelResource{err: mo.err, calls: mo.calls}, releaseModelResource)
	m.os = append(m.os, mo)
}

func (m *ownedModel) close(t *rapid.T) {
	mo := m.pickLive(t)
	err := mo.o.Close()
	switch {
	case mo.closed && !errors.Is(err, finalize.ErrClosed):
		t.Fatalf("Close of a closed wrapper: %v, want ErrClosed", err)
	case !mo.closed && err != mo.err:
		t.Fatalf("first Close: %v, want release's %v", err, mo.err)
	}
	mo.closed = true
}

func (m *ownedModel) drain(t *rapid.T) {
	drain(t)
	for _, mo := range m.os {
		if mo.o == nil && !mo.closed {
			mo.leaked = true
		}
	}
	want := map[string]int{}
	stats := finalize.Stats{Registered: uint64(len(m.os))}
	for i, mo := range m.os {
		runs := int32(0)
		if mo.closed || mo.leaked {
			runs = 1
			stats.Run++
		} else {
			stats.Pending++
		}
		if mo.leaked {
			stats.Leaked++
			want[errText(mo.err)]++
		}
		if n := mo.calls.Load(); n != runs {
			t.Fatalf("wrapper %d: release ran %d times, want %d", i, n, runs)
		}
	}
	m.mu.Lock()
	got := m.leakErrs
	m.mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("leak reports by error %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Fatalf("leak reports by error %v, want %v", got, want)
		}
	}
	if s := sub(finalize.ReadStats(), m.base); s != stats {
		t.Fatalf("the statistics say %v, the model %v", s, stats)
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestOwnedModel(t *testing.T) {
	drain(t)
	rapid.Check(t, func(t *rapid.T) {
		drain(t)
		m := &ownedModel{base: finalize.ReadStats(), leakErrs: map[string]int{}}
		prev := finalize.SetLeakHook(func(r finalize.Report) {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.leakErrs[errText(r.Err)]++
		})
		defer func() { finalize.SetLeakHook(prev) }()
		t.Repeat(map[string]func(*rapid.T){
			"own":   m.own,
			"close": m.close,
			"drop":  func(t *rapid.T) { m.pickLive(t).o = nil },
			"drain": m.drain,
		})
		// Close what is left, so that nothing of this check runs in the next.
		for _, mo := range m.os {
			if mo.o != nil && !mo.closed {
				mo.o.Close()
				mo.closed = true
			}
		}
		m.drain(t)
	})
}
