package flyweight

import "github.com/seed5da3ae9a/flyweight/weakcache"

// A Factory hands out one shared instance of V per key: [Factory.Get] builds
// the instance for a key once, returns that same pointer to every caller
// while anyone holds it, and forgets it after the garbage collector reclaims
// it, so that a later Get builds a fresh one.
//
// A Factory is safe for concurrent use. Concurrent calls of Get for one key
// run a single build and all get its result. Create a Factory with
// [NewFactory]; the methods of the zero Factory panic, and a Factory must
// not be copied after first use.
type Factory[K comparable, V any] struct {
	cache *weakcache.Cache[K, V]
	build func(K) (*V, error)
}

// An Option configures a [Factory]: NewFactory accepts the options of
// weakcache.New, such as weakcache.WithKeepAlive(n) to hold the n most
// recently used instances strongly so that hot ones survive collections, and
// weakcache.WithOnCollected.
type FactoryOption = weakcache.Option

// NewFactory returns a Factory that builds the instance for a key with
// build. It panics if build is nil, and, as weakcache.New does, if V has size
// zero.
func NewFactory[K comparable, V any](build func(K) (*V, error), opts ...FactoryOption) *Factory[K, V] {
	if build == nil {
		panic("flyweight: NewFactory with a nil build function")
	}
	return &Factory[K, V]{cache: weakcache.New[K, V](opts...), build: build}
}

// Get returns the shared instance for k, building it with the Factory's
// build function if no live instance exists. If build fails, Get returns its
// error and caches nothing: the next Get tries again. build must not call Get
// for the same key, and must not return a nil instance with a nil error. A
// key not equal to itself (a floating-point NaN) is never cached: every Get
// of one builds a new instance.
func (f *Factory[K, V]) Get(k K) (*V, error) {
	c := f.mustCache()
	// Load first: it allocates nothing, where the closure below escapes.
	if v, ok := c.Load(k); ok {
		return v, nil
	}
	return c.LoadOrCompute(k, func() (*V, error) { return f.build(k) })
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
