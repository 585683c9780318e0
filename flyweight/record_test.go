package flyweight_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// orderedModel is what a Record must behave like: a map that remembers
// insertion order, where a deleted key that is set again goes last.
type orderedModel struct {
	keys []string
	vals map[string]int
}

func (m *orderedModel) set(k string, v int) {
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *orderedModel) delete(k string) bool {
	if _, ok := m.vals[k]; !ok {
		return false
	}
	m.keys = slices.DeleteFunc(m.keys, func(x string) bool { return x == k })
	delete(m.vals, k)
	return true
}

func (m *orderedModel) check(t *rapid.T, r *flyweight.Record[int]) {
	if r.Len() != len(m.keys) {
		t.Fatalf("Len() = %d, want %d", r.Len(), len(m.keys))
	}
	var keys []string
	for k, v := range r.All() {
		keys = append(keys, k)
		if v != m.vals[k] {
			t.Fatalf("All yielded %s=%d, want %d", k, v, m.vals[k])
		}
	}
	if !slices.Equal(keys, m.keys) {
		t.Fatalf("All() keys = %q, want %q", keys, m.keys)
	}
	if want := slotdict.NewSchema(m.keys...); r.Schema() != want {
		t.Fatalf("schema %v is not the shared schema of %q", r.Schema(), m.keys)
	}
}

// recordKey draws keys from a small set, so that keys recur, and sometimes
// as a substring of a larger buffer, so that aliasing would show; enough keys
// to cross the 8-key boundary where a record's capacity starts to double.
var recordKey = rapid.Custom(func(t *rapid.T) string {
	k := rapid.SampledFrom(strings.Fields("a b c d e f g h i j k l m n")).Draw(t, "key")
	if rapid.Bool().Draw(t, "substring") {
		return ("prefix-" + k)[len("prefix-"):]
	}
	return k
})

func TestRecordModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var r flyweight.Record[int] // the zero Record is ready to use
		m := &orderedModel{vals: map[string]int{}}
		var clones []*flyweight.Record[int]
		var cloneModels []*orderedModel
		t.Repeat(map[string]func(*rapid.T){
			"Set": func(t *rapid.T) {
				k, v := recordKey.Draw(t, "k"), rapid.Int().Draw(t, "v")
				r.Set(k, v)
				m.set(k, v)
			},
			"Get": func(t *rapid.T) {
				k := recordKey.Draw(t, "k")
				got, ok := r.Get(k)
				want, wantOK := m.vals[k]
				if got != want || ok != wantOK || r.Has(k) != wantOK {
					t.Fatalf("Get(%q) = %d, %v; want %d, %v", k, got, ok, want, wantOK)
				}
			},
			"Delete": func(t *rapid.T) {
				k := recordKey.Draw(t, "k")
				if got, want := r.Delete(k), m.delete(k); got != want {
					t.Fatalf("Delete(%q) = %v, want %v", k, got, want)
				}
			},
			"Clone": func(t *rapid.T) {
				clones = append(clones, r.Clone())
				cm := &orderedModel{keys: slices.Clone(m.keys), vals: map[string]int{}}
				for k, v := range m.vals {
					cm.vals[k] = v
				}
				cloneModels = append(cloneModels, cm)
			},
			"": func(t *rapid.T) {
				m.check(t, &r)
				for i, c := range clones { // clones are independent of r
					cloneModels[i].check(t, c)
				}
			},
		})
	})
}

// TestRecordKeysAreCopied: a key that is a substring of a large buffer is
// not what the shared schema stores.
func TestRecordKeysAreCopied(t *testing.T) {
	buf := strings.Repeat("x", 1<<16) + "name"
	key := buf[len(buf)-4:]
	var r flyweight.Record[string]
	r.Set(key, "v")
	for k := range r.Schema().Keys() {
		if unsafe.StringData(k) == unsafe.StringData(key) {
			t.Fatal("the schema holds the caller's key string")
		}
	}
}

// TestRecordByValueEncodes: a Record held by value encodes as its contents.
func TestRecordByValueEncodes(t *testing.T) {
	var holder struct{ R flyweight.Record[int] }
	holder.R.Set("x", 1)
	if b, err := json.Marshal(holder); err != nil || string(b) != `{"R":{"x":1}}` {
		t.Fatalf("json.Marshal of a struct holding a Record = %s, %v", b, err)
	}
}

// TestRecordsShareSchemas: records that gain the same keys in the same
// order share one schema, whatever strings the keys came from.
func TestRecordsShareSchemas(t *testing.T) {
	a, b := new(flyweight.Record[int]), new(flyweight.Record[int])
	for i, k := range []string{"x", "y", "z"} {
		a.Set(k, i)
		b.Set(strings.Clone(k), i*10)
	}
	if a.Schema() != b.Schema() || a.Schema() != slotdict.NewSchema("x", "y", "z") {
		t.Fatalf("schemas %v and %v are not shared", a.Schema(), b.Schema())
	}
	b.Delete("y")
	b.Set("y", 1)
	if b.Schema() != slotdict.NewSchema("x", "z", "y") {
		t.Fatalf("after re-adding y: %v", b.Schema())
	}
	if got := b.String(); got != "map[x:0 z:20 y:1]" {
		t.Fatalf("String() = %q", got)
	}
}

func TestRecordGetAllocatesNothing(t *testing.T) {
	r := new(flyweight.Record[int])
	r.Set("x", 1)
	r.Set("y", 2)
	if n := testing.AllocsPerRun(100, func() {
		v, _ := r.Get("y")
		r.Set("x", v)
	}); n != 0 {
		t.Fatalf("Get and Set of a present key: %v allocations", n)
	}
}

// TestCapacity pins what Set and Delete rely on: capacity(n) ≥ n, never
// decreasing, exact up to 15, at most an eighth over n beyond, the same for
// n+1 as for n while n has a spare slot (so that a key added in place
// leaves the array the right size), and growing in few steps.
func TestCapacity(t *testing.T) {
	grows := 0
	for n := 1; n <= 1<<16; n++ {
		c, prev := flyweight.Capacity(n), flyweight.Capacity(n-1)
		if c < n || c < prev || (n <= 15 && c != n) || (n > 8 && float64(c) > 1.125*float64(n)) {
			t.Fatalf("capacity(%d) = %d after capacity(%d) = %d", n, c, n-1, prev)
		}
		if n-1 < prev && c != prev {
			t.Fatalf("capacity(%d) = %d: %d keys had a spare slot in an array of %d", n, c, n-1, prev)
		}
		if n > 8 && c != prev {
			grows++
		}
	}
	// Eight per doubling from 16 to 2^16, plus a few on the way to 16.
	if grows > 8*13+8 {
		t.Fatalf("capacity grew %d times up to 2^16 keys", grows)
	}
}
