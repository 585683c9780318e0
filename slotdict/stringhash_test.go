package slotdict_test

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// TestStringHashReadsEveryByte hashes strings of every length up to 70
// (each branch of stringHash, and one to four 16-byte rounds) and, for each,
// the strings that differ from it in one byte or in length: all must hash
// differently, and an equal copy the same.
func TestStringHashReadsEveryByte(t *testing.T) {
	for n := range 71 {
		b := []byte(strings.Repeat("field_name_", 7)[:n])
		s := string(b)
		h := slotdict.StringHash(s)
		if got := slotdict.StringHash(string(slices.Clone(b))); got != h {
			t.Fatalf("len %d: a copy hashes to %#x, the string to %#x", n, got, h)
		}
		if n > 0 && slotdict.StringHash(s[:n-1]) == h {
			t.Errorf("len %d: the string without its last byte hashes the same", n)
		}
		for i := range n {
			c := slices.Clone(b)
			c[i] ^= 1
			if slotdict.StringHash(string(c)) == h {
				t.Errorf("len %d: changing byte %d leaves the hash unchanged", n, i)
			}
		}
	}
}

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
