package weakcache_test

import (
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/misuse"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// TestBadInput: every exported function of the package given bad input
// panics with a "weakcache: " message, as its documentation says. (Errors
// are the build function's own, returned as they are.)
func TestBadInput(t *testing.T) {
	misuse.Run(t, []misuse.Case{
		{Name: "New zero-size value", Do: func() error { weakcache.New[int, struct{}](); return nil }, Panic: "weakcache: value type struct {} has size zero"},
		{Name: "WithKeepAlive negative", Do: func() error { weakcache.WithKeepAlive(-1); return nil }, Panic: "weakcache: WithKeepAlive(-1)"},
		{Name: "zero Cache zero-size value", Do: func() error { new(weakcache.Cache[int, struct{}]).Load(1); return nil }, Panic: "weakcache: value type struct {} has size zero"},
		{Name: "Store nil", Do: func() error { weakcache.New[int, node]().Store(1, nil); return nil }, Panic: "weakcache: Store(1, nil)"},
		{Name: "LoadOrStore nil", Do: func() error { weakcache.New[int, node]().LoadOrStore(1, nil); return nil }, Panic: "weakcache: LoadOrStore(1, nil)"},
		{Name: "LoadOrCompute nil result", Do: func() error {
			_, err := weakcache.New[int, node]().LoadOrCompute(1, func() (*node, error) { return nil, nil })
			return err
		}, Panic: "weakcache: LoadOrCompute(1): build returned a nil value and a nil error"},
		{Name: "LoadOrCompute nil build", Do: func() error {
			_, err := weakcache.New[int, node]().LoadOrCompute(1, nil)
			return err
		}, Panic: "weakcache: LoadOrCompute(1) with a nil build function"},
	})
	// A key that cannot be hashed: every method that takes a key names it,
	// where the map would panic with a bare runtime error.
	c := weakcache.New[any, node]()
	const bad = "weakcache: key []int{1} is not comparable"
	misuse.Run(t, []misuse.Case{
		{Name: "Load incomparable key", Do: func() error { c.Load([]int{1}); return nil }, Panic: bad},
		{Name: "Store incomparable key", Do: func() error { c.Store([]int{1}, &node{}); return nil }, Panic: bad},
		{Name: "LoadOrStore incomparable key", Do: func() error { c.LoadOrStore([]int{1}, &node{}); return nil }, Panic: bad},
		{Name: "LoadOrCompute incomparable key", Do: func() error {
			_, err := c.LoadOrCompute([]int{1}, func() (*node, error) { return &node{}, nil })
			return err
		}, Panic: bad},
		{Name: "Delete incomparable key", Do: func() error { c.Delete([]int{1}); return nil }, Panic: bad},
		{Name: "CompareAndDelete incomparable key", Do: func() error { c.CompareAndDelete([]int{1}, &node{}); return nil }, Panic: bad},
	})
	if n := c.Len(); n != 0 {
		t.Errorf("Len() = %d after calls with incomparable keys", n)
	}
}
