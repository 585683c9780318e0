package slotdict_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

func TestNewSchemaIsShared(t *testing.T) {
	for _, n := range []int{0, 1, 3, 8, 9, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a := slotdict.NewSchema(numberedKeys("k", n)...)
			b := slotdict.NewSchema(numberedKeys("k", n)...) // equal keys in other memory
			same(t, a, b, "NewSchema twice")
			if a.Len() != n {
				t.Errorf("Len = %d, want %d", a.Len(), n)
			}
			if n >= 2 {
				keys := numberedKeys("k", n)
				keys[0], keys[1] = keys[1], keys[0]
				if slotdict.NewSchema(keys...) == a {
					t.Error("a reordered key sequence gave the same schema")
				}
			}
		})
	}
}

func TestNewSchemaCopiesKeys(t *testing.T) {
	keys := []string{"a", "b"}
	s := slotdict.NewSchema(keys...)
	keys[0] = "z"
	if got := slices.Collect(s.Keys()); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Keys = %q after the caller changed its slice", got)
	}
}

func TestNewSchemaPanicsOnDuplicateNamingTheKey(t *testing.T) {
	wantPanic(t, `slotdict: duplicate key "dup" in schema`, func() { slotdict.NewSchema("a", "dup", "b", "dup") })
	large := append(numberedKeys("k", 20), "k7")
	wantPanic(t, `slotdict: duplicate key "k7" in schema`, func() { slotdict.NewSchema(large...) })
	wantPanic(t, `slotdict: duplicate key 3 in schema`, func() { slotdict.NewSchema(1, 2, 3, 3) })
	if s := slotdict.NewSchema("a"); s.With("a") != s {
		t.Error("With of a present key did not return the schema itself")
	}
}

func TestNewSchemaPanicsOnNaN(t *testing.T) {
	wantPanic(t, "slotdict: key NaN is not equal to itself", func() { slotdict.NewSchema(1, math.NaN()) })
	wantPanic(t, "slotdict: key NaN is not equal to itself", func() { slotdict.NewSchema(1.0).With(math.NaN()) })
}

func TestSchemaIndexHasKeys(t *testing.T) {
	// Up to 8 keys are searched linearly, more through a hash index.
	for _, n := range []int{0, 1, 8, 9, 64, 65, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			keys := numberedKeys("k", n)
			s := slotdict.NewSchema(keys...)
			for i, k := range keys {
				if got, ok := s.Index(k); !ok || got != i || !s.Has(k) {
					t.Errorf("Index(%q) = %d, %v, Has = %v; want %d, true, true", k, got, ok, s.Has(k), i)
				}
			}
			if got, ok := s.Index("missing"); ok || got != 0 || s.Has("missing") {
				t.Errorf(`Index("missing") = %d, %v, Has = %v`, got, ok, s.Has("missing"))
			}
			if got := slices.Collect(s.Keys()); !slices.Equal(got, keys) {
				t.Errorf("Keys = %q, want %q", got, keys)
			}
		})
	}
}

// TestSchemaSmallStringKeysShareFingerprints looks up string keys of small
// schemas that agree in length and in their first, middle and last bytes,
// which a linear search tells apart only by comparing them whole; and keys
// of a named string type.
func TestSchemaSmallStringKeysShareFingerprints(t *testing.T) {
	keys := []string{"aXbYc", "aZbWc", "", "aQbRc", "a", "b"}
	s := slotdict.NewSchema(keys...)
	for i, k := range keys {
		if got, ok := s.Index(k); !ok || got != i {
			t.Errorf("Index(%q) = %d, %v; want %d, true", k, got, ok, i)
		}
	}
	for _, k := range []string{"aAbBc", "aXbYd", "aXb", "c"} {
		if got, ok := s.Index(k); ok {
			t.Errorf("Index(%q) = %d, true for a key not in the schema", k, got)
		}
	}

	type field string
	f := slotdict.NewSchema[field]("id", "name", "nXmE")
	if i, ok := f.Index("nXmE"); !ok || i != 2 {
		t.Errorf("Index(field nXmE) = %d, %v; want 2, true", i, ok)
	}
	if _, ok := f.Index("nYmE"); ok {
		t.Error("Index(field nYmE) found a key not in the schema")
	}
}

func TestSchemaKeysStopsEarly(t *testing.T) {
	var got []string
	for k := range slotdict.NewSchema("a", "b", "c").Keys() {
		got = append(got, k)
		if k == "b" {
			break
		}
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("got %q", got)
	}
}

func TestSchemaString(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{slotdict.NewSchema("id", "name").String(), "schema[id name]"},
		{slotdict.NewSchema[int]().String(), "schema[]"},
		{slotdict.NewSchema(1, 2).String(), "schema[1 2]"},
	} {
		if tt.got != tt.want {
			t.Errorf("String = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestSchemaWithWithout(t *testing.T) {
	for _, n := range []int{0, 3, 8, 9, 70} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			keys := numberedKeys("k", n)
			s := slotdict.NewSchema(keys...)
			w := s.With("new")
			same(t, slotdict.NewSchema(append(slices.Clone(keys), "new")...), w, "With vs NewSchema")
			same(t, w, s.With("new"), "With twice")
			same(t, s, w.Without("new"), "With then Without")
			same(t, s, s.Without("absent"), "Without an absent key")
			for i, k := range keys {
				rest := slices.Delete(slices.Clone(keys), i, i+1)
				same(t, slotdict.NewSchema(rest...), s.Without(k), "Without vs NewSchema")
				same(t, s.Without(k), s.Without(k), "Without twice")
				if i == n-1 {
					same(t, s, s.Without(k).With(k), "Without then With of the last key")
				}
			}
		})
	}
}

