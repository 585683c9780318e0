package slotdict_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"unsafe"
	"weak"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// Each test here uses a key type of its own, so that its registry holds
// only the schemas it made.

func TestUnusedSchemaIsCollected(t *testing.T) {
	type key string
	wp, n := func() (weak.Pointer[slotdict.Schema[key]], int) {
		s := slotdict.NewSchema[key]("a", "b")
		d := slotdict.New[key, int](s)
		if err := d.Set("a", 1); err != nil {
			t.Fatal(err)
		}
		return weak.Make(s), slotdict.RegistryLen[key]()
	}()
	if n != 1 {
		t.Fatalf("registry holds %d schemas, want 1", n)
	}
	gctest.Until(t, "the unused schema to be collected", func() bool { return wp.Value() == nil })
	gctest.Until(t, "the registry to drop it", func() bool { return slotdict.RegistryLen[key]() == 0 })

	// A new schema for the same keys works as the old one did.
	s := slotdict.NewSchema[key]("a", "b")
	same(t, s, slotdict.NewSchema[key]("a", "b"), "NewSchema after collection")
	if i, ok := s.Index("b"); !ok || i != 1 {
		t.Errorf("Index = %d, %v", i, ok)
	}
}

func TestSchemaInUseIsNeverDuplicated(t *testing.T) {
	type key string
	d := slotdict.New[key, int](slotdict.NewSchema[key]("a", "b"))
	for range 3 {
		gctest.Collect(t)
		same(t, d.Schema(), slotdict.NewSchema[key]("a", "b"), "NewSchema while a Dict uses the schema")
	}
	runtime.KeepAlive(d)
}

// TestWithChainLetsShorterSchemasGo: a record that gains keys one by one
// walks a chain of With transitions. No schema keeps the one it was made
// from alive, so once only the end is in use, the shorter ones are
// collected; walking the chain again makes them anew and ends at the same
// schema.
func TestWithChainLetsShorterSchemasGo(t *testing.T) {
	type key string
	root := slotdict.NewSchema[key]()
	walk := func() *slotdict.Schema[key] {
		s := root
		for _, k := range []key{"a", "b", "c", "d"} {
			s = s.With(k)
		}
		return s
	}
	end := walk()
	mid := weak.Make(root.With("a").With("b"))
	gctest.Until(t, "an intermediate schema of the chain to be collected", func() bool { return mid.Value() == nil })
	gctest.Until(t, "the registry to hold only the root and the end", func() bool { return slotdict.RegistryLen[key]() == 2 })
	same(t, end, walk(), "walking the chain again")
	same(t, end, slotdict.NewSchema[key]("a", "b", "c", "d"), "NewSchema of the chain's keys")
	runtime.KeepAlive(end)
}

// TestWithBranchesKeepTheirKeys: schemas that share a prefix and then go
// different ways (the second With from one schema starts a family of its
// own) each hold exactly their keys, and the longer views of the first way
// do not leak into the second.
func TestWithBranchesKeepTheirKeys(t *testing.T) {
	base := slotdict.NewSchema(numberedKeys("k", 12)...)
	left := base.With("left").With("l2")
	right := base.With("right")
	for name, tt := range map[string]struct {
		s    *slotdict.Schema[string]
		keys []string
	}{
		"base":  {base, numberedKeys("k", 12)},
		"left":  {left, append(numberedKeys("k", 12), "left", "l2")},
		"right": {right, append(numberedKeys("k", 12), "right")},
	} {
		if got := slices.Collect(tt.s.Keys()); !slices.Equal(got, tt.keys) {
			t.Errorf("%s: keys %q, want %q", name, got, tt.keys)
		}
		for i, k := range tt.keys {
			if j, ok := tt.s.Index(k); !ok || j != i {
				t.Errorf("%s: Index(%q) = %d, %v", name, k, j, ok)
			}
		}
		for _, k := range []string{"left", "l2", "right"} {
			if tt.s.Has(k) != slices.Contains(tt.keys, k) {
				t.Errorf("%s: Has(%q) = %v", name, k, tt.s.Has(k))
			}
		}
	}
	same(t, right, slotdict.NewSchema(append(numberedKeys("k", 12), "right")...), "NewSchema of a branch's keys")
}

