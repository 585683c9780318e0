package slotdict_test

import (
	"fmt"
	"reflect"
	"runtime"
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

// TestWithChainStaysCached: a record that gains keys one by one walks a
// chain of With transitions. While its last schema is in use, the earlier
// ones stay alive and cached, so walking the chain again finds the same
// schemas without building them anew.
func TestWithChainStaysCached(t *testing.T) {
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
	for range 3 {
		gctest.Collect(t)
	}
	if mid.Value() == nil {
		t.Fatal("an intermediate schema of a chain in use was collected")
	}
	same(t, end, walk(), "walking the chain again")
	if got := slotdict.RegistryLen[key](); got != 5 {
		t.Errorf("registry holds %d schemas, want 5 (root and four steps)", got)
	}
	runtime.KeepAlive(end)
}

// TestWithKeepsSourceOfExistingTarget: With keeps its source alive through
// the target also when the target existed before (made by NewSchema), so
// that the transition stays cached.
func TestWithKeepsSourceOfExistingTarget(t *testing.T) {
	type key string
	ab := slotdict.NewSchema[key]("a", "b")
	a := func() weak.Pointer[slotdict.Schema[key]] {
		a := slotdict.NewSchema[key]("a")
		same(t, a.With("b"), ab, "With to an existing schema")
		return weak.Make(a)
	}()
	for range 3 {
		gctest.Collect(t)
	}
	if a.Value() == nil {
		t.Fatal("the source of a With transition was collected while its target is in use")
	}
	runtime.KeepAlive(ab)
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

func TestLargeLayoutOffset(t *testing.T) {
	types := []reflect.Type{
		reflect.TypeFor[int](), reflect.TypeFor[byte](), reflect.TypeFor[int32](),
		reflect.TypeFor[string](), reflect.TypeFor[struct{}](), reflect.TypeFor[[3]byte](),
		reflect.TypeFor[any](), reflect.TypeFor[complex128](),
	}
	for _, v := range types {
		for _, n := range []int{65, 100, 127, 128, 129, 1000} {
			if got, want := slotdict.LargeLayoutExtOffset(v, n); got != want {
				t.Errorf("%v × %d: Ext at %d, computed %d", v, n, got, want)
			}
		}
	}
}
