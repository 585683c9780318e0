package slotdict_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// dictSizes covers the storage cases: empty, small (presence in the header
// word, linear key search), index-map search, and more than 64 keys (the
// extended bitmap after the values).
var dictSizes = []int{0, 1, 3, 8, 9, 63, 64, 65, 130}

func TestDictBasics(t *testing.T) {
	for _, n := range dictSizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			keys := numberedKeys("k", n)
			s := slotdict.NewSchema(keys...)
			d := slotdict.New[string, int](s)
			if d.Schema() != s || d.Len() != 0 {
				t.Fatalf("new Dict: Schema %v, Len %d", d.Schema(), d.Len())
			}
			for i, k := range keys {
				if err := d.Set(k, i*i); err != nil {
					t.Fatal(err)
				}
			}
			if d.Len() != n {
				t.Fatalf("Len = %d, want %d", d.Len(), n)
			}
			for i, k := range keys {
				if v, ok := d.Get(k); !ok || v != i*i || !d.Has(k) {
					t.Fatalf("Get(%q) = %d, %v", k, v, ok)
				}
			}
			// Delete every third key; deleting twice reports false.
			want := map[string]int{}
			for i, k := range keys {
				if i%3 == 0 {
					if !d.Delete(k) || d.Delete(k) {
						t.Fatalf("Delete(%q) twice did not report true, false", k)
					}
				} else {
					want[k] = i * i
				}
			}
			checkContents(t, d, keys, want)
			c := d.Clone()
			d.Clear()
			checkContents(t, d, keys, nil)
			checkContents(t, c, keys, want)
		})
	}
}

// checkContents checks d against want through every read method.
func checkContents(t *testing.T, d *slotdict.Dict[string, int], schemaKeys []string, want map[string]int) {
	t.Helper()
	if d.Len() != len(want) {
		t.Errorf("Len = %d, want %d", d.Len(), len(want))
	}
	var wantKeys []string
	var wantValues []int
	for _, k := range schemaKeys {
		if v, ok := want[k]; ok {
			wantKeys = append(wantKeys, k)
			wantValues = append(wantValues, v)
		}
		v, ok := d.Get(k)
		if w, wok := want[k]; v != w || ok != wok || d.Has(k) != wok {
			t.Errorf("Get(%q) = %d, %v, Has %v; want %d, %v", k, v, ok, d.Has(k), w, wok)
		}
	}
	if got := slices.Collect(d.Keys()); !slices.Equal(got, wantKeys) {
		t.Errorf("Keys = %q, want %q", got, wantKeys)
	}
	if got := slices.Collect(d.Values()); !slices.Equal(got, wantValues) {
		t.Errorf("Values = %v, want %v", got, wantValues)
	}
	var allKeys []string
	for k, v := range d.All() {
		allKeys = append(allKeys, k)
		if v != want[k] {
			t.Errorf("All yields %q: %d, want %d", k, v, want[k])
		}
	}
	if !slices.Equal(allKeys, wantKeys) {
		t.Errorf("All yields keys %q, want %q", allKeys, wantKeys)
	}
}

func TestZeroValueIsPresent(t *testing.T) {
	d := slotdict.New[string, *int](slotdict.NewSchema("p"))
	if err := d.Set("p", nil); err != nil {
		t.Fatal(err)
	}
	if v, ok := d.Get("p"); !ok || v != nil || d.Len() != 1 {
		t.Errorf("Get = %v, %v, Len %d; want nil, true, 1", v, ok, d.Len())
	}
}

