package finalize_test

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

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