// TestTransitionsDoNotHoldCallersKeys: the transition caches key their
// entries by the schemas' own copies of the keys, so a caller's key (here a
// view of a large buffer) passed to Without, or to a With whose target
// exists, is not kept alive by the source schema.
func TestTransitionsDoNotHoldCallersKeys(t *testing.T) {
	both := slotdict.NewSchema("other", "name")
	other := slotdict.NewSchema("other")
	var freed atomic.Bool
	func() {
		buf := make([]byte, 1<<20)
		copy(buf[len(buf)-4:], "name")
		runtime.AddCleanup(&buf[0], func(f *atomic.Bool) { f.Store(true) }, &freed)
		view := unsafe.String(&buf[len(buf)-4], 4)
		same(t, both.Without(view), other, "Without of a view")
		same(t, other.With(view), both, "With of a view to an existing schema")
	}()
	gctest.Until(t, "the buffer behind the caller's key to be collected", freed.Load)
	runtime.KeepAlive(both)
	runtime.KeepAlive(other)
}

// TestNewSchemasDoNotHoldCallersKeys: a schema made by NewSchema or With
// from a caller's string key (a view of a large buffer) keeps its own copy,
// so the buffer goes while the schema and the transition cache live.
func TestNewSchemasDoNotHoldCallersKeys(t *testing.T) {
	type key string
	base := slotdict.NewSchema[key]("base")
	var freed atomic.Bool
	var made, grown *slotdict.Schema[key]
	func() {
		buf := make([]byte, 1<<20)
		copy(buf[len(buf)-8:], "made")
		copy(buf[len(buf)-4:], "grew")
		runtime.AddCleanup(&buf[0], func(f *atomic.Bool) { f.Store(true) }, &freed)
		made = slotdict.NewSchema(key(unsafe.String(&buf[len(buf)-8], 4)))
		grown = base.With(key(unsafe.String(&buf[len(buf)-4], 4)))
	}()
	gctest.Until(t, "the buffer behind the keys of new schemas to be collected", freed.Load)
	same(t, slotdict.NewSchema[key]("made"), made, "NewSchema after the buffer went")
	same(t, slotdict.NewSchema[key]("base", "grew"), grown, "With after the buffer went")
	same(t, base.With("grew"), grown, "cached With after the buffer went")
}

// TestTransitionCacheDoesNotGrowWithoutBound makes many transitions out of
// one long-lived schema and drops their targets: the cache must not keep
// them alive, and its dead entries must be swept, so that its size stays
// within about twice the number of live targets.
func TestTransitionCacheDoesNotGrowWithoutBound(t *testing.T) {
	type key string
	s := slotdict.NewSchema[key]("base")
	const n = 1000
	for i := range n {
		s.With(key(fmt.Sprint("k", i)))
	}
	s.Without("base")
	if got := slotdict.TransitionCacheLen(s); got != n+1 {
		t.Fatalf("cache holds %d transitions, want %d", got, n+1)
	}
	gctest.Until(t, "the dropped targets to be collected", func() bool { return slotdict.RegistryLen[key]() == 1 })
	// Now at most about 100 targets are alive at a time; the dead ones
	// must go.
	largest := 0
	for i := range 4 * n {
		s.With(key(fmt.Sprint("again", i)))
		largest = max(largest, slotdict.TransitionCacheLen(s))
		if i%100 == 99 {
			gctest.Collect(t)
		}
	}
	if largest > 2*(n+1)+1 {
		t.Errorf("cache grew to %d entries, more than twice the %d it held", largest, n+1)
	}
	if got := slotdict.TransitionCacheLen(s); got > 2*100+2 {
		t.Errorf("cache holds %d transitions, want at most about twice the 100 live ones", got)
	}
	runtime.KeepAlive(s)
}

// TestTransitionTargetsDoNotKeepSourceAlive: a schema reached by Without
// must not keep the bigger schema alive.
func TestTransitionTargetsDoNotKeepSourceAlive(t *testing.T) {
	type key string
	small := slotdict.NewSchema[key]("a")
	big := func() weak.Pointer[slotdict.Schema[key]] {
		b := slotdict.NewSchema[key]("a", "x")
		if b.Without("x") != small {
			t.Fatal("Without gave another schema")
		}
		return weak.Make(b)
	}()
	gctest.Until(t, "the source of a Without transition to be collected", func() bool { return big.Value() == nil })
	runtime.KeepAlive(small)
}