// TestUnknownKeyIsRejected pins the bug that snakeoil's SlottedDict has had
// since 2019: setting a key outside the slots silently succeeds there. Here
// every way in must fail with ErrUnknownKey, name the key, and leave the
// Dict as it was.
func TestUnknownKeyIsRejected(t *testing.T) {
	for _, n := range []int{0, 2, 9, 70} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			keys := numberedKeys("k", n)
			s := slotdict.NewSchema(keys...)
			d := slotdict.New[string, int](s)
			for i, k := range keys {
				if i%2 == 0 {
					if err := d.Set(k, i); err != nil {
						t.Fatal(err)
					}
				}
			}
			before := d.Clone()
			check := func(how string, err error) {
				t.Helper()
				if !errors.Is(err, slotdict.ErrUnknownKey) || !strings.Contains(err.Error(), `"intruder"`) {
					t.Errorf("%s: error %v, want ErrUnknownKey naming \"intruder\"", how, err)
				}
				if !slotdict.Equal(d, before) || d.Has("intruder") || d.Len() != before.Len() {
					t.Errorf("%s changed the Dict: %v, was %v", how, d, before)
				}
			}
			check("Set", d.Set("intruder", 1))
			if _, ok := d.Get("intruder"); ok {
				t.Error(`Get("intruder") found a value`)
			}
			if d.Delete("intruder") {
				t.Error(`Delete("intruder") reported true`)
			}
			check("UnmarshalJSON", d.UnmarshalJSON([]byte(`{"intruder": 1}`)))
			m := map[string]int{"intruder": 1}
			if len(keys) > 0 {
				m[keys[0]] = 5
			}
			got, err := slotdict.FromMap(s, m)
			if got != nil {
				t.Errorf("FromMap returned a Dict: %v", got)
			}
			check("FromMap", err)
			recs, err := slotdict.DecodeAll[string, int](strings.NewReader(`{"intruder": 1}`), s)
			check("DecodeAll", err)
			if len(recs) != 0 {
				t.Errorf("DecodeAll returned %d records", len(recs))
			}
		})
	}
}

func TestSetErrorNamesKeyOfAnyType(t *testing.T) {
	d := slotdict.New[int, string](slotdict.NewSchema(1, 2))
	if err := d.Set(3, "x"); err == nil || err.Error() != "slotdict: unknown key 3" {
		t.Errorf("error = %v", err)
	}
}

func TestFromMap(t *testing.T) {
	s := slotdict.NewSchema("a", "b", "c")
	d, err := slotdict.FromMap(s, map[string]int{"c": 3, "a": 1})
	if err != nil {
		t.Fatal(err)
	}
	checkContents(t, d, []string{"a", "b", "c"}, map[string]int{"a": 1, "c": 3})
}

func TestEqual(t *testing.T) {
	s := slotdict.NewSchema("x", "y")
	a, _ := slotdict.FromMap(s, map[string]int{"x": 1})
	b, _ := slotdict.FromMap(s, map[string]int{"x": 1})
	other, _ := slotdict.FromMap(slotdict.NewSchema("y", "x"), map[string]int{"x": 1})
	for _, tt := range []struct {
		name string
		a, b *slotdict.Dict[string, int]
		want bool
	}{
		{"same contents", a, b, true},
		{"other schema, same contents", a, other, true},
		{"different value", a, mustFromMap(s, map[string]int{"x": 2}), false},
		{"extra key", a, mustFromMap(s, map[string]int{"x": 1, "y": 0}), false},
		{"other schema, other key", a, mustFromMap(slotdict.NewSchema("y"), map[string]int{"y": 1}), false},
		{"empty", slotdict.New[string, int](s), &slotdict.Dict[string, int]{}, true},
	} {
		if got := slotdict.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Equal(%v, %v) = %v", tt.name, tt.a, tt.b, got)
		}
		if got := slotdict.Equal(tt.b, tt.a); got != tt.want {
			t.Errorf("%s: Equal(%v, %v) = %v", tt.name, tt.b, tt.a, got)
		}
	}
}

func mustFromMap[K comparable, V any](s *slotdict.Schema[K], m map[K]V) *slotdict.Dict[K, V] {
	d, err := slotdict.FromMap(s, m)
	if err != nil {
		panic(err)
	}
	return d
}

func TestString(t *testing.T) {
	d := mustFromMap(slotdict.NewSchema("name", "age", "email"), map[string]any{"age": 36, "name": "Ada"})
	if got, want := d.String(), "dict[name:Ada age:36]"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got := fmt.Sprint(&slotdict.Dict[int, int]{}); got != "dict[]" {
		t.Errorf("zero Dict prints as %q", got)
	}
}

