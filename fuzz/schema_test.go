package fuzz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// FuzzSchema builds a schema from arbitrary keys (the input split at zero
// bytes): NewSchema panics, naming the key, exactly when a key repeats;
// otherwise the schema has the keys in order, is shared, and its With and
// Without transitions agree with NewSchema. A Dict with every key set
// round-trips through JSON, unless two keys have the same JSON text (as
// encoding/json writes them: invalid UTF-8 becomes U+FFFD), which
// MarshalJSON must refuse rather than write an object with a duplicate key.
func FuzzSchema(f *testing.F) {
	for _, s := range []string{"", "a", "a\x00b\x00c", "a\x00a", "x\x00y\x00z\x00\x00", "\xff\x00\xfe", "\xff\x00ok", strings.Repeat("k\x00", 3)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var keys []string
		for _, k := range bytes.Split(data, []byte{0}) {
			keys = append(keys, string(k))
		}
		dup, hasDup := "", false
		for i, k := range keys {
			if slices.Contains(keys[:i], k) {
				dup, hasDup = k, true
				break
			}
		}
		s, panicked := newSchema(keys)
		if hasDup {
			if panicked == nil || !strings.Contains(fmt.Sprint(panicked), fmt.Sprintf("%q", dup)) {
				t.Fatalf("NewSchema(%q) with duplicate %q: recovered %v", keys, dup, panicked)
			}
			return
		}
		if panicked != nil {
			t.Fatalf("NewSchema(%q) panicked: %v", keys, panicked)
		}
		if got := slices.Collect(s.Keys()); !slices.Equal(got, keys) || s.Len() != len(keys) {
			t.Fatalf("schema keys %q, want %q", got, keys)
		}
		for i, k := range keys {
			if j, ok := s.Index(k); !ok || j != i {
				t.Fatalf("Index(%q) = %d, %v; want %d", k, j, ok, i)
			}
		}
		if again := slotdict.NewSchema(slices.Clone(keys)...); again != s {
			t.Fatalf("NewSchema(%q) twice gave two schemas", keys)
		}
		last := keys[len(keys)-1]
		front := slotdict.NewSchema(keys[:len(keys)-1]...)
		if front.With(last) != s || s.Without(last) != front {
			t.Fatalf("With/Without(%q) do not return the shared schemas", last)
		}

		d := slotdict.New[string, int](s)
		names := map[string]bool{}
		ambiguous := false
		for i, k := range keys {
			if err := d.Set(k, i); err != nil {
				t.Fatal(err)
			}
			name, err := json.Marshal(k)
			if err != nil {
				t.Fatal(err)
			}
			ambiguous = ambiguous || names[string(name)]
			names[string(name)] = true
		}
		out, err := d.MarshalJSON()
		if ambiguous {
			if err == nil {
				t.Fatalf("MarshalJSON of keys %q, two with one JSON name, wrote %s", keys, out)
			}
			return
		}
		back := slotdict.New[string, int](s)
		if err != nil {
			t.Fatalf("MarshalJSON of keys %q: %v", keys, err)
		}
		if err := back.UnmarshalJSON(out); err != nil || !slotdict.Equal(d, back) {
			t.Fatalf("round trip of %v through %s gave %v (%v)", d, out, back, err)
		}
	})
}

func newSchema(keys []string) (s *slotdict.Schema[string], panicked any) {
	defer func() { panicked = recover() }()
	return slotdict.NewSchema(keys...), nil
}
