package flyweight_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// TestCopiedRecordAddingAKeyLeavesTheOriginalAlone: a record of 17 keys has
// spare slots in its array; a copy that adds a key and the original that
// adds another each keep their own value.
func TestCopiedRecordAddingAKeyLeavesTheOriginalAlone(t *testing.T) {
	var a flyweight.Record[int]
	for i := range 17 {
		a.Set(fmt.Sprint("k", i), i)
	}
	b := a
	b.Set("x", 100)
	a.Set("y", 200)
	if v, _ := b.Get("x"); v != 100 {
		t.Errorf("b's x = %d after a set y: another copy's key wrote over it", v)
	}
	if v, _ := a.Get("y"); v != 200 || a.Has("x") || b.Has("y") {
		t.Errorf("a = %v, b = %v", &a, &b)
	}
}

// TestRecordCopiesProperty: after any copies and writes, a write through one
// copy of a Record shows in another copy as the same value under the same
// key, or not at all; it never changes another key, and a key added or
// deleted through one copy is added or deleted in that copy alone.
func TestRecordCopiesProperty(t *testing.T) {
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"}
	rapid.Check(t, func(t *rapid.T) {
		copies := []*flyweight.Record[int]{new(flyweight.Record[int])}
		writes := 0
		snapshot := func() []map[string]int {
			out := make([]map[string]int, len(copies))
			for i, c := range copies {
				out[i] = maps.Collect(c.All())
			}
			return out
		}
		// check compares every copy but the written one, w, with its
		// contents before the write of value v to key k.
		check := func(t *rapid.T, before []map[string]int, w int, k string, v int, added bool) {
			for i, c := range copies {
				if i == w {
					continue
				}
				now := maps.Collect(c.All())
				if !slices.Equal(slices.Sorted(maps.Keys(now)), slices.Sorted(maps.Keys(before[i]))) {
					t.Fatalf("copy %d: keys %v after a write to copy %d, were %v", i, now, w, before[i])
				}
				for key, x := range now {
					if x != before[i][key] && !(key == k && x == v && !added) {
						t.Fatalf("copy %d: %s = %d after copy %d set %s = %d; was %d", i, key, x, w, k, v, before[i][key])
					}
				}
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"copy": func(t *rapid.T) {
				i := rapid.IntRange(0, len(copies)-1).Draw(t, "of")
				c := *copies[i]
				copies = append(copies, &c)
			},
			"set": func(t *rapid.T) {
				w := rapid.IntRange(0, len(copies)-1).Draw(t, "copy")
				k := rapid.SampledFrom(keys).Draw(t, "key")
				writes++
				before := snapshot()
				added := !copies[w].Has(k)
				copies[w].Set(k, writes)
				if v, ok := copies[w].Get(k); !ok || v != writes {
					t.Fatalf("copy %d: %s = %d, %v after setting %d", w, k, v, ok, writes)
				}
				check(t, before, w, k, writes, added)
			},
			"many": func(t *rapid.T) { // cross the sizes where arrays get spare slots
				w := rapid.IntRange(0, len(copies)-1).Draw(t, "copy")
				for _, k := range keys[:rapid.IntRange(0, len(keys)).Draw(t, "n")] {
					writes++
					before := snapshot()
					added := !copies[w].Has(k)
					copies[w].Set(k, writes)
					check(t, before, w, k, writes, added)
				}
			},
			"delete": func(t *rapid.T) {
				w := rapid.IntRange(0, len(copies)-1).Draw(t, "copy")
				k := rapid.SampledFrom(keys).Draw(t, "key")
				before := snapshot()
				copies[w].Delete(k)
				if copies[w].Has(k) {
					t.Fatalf("copy %d still has %s", w, k)
				}
				check(t, before, w, k, -1, true)
			},
		})
	})
}
