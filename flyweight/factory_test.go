package flyweight_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"weak"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

type style struct {
	Font, Color string
	Size        int
}

// TestFactoryExactlyOnceProperty: goroutines asking for overlapping keys at
// once get one instance per key, built once, while they hold the instances.
func TestFactoryExactlyOnceProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var builds sync.Map // key → *atomic.Int32
		f := flyweight.NewFactory(func(k int) (*style, error) {
			n, _ := builds.LoadOrStore(k, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
			return &style{Font: "mono", Size: k}, nil
		})
		work := rapid.SliceOfN(rapid.SliceOfN(rapid.IntRange(0, 20), 1, 40), 2, 8).Draw(t, "work")
		got := make([][]*style, len(work))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g, keys := range work {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for _, k := range keys {
					s, err := f.Get(k)
					if err != nil {
						panic(err)
					}
					got[g] = append(got[g], s)
				}
			}()
		}
		close(start)
		wg.Wait()
		byKey := map[int]*style{}
		for g, keys := range work {
			for i, k := range keys {
				if prev, ok := byKey[k]; ok && prev != got[g][i] {
					t.Fatalf("two instances for key %d", k)
				}
				byKey[k] = got[g][i]
				if got[g][i].Size != k {
					t.Fatalf("instance for %d is %+v", k, got[g][i])
				}
			}
		}
		builds.Range(func(k, n any) bool {
			if n.(*atomic.Int32).Load() != 1 {
				t.Fatalf("key %v built %d times while held", k, n.(*atomic.Int32).Load())
			}
			return true
		})
		if f.Len() < len(byKey) {
			t.Fatalf("Len() = %d with %d instances held", f.Len(), len(byKey))
		}
	})
}

func TestFactoryDoesNotCacheFailures(t *testing.T) {
	var calls int
	errBusy := errors.New("busy")
	f := flyweight.NewFactory(func(k string) (*style, error) {
		calls++
		if calls == 1 {
			return nil, errBusy
		}
		return &style{Font: k}, nil
	})
	if s, err := f.Get("serif"); s != nil || !errors.Is(err, errBusy) {
		t.Fatalf("first Get = %v, %v; want the build's error", s, err)
	}
	if f.Len() != 0 {
		t.Fatalf("a failed build left %d entries", f.Len())
	}
	s, err := f.Get("serif")
	if err != nil || s.Font != "serif" || calls != 2 {
		t.Fatalf("second Get = %v, %v after %d calls", s, err, calls)
	}
}

// TestFactoryForgetsCollectedInstances: once nobody holds an instance, it is
// collected, the factory forgets it, and the next Get builds a new one.
func TestFactoryForgetsCollectedInstances(t *testing.T) {
	var builds atomic.Int32
	f := flyweight.NewFactory(func(k int) (*style, error) {
		builds.Add(1)
		return &style{Size: k}, nil
	})
	w := getWeak(t, f, 7)
	gctest.Until(t, "the dropped instance to be collected and forgotten", func() bool {
		return w.Value() == nil && f.Len() == 0
	})
	if s, _ := f.Get(7); s.Size != 7 || builds.Load() != 2 {
		t.Fatalf("after collection: %+v, %d builds", s, builds.Load())
	}
}

// TestFactoryNaNKeysAreNotCached: a NaN key could never be found or
// forgotten, so the factory keeps nothing for one: each Get builds.
func TestFactoryNaNKeysAreNotCached(t *testing.T) {
	var builds atomic.Int32
	f := flyweight.NewFactory(func(k float64) (*style, error) {
		builds.Add(1)
		return &style{Font: "x"}, nil
	})
	var held []*style
	for range 100 {
		s, err := f.Get(math.NaN())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, s)
	}
	if n, b := f.Len(), builds.Load(); n != 0 || b != 100 {
		t.Fatalf("after 100 Gets of NaN: Len() = %d, %d builds; want 0 and 100", n, b)
	}
	runtime.KeepAlive(held)
}

func getWeak(t *testing.T, f *flyweight.Factory[int, style], k int) weak.Pointer[style] {
	s, err := f.Get(k)
	if err != nil {
		t.Fatal(err)
	}
	return weak.Make(s)
}

func TestFactoryGetHitAllocatesNothing(t *testing.T) {
	f := flyweight.NewFactory(func(k string) (*style, error) { return &style{Font: k}, nil })
	s, _ := f.Get("serif")
	if n := testing.AllocsPerRun(100, func() {
		if got, _ := f.Get("serif"); got != s {
			panic(fmt.Sprint("a second instance: ", got))
		}
	}); n != 0 {
		t.Fatalf("Get of a live instance: %v allocations", n)
	}
}

// TestFactoryWithKeepAliveKeepsRecentInstances: with WithKeepAlive, the
// instances of the most recent uses survive collections that nothing else
// holds them through, so Get does not build them again; older ones go.
func TestFactoryWithKeepAliveKeepsRecentInstances(t *testing.T) {
	var builds atomic.Int32
	f := flyweight.NewFactory(func(k int) (*style, error) {
		builds.Add(1)
		return &style{Size: k}, nil
	}, flyweight.WithKeepAlive(1))
	old := getWeak(t, f, 1)
	recent := getWeak(t, f, 2) // displaces 1 from the keep-alive ring
	gctest.Until(t, "the older instance to be collected and forgotten", func() bool {
		return old.Value() == nil && f.Len() == 1
	})
	for range 3 {
		gctest.Collect(t)
	}
	if recent.Value() == nil {
		t.Fatal("the most recent instance was collected despite WithKeepAlive(1)")
	}
	if s, _ := f.Get(2); s.Size != 2 || builds.Load() != 2 {
		t.Fatalf("Get(2) = %+v after %d builds; want the kept instance, 2 builds", s, builds.Load())
	}
}

func TestFactoryWithKeepAliveNegativePanics(t *testing.T) {
	defer func() {
		if r, want := recover(), "flyweight: WithKeepAlive(-1): n must not be negative"; r != want {
			t.Fatalf("WithKeepAlive(-1) panicked with %v, want %q", r, want)
		}
	}()
	flyweight.WithKeepAlive(-1)
}

// TestFactoryCopiesShare: a copy of a Factory shares its cache and build
// function with the original, so every copy returns the one instance.
func TestFactoryCopiesShare(t *testing.T) {
	var builds atomic.Int32
	f := flyweight.NewFactory(func(k string) (*style, error) {
		builds.Add(1)
		return &style{Font: k}, nil
	}, flyweight.FactoryOption{})
	g := *f
	a, err := f.Get("serif")
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.Get("serif")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || builds.Load() != 1 {
		t.Fatalf("the original and its copy returned %p and %p after %d builds; want one instance, one build", a, b, builds.Load())
	}
	if f.Len() != 1 || g.Len() != 1 {
		t.Fatalf("Len() = %d and %d, want 1 and 1", f.Len(), g.Len())
	}
}
