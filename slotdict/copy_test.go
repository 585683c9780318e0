package slotdict_test

import (
	"maps"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// TestDictCopiesShareContentsProperty: copies of a Dict are headers of one
// Dict, as copies of a map are: after any Set, Delete, Clear or decode
// through any copy, every copy holds exactly the model's entries.
func TestDictCopiesShareContentsProperty(t *testing.T) {
	keys := numberedKeys("k", 70) // beyond 64 keys the bitmap has more words
	s := slotdict.NewSchema(keys...)
	rapid.Check(t, func(t *rapid.T) {
		copies := []slotdict.Dict[string, int]{*slotdict.New[string, int](s)}
		model := map[string]int{}
		pick := func(t *rapid.T) *slotdict.Dict[string, int] {
			return &copies[rapid.IntRange(0, len(copies)-1).Draw(t, "copy")]
		}
		t.Repeat(map[string]func(*rapid.T){
			"copy": func(t *rapid.T) { copies = append(copies, *pick(t)) },
			"set": func(t *rapid.T) {
				k, v := rapid.SampledFrom(keys).Draw(t, "key"), rapid.Int().Draw(t, "value")
				if err := pick(t).Set(k, v); err != nil {
					t.Fatal(err)
				}
				model[k] = v
			},
			"delete": func(t *rapid.T) {
				k := rapid.SampledFrom(keys).Draw(t, "key")
				_, had := model[k]
				if got := pick(t).Delete(k); got != had {
					t.Fatalf("Delete(%q) = %v, want %v", k, got, had)
				}
				delete(model, k)
			},
			"clear": func(t *rapid.T) {
				pick(t).Clear()
				clear(model)
			},
			"decode": func(t *rapid.T) {
				if err := pick(t).UnmarshalJSON([]byte(`{"k1": 7, "k69": 8}`)); err != nil {
					t.Fatal(err)
				}
				model = map[string]int{"k1": 7, "k69": 8}
			},
			"": func(t *rapid.T) {
				for i := range copies {
					if got := maps.Collect(copies[i].All()); !maps.Equal(got, model) || copies[i].Len() != len(model) {
						t.Fatalf("copy %d holds %v (Len %d), want %v", i, got, copies[i].Len(), model)
					}
				}
			},
		})
	})
}

// TestZeroDictCopiesAreIndependent: a zero Dict has no storage to share, so
// the schema and storage that one copy adopts by decoding are its own.
func TestZeroDictCopiesAreIndependent(t *testing.T) {
	var a slotdict.Dict[string, int]
	b := a
	if err := a.UnmarshalJSON([]byte(`{"x": 1}`)); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 || b.Schema().Len() != 0 || a.Len() != 1 {
		t.Fatalf("after a decoded: a = %v, b = %v", &a, &b)
	}
}
