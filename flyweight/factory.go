package flyweight

import (
	"context"
	"fmt"

	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// A Factory hands out one shared instance of V per key: [Factory.Get] builds
// the instance for a key once, returns that same pointer to every caller
// while anyone holds it, and forgets it after the garbage collector reclaims
// it, so that a later Get builds a fresh one.
//
// A Factory is safe for concurrent use. Concurrent calls of Get and
// [Factory.GetContext] for one key run a single build and all get its
// result; a caller of GetContext stops waiting when its context ends.
//
// Create a Factory with [NewFactory], or with [NewFactoryContext] for a build
// function that takes a context: unlike the module's other types, a Factory
// has no useful zero value, because it needs its build function; every
// method of the zero Factory panics with "flyweight: Factory used without
// NewFactory". A Factory may be copied: it holds a pointer to its cache and
// its build function, and copies share both, like copies of a map header,
// so an instance built through one copy is the one that every copy returns.
type Factory[K comparable, V any] struct {
	cache *weakcache.Cache[K, V]
	build func(context.Context, K) (*V, error)
}

// A FactoryOption configures a [Factory] made by [NewFactory]. The zero
// FactoryOption changes nothing.
type FactoryOption struct {
	apply func(*factoryConfig)
}

type factoryConfig struct {
	keepAlive int
	stats     bool
}

// WithKeepAlive makes the Factory also hold the instances of its n most
// recent uses strongly, so that hot instances survive garbage collections
// while nothing else holds them, instead of being built again. A use is a
// Get. n is 0 by default (only the program's own references keep an
// instance); WithKeepAlive panics if n is negative. It is
// weakcache.WithKeepAlive, with the same costs.
func WithKeepAlive(n int) FactoryOption {
	if n < 0 {
		panic(fmt.Sprintf("flyweight: WithKeepAlive(%d): n must not be negative", n))
	}
	return FactoryOption{apply: func(c *factoryConfig) { c.keepAlive = n }}
}

// WithStats makes the Factory count the calls of Get and GetContext that
// find a live instance, in [FactoryStats.Hits]; without it Hits stays zero,
// and the other counts are kept all the same. It is weakcache.WithStats, with
// the same cost: an atomic add on every hit (BenchmarkFactoryHit in bench/
// measures it).
func WithStats() FactoryOption {
	return FactoryOption{apply: func(c *factoryConfig) { c.stats = true }}
}

// NewFactory returns a Factory that builds the instance for a key with
// build. It panics if build is nil, and, as weakcache.New does, if V has size
// zero.
func NewFactory[K comparable, V any](build func(K) (*V, error), opts ...FactoryOption) *Factory[K, V] {
	if build == nil {
		panic("flyweight: NewFactory with a nil build function")
	}
	return newFactory(func(_ context.Context, k K) (*V, error) { return build(k) }, opts)
}

// NewFactoryContext returns a Factory that builds the instance for a key
// with build, which gets a context: the one that [Factory.GetContext]
// describes, carrying the values of the context of the call that started the
// build, cancelled once every caller waiting for the build has left. Get
// passes context.Background(). NewFactoryContext panics if build is nil, and,
// as weakcache.New does, if V has size zero.
func NewFactoryContext[K comparable, V any](build func(ctx context.Context, k K) (*V, error), opts ...FactoryOption) *Factory[K, V] {
	if build == nil {
		panic("flyweight: NewFactoryContext with a nil build function")
	}
	return newFactory(build, opts)
}

func newFactory[K comparable, V any](build func(context.Context, K) (*V, error), opts []FactoryOption) *Factory[K, V] {
	var cfg factoryConfig
	for _, o := range opts {
		if o.apply != nil {
			o.apply(&cfg)
		}
	}
	var cacheOpts []weakcache.Option
	if cfg.keepAlive > 0 {
		cacheOpts = append(cacheOpts, weakcache.WithKeepAlive(cfg.keepAlive))
	}
	if cfg.stats {
		cacheOpts = append(cacheOpts, weakcache.WithStats())
	}
	return &Factory[K, V]{cache: weakcache.New[K, V](cacheOpts...), build: build}
}

// Get returns the shared instance for k, building it with the Factory's
// build function if no live instance exists. Get waits for a build in
// progress for as long as it takes; [Factory.GetContext] can stop waiting.
// A build that Get starts runs in the calling goroutine, with
// context.Background() for a build function of NewFactoryContext.
//
// If build fails, Get returns its error and caches nothing: the next Get
// tries again. If build panics, the panic propagates to the caller of Get
// whose build it was, nothing is cached, and the Gets waiting for that build
// try again (callers of GetContext get a *weakcache.PanicError), as in
// weakcache.Cache.LoadOrCompute. build must not call Get for the same key,
// and must not return a nil instance with a nil error. A key not equal to
// itself (a floating-point NaN) is never cached: every Get of one builds a
// new instance.
func (f *Factory[K, V]) Get(k K) (*V, error) {
	c := f.mustCache()
	// Load first: it allocates nothing, where the closure below escapes.
	if v, ok := c.Load(k); ok {
		return v, nil
	}
	return c.LoadOrCompute(k, func() (*V, error) { return f.build(context.Background(), k) })
}

// GetContext is [Factory.Get] for a caller that may stop waiting: it returns
// a live instance for k if there is one, and otherwise waits for the build
// of k in progress or starts one, and returns nil and ctx.Err() as soon as
// ctx ends (at once if it already has). The build goes on for the other
// callers waiting for it; its context, given to the build function of
// [NewFactoryContext], carries the values of the context of the caller that
// started it and none of its deadline, and is cancelled when every caller
// has left, in which case nothing is cached and the next call builds
// afresh. A build that panics (or returns a nil instance with a nil error)
// gives every caller of GetContext waiting for it a *weakcache.PanicError,
// and caches nothing. It is weakcache.Cache.LoadOrComputeContext, which
// tells the details: with a ctx that can be cancelled, the build runs in a
// goroutine of its own; with one that cannot, in the caller's.
func (f *Factory[K, V]) GetContext(ctx context.Context, k K) (*V, error) {
	c := f.mustCache()
	// Load first, as in Get.
	if v, ok := c.Load(k); ok {
		return v, nil
	}
	return c.LoadOrComputeContext(ctx, k, func(ctx context.Context) (*V, error) { return f.build(ctx, k) })
}

// mustCache returns the factory's cache, panicking if the Factory is the
// zero value.
func (f *Factory[K, V]) mustCache() *weakcache.Cache[K, V] {
	if f.cache == nil {
		panic("flyweight: Factory used without NewFactory")
	}
	return f.cache
}

// Len returns the number of instances the Factory holds. It may count
// instances that were collected and are not yet forgotten, so it is an upper
// bound of the number of live instances, and it reaches zero after they have
// all been collected.
func (f *Factory[K, V]) Len() int {
	return f.mustCache().Len()
}