func TestCloneIsIndependent(t *testing.T) {
	for _, n := range dictSizes {
		keys := numberedKeys("k", n)
		d := slotdict.New[string, []int](slotdict.NewSchema(keys...))
		for _, k := range keys {
			_ = d.Set(k, []int{1})
		}
		c := d.Clone()
		for _, k := range keys {
			_ = c.Set(k, []int{2})
			d.Delete(k)
		}
		if c.Len() != n || d.Len() != 0 {
			t.Fatalf("%d keys: Len of clone %d, of original %d", n, c.Len(), d.Len())
		}
		for v := range c.Values() {
			if v[0] != 2 {
				t.Fatalf("%d keys: clone value %v", n, v)
			}
		}
	}
}

func TestZeroDict(t *testing.T) {
	var d slotdict.Dict[string, int]
	if d.Len() != 0 || d.Has("a") || d.Delete("a") || d.Schema() != slotdict.NewSchema[string]() {
		t.Error("zero Dict is not an empty Dict over the empty schema")
	}
	if _, ok := d.Get("a"); ok {
		t.Error("Get found a key in a zero Dict")
	}
	if err := d.Set("a", 1); !errors.Is(err, slotdict.ErrUnknownKey) {
		t.Errorf("Set on a zero Dict: %v", err)
	}
	d.Clear()
	if c := d.Clone(); c.Len() != 0 || c == &d {
		t.Error("Clone of a zero Dict")
	}
	for range d.All() {
		t.Error("All yielded from a zero Dict")
	}
	if err := d.UnmarshalJSON([]byte(" {} ")); err != nil {
		t.Errorf(`UnmarshalJSON("{}") into a zero Dict: %v`, err)
	}
	if b, err := d.MarshalJSON(); err != nil || string(b) != "{}" {
		t.Errorf("MarshalJSON of a zero Dict = %s, %v", b, err)
	}
}

func TestNewPanicsOnNilSchema(t *testing.T) {
	wantPanic(t, "slotdict: New with a nil schema", func() { slotdict.New[string, int](nil) })
}

// TestIterationWhileMutating: keys deleted ahead of the iterator are not
// produced, keys set ahead of it are, and breaking out stops it.
func TestIterationWhileMutating(t *testing.T) {
	for _, n := range []int{8, 130} {
		keys := numberedKeys("k", n)
		s := slotdict.NewSchema(keys...)
		var evens, all []string
		for i, k := range keys {
			all = append(all, k)
			if i%2 == 0 {
				evens = append(evens, k)
			}
		}

		full := slotdict.New[string, int](s)
		for _, k := range keys {
			_ = full.Set(k, 1)
		}
		var seen []string
		for k := range full.Keys() {
			seen = append(seen, k)
			if i, _ := s.Index(k); i+1 < n {
				full.Delete(keys[i+1])
			}
		}
		if !slices.Equal(seen, evens) {
			t.Errorf("%d keys, deleting the next key: produced %q, want %q", n, seen, evens)
		}

		sparse := slotdict.New[string, int](s)
		for _, k := range evens {
			_ = sparse.Set(k, 1)
		}
		seen = nil
		for k := range sparse.All() {
			seen = append(seen, k)
			if i, _ := s.Index(k); i+1 < n && i%2 == 0 {
				_ = sparse.Set(keys[i+1], 2)
			}
		}
		if !slices.Equal(seen, all) {
			t.Errorf("%d keys, setting the next key: produced %q, want %q", n, seen, all)
		}

		// Called directly (a range loop would turn an iterator that goes on
		// after yield returns false into a runtime panic).
		calls := 0
		sparse.Values()(func(int) bool { calls++; return calls < 2 })
		if calls != 2 {
			t.Errorf("%d keys: Values called yield %d times after it returned false the 2nd time", n, calls)
		}
	}
	d := mustFromMap(slotdict.NewSchema("a", "b"), map[string]int{"a": 1, "b": 2})
	if got := maps.Collect(d.All()); !maps.Equal(got, map[string]int{"a": 1, "b": 2}) {
		t.Errorf("All collected %v", got)
	}
}