func TestSchemaOtherKeyTypes(t *testing.T) {
	type point struct{ X, Y int }
	p := slotdict.NewSchema(point{1, 2}, point{3, 4})
	same(t, p, slotdict.NewSchema(point{1, 2}, point{3, 4}), "struct keys")
	if i, ok := p.Index(point{3, 4}); !ok || i != 1 {
		t.Errorf("Index = %d, %v", i, ok)
	}

	// K = any: keys of different dynamic types are different keys.
	a := slotdict.NewSchema[any](1, "1", int64(1))
	same(t, a, slotdict.NewSchema[any](1, "1", int64(1)), "any keys")
	if a.Len() != 3 || a == slotdict.NewSchema[any](1, "1", int32(1)) {
		t.Error("keys of different dynamic types were confused")
	}
	if i, ok := a.Index(int64(1)); !ok || i != 2 {
		t.Errorf("Index(int64(1)) = %d, %v", i, ok)
	}
}

// TestSchemaConcurrentUse has goroutines race to make the same schemas and
// transitions: all of them must get the same pointers.
func TestSchemaConcurrentUse(t *testing.T) {
	const goroutines, rounds = 8, 200
	base := slotdict.NewSchema("a", "b")
	results := make([][]*slotdict.Schema[string], goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				k := fmt.Sprint("k", r%17)
				results[g] = append(results[g],
					slotdict.NewSchema("a", "b", k),
					base.With(k),
					base.With(k).Without("a"),
					slotdict.NewSchema("x", "y", fmt.Sprint(r%5)))
			}
		}()
	}
	wg.Wait()
	for g := range goroutines {
		for i := range results[0] {
			if results[0][i] != results[g][i] {
				t.Fatalf("goroutine %d, result %d: %v and %v are different schemas", g, i, results[0][i], results[g][i])
			}
		}
	}
	for i := 0; i < len(results[0]); i += 4 {
		same(t, results[0][i], results[0][i+1], "NewSchema and With")
	}
}

// TestSchemaLookupsAllocateNothing pins what the registry's documentation
// says: finding an existing schema, or a cached transition, allocates
// nothing.
func TestSchemaLookupsAllocateNothing(t *testing.T) {
	keys := []string{"id", "name", "email"}
	s := slotdict.NewSchema(keys...)
	s.With("age")
	s.Without("name")
	for name, f := range map[string]func(){
		"NewSchema of an existing sequence": func() { sinkSchema = slotdict.NewSchema(keys...) },
		"cached With":                       func() { sinkSchema = s.With("age") },
		"cached Without":                    func() { sinkSchema = s.Without("name") },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}

var sinkSchema *slotdict.Schema[string]

// TestBigSchemaIndexProperty builds schemas above the linear-search size from
// drawn strings of every length the hash treats differently, most sharing a
// prefix, as strings and as a named string type, and checks that each key
// is found at its position and that keys one byte away from a member are
// not found.
func TestBigSchemaIndexProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix := rapid.SampledFrom([]string{"", "f", "field_", "a_rather_long_shared_prefix_"}).Draw(t, "prefix")
		suffixes := rapid.SliceOfNDistinct(rapid.StringN(0, 40, -1), 9, 300, rapid.ID).Draw(t, "suffixes")
		keys := make([]string, len(suffixes))
		for i, s := range suffixes {
			keys[i] = prefix + s
		}
		s := slotdict.NewSchema(keys...)
		for i, k := range keys {
			if j, ok := s.Index(k); !ok || j != i {
				t.Fatalf("Index(%q) = %d, %v; want %d, true", k, j, ok, i)
			}
		}
		type field string // a named string type is hashed as a string too
		f := slotdict.NewSchema(asNamed[field](keys)...)
		for i, k := range keys {
			if j, ok := f.Index(field(k)); !ok || j != i {
				t.Fatalf("Index(field %q) = %d, %v; want %d, true", k, j, ok, i)
			}
		}
		for _, k := range keys {
			for _, near := range []string{k + "x", k[:max(len(k)-1, 0)], strings.ToUpper(k)} {
				if j, ok := s.Index(near); ok && keys[j] != near {
					t.Fatalf("Index(%q) = %d, the position of %q", near, j, keys[j])
				}
				if !slices.Contains(keys, near) && s.Has(near) {
					t.Fatalf("Has(%q) for a key not in the schema", near)
				}
			}
		}
	})
}

// asNamed converts strings to a named string type.
func asNamed[T ~string](s []string) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = T(v)
	}
	return out
}
