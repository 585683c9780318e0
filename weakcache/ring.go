package weakcache

import "sync/atomic"

// ring holds the values of the most recent uses strongly (WithKeepAlive).
//
// It is a fixed array of pointers written round-robin, rather than an LRU
// list: a use costs an atomic load and a compare when it uses the same value as
// the last use (the common case for a hot value, and then no shared memory is
// written, so parallel hits on one value do not contend), and otherwise one
// atomic add and one atomic store. Exact recency under concurrency is not
// needed: the ring only decides which values survive a collection that nothing
// else keeps them through.
type ring[V any] struct {
	slots []atomic.Pointer[V]
	last  atomic.Uint64 // slots[last%len(slots)] was written last
}

func newRing[V any](n int) *ring[V] {
	return &ring[V]{slots: make([]atomic.Pointer[V], n)}
}

// touch records a use of v.
func (r *ring[V]) touch(v *V) {
	n := uint64(len(r.slots))
	if r.slots[r.last.Load()%n].Load() == v {
		return
	}
	r.slots[r.last.Add(1)%n].Store(v)
}
