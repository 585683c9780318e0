package slotdict

import "weak"

// edges caches the transitions of one kind (With or Without) out of a
// schema, by key. Targets are held weakly, so the cache keeps nothing alive.
//
// Most schemas have one transition of a kind (a record gains keys in one
// order), which is kept in the struct itself; a map holds the others, and
// entries whose target was collected are dropped from it in a sweep
// whenever it has doubled since the last one, so its size stays within
// twice the number of live targets (plus a small floor) without a cleanup
// per entry. Cleanups on the targets would pile up on long-lived targets
// reached from many short-lived schemas.
type edges[K comparable] struct {
	key     K // the first transition's key, if to is set
	to      weak.Pointer[Schema[K]]
	m       map[K]weak.Pointer[Schema[K]]
	sweepAt int
}

// edgesSweepFloor is the size below which a map is never swept.
const edgesSweepFloor = 8

func (e *edges[K]) load(k K) *Schema[K] {
	if e.to != (weak.Pointer[Schema[K]]{}) && e.key == k {
		return e.to.Value()
	}
	return e.m[k].Value()
}

func (e *edges[K]) store(k K, t *Schema[K]) {
	if e.to == (weak.Pointer[Schema[K]]{}) || e.key == k || e.to.Value() == nil {
		e.key, e.to = k, weak.Make(t)
		delete(e.m, k)
		return
	}
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

// len returns the number of transitions cached, live or dead.
func (e *edges[K]) len() int {
	n := len(e.m)
	if e.to != (weak.Pointer[Schema[K]]{}) {
		n++
	}
	return n
}
