package bench

import (
	"context"
	"runtime"
	"testing"
	"weak"

	"github.com/puzpuzpuz/xsync/v3"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
)

// BenchmarkFactoryHit gets a live instance from a flyweight.Factory, on the
// keys of this module, against xsync-weak, a bare xsync map of weak
// pointers: Get, Get of a Factory made WithStats (which counts the hit in
// Stats().Hits), and GetContext with a context that can be cancelled.
func BenchmarkFactoryHit(b *testing.B) {
	build := func(k string) (*node, error) { return &node{key: k}, nil }
	plain := flyweight.NewFactory(build)
	counting := flyweight.NewFactory(build, flyweight.WithStats())
	floor := xsync.NewMapOf[string, weak.Pointer[node]]()
	held := make([]*node, 0, 3*len(keys))
	for _, k := range keys {
		v, _ := plain.Get(k)
		w, _ := counting.Get(k)
		held = append(held, v, w)
		floor.Store(k, weak.Make(v))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	baseline.RunKeys(b, "impl=Get", func(i int) *node { v, _ := plain.Get(keys[i]); return v })
	baseline.RunKeys(b, "impl=Get+WithStats", func(i int) *node { v, _ := counting.Get(keys[i]); return v })
	baseline.RunKeys(b, "impl=GetContext", func(i int) *node { v, _ := plain.GetContext(ctx, keys[i]); return v })
	baseline.RunKeys(b, "impl=xsync-weak", func(i int) *node { wp, _ := floor.Load(keys[i]); return wp.Value() })
	runtime.KeepAlive(held)
}
