package weakcache_test

import (
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/weakcache"
)

func TestLoadStoreDelete(t *testing.T) {
	c := weakcache.New[string, node](weakcache.WithStats())
	a, b := newNode(1), newNode(2)

	if v, ok := c.Load("a"); v != nil || ok {
		t.Fatalf("Load from an empty cache = %v, %v", v, ok)
	}
	c.Store("a", a)
	if v, ok := c.Load("a"); v != a || !ok {
		t.Fatalf("Load after Store = %p, %v; want %p, true", v, ok, a)
	}
	c.Store("a", b)
	if v, _ := c.Load("a"); v != b {
		t.Fatalf("Load after a second Store = %p, want %p", v, b)
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("Len = %d, want 1", n)
	}
	c.Delete("a")
	c.Delete("never stored")
	if v, ok := c.Load("a"); v != nil || ok {
		t.Fatalf("Load after Delete = %v, %v", v, ok)
	}
	if n := c.Len(); n != 0 {
		t.Fatalf("Len after Delete = %d, want 0", n)
	}
	if got, want := c.Stats(), (weakcache.Stats{Hits: 2, Misses: 2, Stores: 2}); got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
}

func TestLoadOrStore(t *testing.T) {
	c := weakcache.New[int, node](weakcache.WithStats())
	a, b := newNode(1), newNode(2)
	if got, loaded := c.LoadOrStore(1, a); got != a || loaded {
		t.Fatalf("first LoadOrStore = %p, %v; want %p, false", got, loaded, a)
	}
	if got, loaded := c.LoadOrStore(1, b); got != a || !loaded {
		t.Fatalf("second LoadOrStore = %p, %v; want the first value %p, true", got, loaded, a)
	}
	if v, _ := c.Load(1); v != a {
		t.Fatalf("Load = %p, want %p", v, a)
	}
	if got, want := c.Stats(), (weakcache.Stats{Entries: 1, Hits: 2, Misses: 1, Stores: 1}); got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
}

func TestCompareAndDelete(t *testing.T) {
	c := weakcache.New[int, node]()
	a, b := newNode(1), newNode(2)
	c.Store(1, a)
	for name, deleted := range map[string]bool{
		"other value": c.CompareAndDelete(1, b),
		"nil value":   c.CompareAndDelete(1, nil),
		"absent key":  c.CompareAndDelete(2, a),
	} {
		if deleted {
			t.Errorf("CompareAndDelete with %s deleted", name)
		}
	}
	if v, ok := c.Load(1); v != a || !ok {
		t.Fatalf("Load = %p, %v; want %p, true", v, ok, a)
	}
	if !c.CompareAndDelete(1, a) {
		t.Fatal("CompareAndDelete with the stored value did not delete")
	}
	if _, ok := c.Load(1); ok || c.Len() != 0 {
		t.Fatalf("after CompareAndDelete: Load ok = %v, Len = %d", ok, c.Len())
	}
	runtime.KeepAlive(b)
}

func TestAllYieldsLiveEntries(t *testing.T) {
	c := weakcache.New[int, node]()
	want := map[int]*node{}
	for i := range 100 {
		want[i] = newNode(i)
		c.Store(i, want[i])
	}
	if got := maps.Collect(c.All()); !maps.Equal(got, want) {
		t.Fatalf("All yielded %d entries, different from the %d stored", len(got), len(want))
	}

	n := 0
	for range c.All() {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("break after 3 entries: %d iterations", n)
	}

	// The loop body may use the cache.
	for k := range c.All() {
		if k%2 == 0 {
			c.Delete(k)
		}
	}
	if n := c.Len(); n != 50 {
		t.Fatalf("Len after deleting the even keys while iterating = %d, want 50", n)
	}
	runtime.KeepAlive(want)
}

func TestNilValuesPanic(t *testing.T) {
	c := weakcache.New[int, node]()
	for name, call := range map[string]func(){
		"Store":         func() { c.Store(7, nil) },
		"LoadOrStore":   func() { c.LoadOrStore(7, nil) },
		"LoadOrCompute": func() { _, _ = c.LoadOrCompute(7, func() (*node, error) { return nil, nil }) },
	} {
		t.Run(name, func(t *testing.T) {
			msg := panicMessage(t, call)
			if !strings.HasPrefix(msg, "weakcache: "+name+"(7") || !strings.Contains(msg, "nil") {
				t.Fatalf("panic message %q", msg)
			}
			if n := c.Len(); n != 0 {
				t.Fatalf("Len = %d after the panic, want 0", n)
			}
		})
	}
}

func TestOptionMisuse(t *testing.T) {
	if msg, want := panicMessage(t, func() { weakcache.WithKeepAlive(-1) }),
		"weakcache: WithKeepAlive(-1): n must not be negative"; msg != want {
		t.Errorf("WithKeepAlive(-1) panicked with %q, want %q", msg, want)
	}

	// The zero Option and an empty ring are allowed and do nothing.
	c := weakcache.New[int, node](weakcache.Option{}, weakcache.WithKeepAlive(0))
	c.StoreEntry(1, deadPointer(t))
	if _, ok := c.Load(1); ok {
		t.Fatal("Load returned a dead entry")
	}
	v := newNode(2)
	c.Store(2, v)
	if got, ok := c.Load(2); got != v || !ok {
		t.Fatalf("Load = %p, %v; want %p, true", got, ok, v)
	}
	if got, want := c.Stats(), (weakcache.Stats{Entries: 1, Stores: 1, Collected: 1}); got != want {
		t.Fatalf("Stats = %+v, want %+v: the zero Option turned on WithStats", got, want)
	}
	runtime.KeepAlive(v)
}

// panicMessage runs f and returns what it panicked with, as a string.
func panicMessage(t *testing.T, f func()) (msg string) {
	t.Helper()
	r := recovered(f)
	if r == nil {
		t.Fatal("no panic")
	}
	return fmt.Sprint(r)
}

func recovered(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}
