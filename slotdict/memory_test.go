package slotdict_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// fullMap returns a map with every key of keys, key i holding i.
func fullMap(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}

// fullDict returns a Dict over s with every key set, key i holding i.
func fullDict(s *slotdict.Schema[string]) *slotdict.Dict[string, int] {
	d := slotdict.New[string, int](s)
	i := 0
	for k := range s.Keys() {
		if err := d.Set(k, i); err != nil {
			panic(err)
		}
		i++
	}
	return d
}

// perObject returns the live bytes per object that build makes, the slot
// holding it (a pointer, for maps and Dicts) included, over enough objects
// of a schema of n keys that the noise is negligible. The keys themselves
// are shared by all objects and not counted.
func perObject[T any](n int, build func() T) float64 {
	count := max(200_000/n, 300)
	return memsize.PerObject(count, func() any {
		objs := make([]T, count)
		for i := range objs {
			objs[i] = build()
		}
		return objs
	})
}

// TestBytesPerDictVsMap bounds what a Dict[string, int] with every key set
// costs, pointer included, as a fraction of a map[string]int with the same
// keys (the log lines give the figures).
func TestBytesPerDictVsMap(t *testing.T) {
	for _, tt := range []struct {
		keys     int
		maxRatio float64
	}{
		{3, 0.22},
		{100, 0.28},
		{1000, 0.16},
	} {
		t.Run(fmt.Sprintf("keys=%d", tt.keys), func(t *testing.T) {
			keys := benchKeys(tt.keys)
			s := slotdict.NewSchema(keys...)
			m := perObject(tt.keys, func() map[string]int { return fullMap(keys) })
			d := perObject(tt.keys, func() *slotdict.Dict[string, int] { return fullDict(s) })
			runtime.KeepAlive(keys) // not released in the middle of a measurement
			t.Logf("map[string]int %.1f B, Dict[string, int] %.1f B: %.3f×", m, d, d/m)
			if d/m > tt.maxRatio {
				t.Errorf("a Dict costs %.3f× a map (%.1f B vs %.1f B), want ≤ %.2f×", d/m, d, m, tt.maxRatio)
			}
		})
	}
}
