package slotdict

import "weak"

// edges caches the transitions of one kind (With or Without) out of a
// schema, by key. Targets are held weakly, so the cache keeps nothing alive;
// entries whose target was collected are dropped in a sweep whenever the map
// has doubled since the last one, so its size stays within twice the number
// of live targets (plus a small floor) without a cleanup per entry. Cleanups
// on the targets would pile up on long-lived targets reached from many
// short-lived schemas.
type edges[K comparable] struct {
	m       map[K]weak.Pointer[Schema[K]]
	sweepAt int
}

// edgesSweepFloor is the size below which a cache is never swept.
const edgesSweepFloor = 8

func (e *edges[K]) load(k K) *Schema[K] {
	return e.m[k].Value()
}

func (e *edges[K]) store(k K, t *Schema[K]) {
	if e.m == nil {
		e.m = make(map[K]weak.Pointer[Schema[K]])
	}
	if len(e.m) >= max(e.sweepAt, edgesSweepFloor) {
		for key, wp := range e.m {
			if wp.Value() == nil {
				delete(e.m, key)
			}
		}
		e.sweepAt = 2 * len(e.m)
	}
	e.m[k] = weak.Make(t)
}
