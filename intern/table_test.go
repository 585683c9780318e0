package intern_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unique"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/intern"
)

// tableModel is what a Table[string] must behave like: the values in ID
// order.
type tableModel struct{ values []string }

func (m *tableModel) id(v string) intern.Sym {
	if i := slices.Index(m.values, v); i >= 0 {
		return intern.Sym(i + 1)
	}
	return 0
}

func (m *tableModel) check(t *rapid.T, tab *intern.Table[string]) {
	if tab.Len() != len(m.values) {
		t.Fatalf("Len() = %d, want %d", tab.Len(), len(m.values))
	}
	var got []string
	next := intern.Sym(1)
	for id, v := range tab.All() {
		if id != next {
			t.Fatalf("All yielded Sym %d, want %d", id, next)
		}
		next++
		got = append(got, v)
	}
	if !slices.Equal(got, m.values) {
		t.Fatalf("All() = %q, want %q", got, m.values)
	}
}

func TestTableModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tab := new(intern.Table[string])
		m := &tableModel{}
		t.Repeat(map[string]func(*rapid.T){
			"ID": func(t *rapid.T) {
				v := key.Draw(t, "v")
				in := ("prefix" + v)[len("prefix"):]
				want := m.id(v)
				if want == 0 {
					m.values = append(m.values, v)
					want = intern.Sym(len(m.values))
				}
				if got := tab.ID(in); got != want {
					t.Fatalf("ID(%q) = %d, want %d", v, got, want)
				}
				if stored := tab.Value(want); len(v) > 0 && unsafe.StringData(stored) == unsafe.StringData(in) {
					t.Fatalf("the table stored the caller's memory for %q", v)
				}
			},
			"Lookup": func(t *rapid.T) {
				v := key.Draw(t, "v")
				id, ok := tab.Lookup(v)
				if want := m.id(v); id != want || ok != (want != 0) {
					t.Fatalf("Lookup(%q) = %d, %v; want %d", v, id, ok, want)
				}
			},
			"Value": func(t *rapid.T) {
				if len(m.values) == 0 {
					t.Skip("no Sym assigned yet")
				}
				id := rapid.IntRange(1, len(m.values)).Draw(t, "id")
				if got := tab.Value(intern.Sym(id)); got != m.values[id-1] {
					t.Fatalf("Value(%d) = %q, want %q", id, got, m.values[id-1])
				}
			},
			"ValueNotAssigned": func(t *rapid.T) {
				id := intern.Sym(rapid.OneOf(rapid.Just(0), rapid.IntRange(len(m.values)+1, len(m.values)+3)).Draw(t, "id"))
				want := fmt.Sprintf("intern: Table.Value(%d): Sym not assigned by this table (Len %d)", id, len(m.values))
				defer func() {
					if r := recover(); r != want {
						t.Fatalf("Value(%d) recovered %v, want panic %q", id, r, want)
					}
				}()
				tab.Value(id)
			},
			"JSONRoundTrip": func(t *rapid.T) {
				data, err := json.Marshal(tab)
				if err != nil {
					t.Fatal(err)
				}
				fresh := new(intern.Table[string]) // the zero Table is ready to use
				if err := json.Unmarshal(data, fresh); err != nil {
					t.Fatalf("decoding %s: %v", data, err)
				}
				m.check(t, fresh)
				// Decoding into the table itself extends nothing and changes nothing.
				if err := json.Unmarshal(data, tab); err != nil {
					t.Fatalf("decoding %s into its own table: %v", data, err)
				}
			},
			"JSONExtends": func(t *rapid.T) {
				more := rapid.SliceOfDistinct(key, rapid.ID).Draw(t, "more")
				values := slices.Clone(m.values)
				for _, v := range more {
					if !slices.Contains(values, v) {
						values = append(values, v)
					}
				}
				data, _ := json.Marshal(values)
				if err := json.Unmarshal(data, tab); err != nil {
					t.Fatalf("extending with %s: %v", data, err)
				}
				m.values = values
			},
			"JSONRejected": func(t *rapid.T) {
				if len(m.values) == 0 {
					t.Skip("every array extends an empty table")
				}
				// Swap the first value for one the table does not have at
				// Sym 1, or drop the last value.
				bad := slices.Clone(m.values)
				if rapid.Bool().Draw(t, "drop") {
					bad = bad[:len(bad)-1]
				} else {
					bad[0] += "?"
				}
				data, _ := json.Marshal(bad)
				if err := json.Unmarshal(data, tab); err == nil {
					t.Fatalf("decoding %s into a table holding %q succeeded", data, m.values)
				}
			},
			"": func(t *rapid.T) { m.check(t, tab) },
		})
	})
}

// TestTableUnmarshalErrors: every error is a *DecodeError at the byte where
// the offending token or element starts, matching its sentinel, and leaves
// the table unchanged.
func TestTableUnmarshalErrors(t *testing.T) {
	tests := []struct {
		in     string
		target error
		offset int64
		want   string
	}{
		{``, intern.ErrSyntax, 0, `invalid JSON at byte offset 0: unexpected end of input`},
		{`[`, intern.ErrSyntax, 1, `invalid JSON at byte offset 1: unexpected end of input`},
		{`["a",`, intern.ErrSyntax, 5, `invalid JSON at byte offset 5: unexpected end of input`},
		{`["a" "b"]`, intern.ErrSyntax, 5, `invalid JSON at byte offset 5: invalid character '"' after array element`},
		{`{"a": 1}`, intern.ErrSyntax, 0, `invalid JSON at byte offset 0: invalid character '{' looking for beginning of a JSON array`},
		{` "a"`, intern.ErrSyntax, 1, `invalid JSON at byte offset 1: invalid character '"' looking for beginning of a JSON array`},
		{`["a", nul]`, intern.ErrSyntax, 9, `invalid JSON at byte offset 9: invalid character ']' in literal null (expecting 'l')`},
		{`["a", null]`, intern.ErrSyntax, 6, `invalid JSON at byte offset 6: element 1: null is not a string`},
		{`["a"] ["b"]`, intern.ErrSyntax, 6, `invalid JSON at byte offset 6: invalid character '[' after top-level value`},
		{`["a"] x`, intern.ErrSyntax, 6, `invalid JSON at byte offset 6: invalid character 'x' after top-level value`},
		{`null null`, intern.ErrSyntax, 5, `invalid JSON at byte offset 5: invalid character 'n' after top-level value`},
		{`["a", "b", "a"]`, intern.ErrDuplicate, 11, `duplicate value in Table JSON at byte offset 11: element 2 is element 0 again (a)`},
		{`["b"]`, intern.ErrConflict, 1, `conflicting Table JSON at byte offset 1: element 0 is b, but the table already has a as Sym 1`},
		{`[ ]`, intern.ErrConflict, 2, `conflicting Table JSON at byte offset 2: the array has 0 values, the table already has 1`},
	}
	for _, tt := range tests {
		tab := new(intern.Table[string])
		tab.ID("a")
		err := tab.UnmarshalJSON([]byte(tt.in))
		var de *intern.DecodeError
		switch {
		case !errors.As(err, &de):
			t.Errorf("UnmarshalJSON(%s) = %v, want a *DecodeError", tt.in, err)
		case !errors.Is(err, tt.target) || de.Offset != tt.offset || err.Error() != tt.want:
			t.Errorf("UnmarshalJSON(%s) = %v (offset %d), want %v at %d: %s", tt.in, err, de.Offset, tt.target, tt.offset, tt.want)
		}
		if tab.Len() != 1 || tab.Value(1) != "a" {
			t.Errorf("UnmarshalJSON(%s) changed the table", tt.in)
		}
	}
}

// TestTableUnmarshalTrailingDataOffset: data after the array or after null
// is reported at the byte where it starts, inside the input.
func TestTableUnmarshalTrailingDataOffset(t *testing.T) {
	for in, want := range map[string]int64{`null null`: 5, `["a"] 1`: 6} {
		err := new(intern.Table[string]).UnmarshalJSON([]byte(in))
		var de *intern.DecodeError
		if !errors.As(err, &de) || !errors.Is(err, intern.ErrSyntax) || de.Offset != want {
			t.Errorf("UnmarshalJSON(%s) = %v, want ErrSyntax at byte offset %d", in, err, want)
		}
	}
}

// TestTableUnmarshalElementTypeError: an element that does not decode into
// T is a *DecodeError at the element that wraps encoding/json's error, whose
// own offset is in the input too, where encoding/json puts it.
func TestTableUnmarshalElementTypeError(t *testing.T) {
	const in = `["a", 7]`
	tab := new(intern.Table[string])
	err := tab.UnmarshalJSON([]byte(in))
	var plain *json.UnmarshalTypeError
	if !errors.As(json.Unmarshal([]byte(in), new([]string)), &plain) {
		t.Fatal("encoding/json decoded a number into a string")
	}
	var de *intern.DecodeError
	var te *json.UnmarshalTypeError
	if !errors.As(err, &de) || de.Offset != 6 || !errors.As(err, &te) || te.Offset != plain.Offset || errors.Is(err, intern.ErrSyntax) {
		t.Fatalf("UnmarshalJSON(%s) = %v, want a *DecodeError at 6 wrapping a *json.UnmarshalTypeError at %d", in, err, plain.Offset)
	}
	if tab.Len() != 0 {
		t.Errorf("a failed decode added %d values", tab.Len())
	}
}

// TestTableAnyDecodesAsEncodingJSON: a Table[any] decodes numbers as
// float64, strings as string, null as nil, and refuses arrays and objects,
// which are not comparable, at the element.
func TestTableAnyDecodesAsEncodingJSON(t *testing.T) {
	tab := new(intern.Table[any])
	if err := tab.UnmarshalJSON([]byte(`[1, "1", null, true, 9007199254740993]`)); err != nil {
		t.Fatal(err)
	}
	want := []any{float64(1), "1", nil, true, float64(9007199254740992)}
	for id, v := range tab.All() {
		if v != want[id-1] {
			t.Errorf("Sym %d = %T %v, want %T %v", id, v, v, want[id-1], want[id-1])
		}
	}
	for in, offset := range map[string]int64{`[1, [2]]`: 4, `[{"a":1,"a":2}]`: 1} {
		err := new(intern.Table[any]).UnmarshalJSON([]byte(in))
		var de *intern.DecodeError
		if !errors.As(err, &de) || !errors.Is(err, intern.ErrSyntax) || de.Offset != offset || !strings.Contains(err.Error(), "not comparable") {
			t.Errorf("UnmarshalJSON(%s) = %v, want an element that is not comparable at %d", in, err, offset)
		}
	}
}

func TestTableUnmarshalNullIsNoOp(t *testing.T) {
	tab := new(intern.Table[int])
	tab.ID(42)
	if err := json.Unmarshal([]byte(" null "), tab); err != nil || tab.Len() != 1 {
		t.Fatalf("decoding null: err %v, Len %d", err, tab.Len())
	}
}

func TestTableStructValues(t *testing.T) {
	type span struct {
		File string
		Line int
	}
	tab := new(intern.Table[span])
	file := strings.Clone("main.go")
	a := tab.ID(span{file, 1})
	b := tab.ID(span{file, 2})
	if a != 1 || b != 2 || tab.ID(span{"main.go", 1}) != 1 {
		t.Fatalf("IDs %d %d", a, b)
	}
	if same(tab.Value(a).File, file) || same(tab.Value(b).File, file) {
		t.Fatal("a stored value holds the caller's string")
	}
	data, err := json.Marshal(tab)
	if err != nil || string(data) != `[{"File":"main.go","Line":1},{"File":"main.go","Line":2}]` {
		t.Fatalf("json: %s, %v", data, err)
	}
}

func TestTableNaNNeverMatches(t *testing.T) {
	tab := new(intern.Table[float64])
	if a, b := tab.ID(math.NaN()), tab.ID(math.NaN()); a == b {
		t.Fatalf("two NaNs got one Sym %d", a)
	}
	if _, ok := tab.Lookup(math.NaN()); ok {
		t.Fatal("Lookup found a NaN")
	}
}

// TestTableConcurrentProperty: goroutines issuing IDs for overlapping values
// agree on every ID, and the IDs are dense.
func TestTableConcurrentProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tab := new(intern.Table[string])
		work := rapid.SliceOfN(rapid.SliceOfN(key, 1, 60), 2, 6).Draw(t, "work")
		ids := make([][]intern.Sym, len(work))
		var wg sync.WaitGroup
		for g, keys := range work {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, k := range keys {
					id := tab.ID(k)
					if got := tab.Value(id); got != k {
						panic(fmt.Sprintf("Value(ID(%q)) = %q", k, got))
					}
					ids[g] = append(ids[g], id)
				}
			}()
		}
		wg.Wait()
		byValue := map[string]intern.Sym{}
		for g, keys := range work {
			for i, k := range keys {
				if prev, ok := byValue[k]; ok && prev != ids[g][i] {
					t.Fatalf("%q got Syms %d and %d", k, prev, ids[g][i])
				}
				byValue[k] = ids[g][i]
			}
		}
		if tab.Len() != len(byValue) {
			t.Fatalf("Len() = %d for %d distinct values", tab.Len(), len(byValue))
		}
		for v, id := range byValue {
			if id < 1 || int(id) > tab.Len() || tab.Value(id) != v {
				t.Fatalf("Sym %d for %q is not dense", id, v)
			}
		}
	})
}

func TestTableValueAllocatesNothing(t *testing.T) {
	tab := new(intern.Table[string])
	id := tab.ID("x")
	if n := testing.AllocsPerRun(1000, func() { sink = tab.Value(id) }); n != 0 {
		t.Fatalf("Table.Value: %v allocations", n)
	}
	if n := testing.AllocsPerRun(1000, func() { sinkSym = tab.ID("x") }); n != 0 {
		t.Fatalf("Table.ID hit: %v allocations", n)
	}
}

var sinkSym intern.Sym

func TestTableStoresCopiesOfPointerValues(t *testing.T) {
	type pair struct {
		Key string
		N   [2]int8
	}
	tab := new(intern.Table[pair])
	key := strings.Clone("shared-key")
	tab.ID(pair{key, [2]int8{1, 2}})
	if got := tab.Value(1); got.Key != key || same(got.Key, key) {
		t.Fatalf("stored %+v, which holds the caller's string", got)
	}
	// Pointer-free values are stored as they are, and never reach unique:
	// this table's values are tiny, which checkfinalizers would flag there.
	ints := new(intern.Table[[2]int32])
	if id := ints.ID([2]int32{3, 4}); ints.Value(id) != [2]int32{3, 4} {
		t.Fatal("pointer-free value not stored")
	}
}

// TestTableValuesDoNotAliasInterfaces: strings behind interfaces, which
// unique.Make stores as they are, are copied into a Table and by Value, so
// later changes to the caller's bytes change nothing.
func TestTableValuesDoNotAliasInterfaces(t *testing.T) {
	buf := []byte("abcd")
	view := unsafe.String(&buf[0], len(buf)) // the caller's mutable memory
	type wrapped struct {
		K any
		k any
	}
	anys := new(intern.Table[any])
	structs := new(intern.Table[wrapped])
	a := anys.ID(view)
	w := structs.ID(wrapped{K: view, k: [1]any{view}})
	v := intern.Value(any(view))
	copy(buf, "XXXX")
	if got := anys.Value(a); got != "abcd" {
		t.Errorf("Table[any] value changed with the caller's bytes: %q", got)
	}
	if got := structs.Value(w); got.K != "abcd" || got.k != [1]any{"abcd"} {
		t.Errorf("Table[struct] value changed with the caller's bytes: %+v", got)
	}
	if v != "abcd" {
		t.Errorf("Value(any) changed with the caller's bytes: %q", v)
	}
}

// TestValuesDoNotShareOtherCodesUniqueEntries: other code may put a view of
// its own buffer into unique.Make[any]; a Table[any] and Value(any) must not
// return that entry for an equal value (nor keep the buffer alive), or they
// would change with that buffer, and the table would give an equal value a
// second Sym.
func TestValuesDoNotShareOtherCodesUniqueEntries(t *testing.T) {
	buf := []byte("zq-alias-1")
	h := unique.Make[any](unsafe.String(&buf[0], len(buf))) // someone else's entry
	anys := new(intern.Table[any])
	id := anys.ID(strings.Clone("zq-alias-1"))
	v := intern.Value(any(strings.Clone("zq-alias-1")))
	copy(buf, "XXXXXXXXXX")
	if got := anys.Value(id); got != "zq-alias-1" {
		t.Errorf("Table[any] value is another package's buffer: %q", got)
	}
	if again := anys.ID("zq-alias-1"); again != id {
		t.Errorf("ID of an equal value = %d, want %d", again, id)
	}
	if v != "zq-alias-1" {
		t.Errorf("Value(any) is another package's buffer: %q", v)
	}
	runtime.KeepAlive(h)
}

// TestNilInterfaceValues: nil is a value like any other for interface T:
// Value returns it, a Table gives it a Sym, and a table holding it
// round-trips through JSON (as null).
func TestNilInterfaceValues(t *testing.T) {
	if v := intern.Value[any](nil); v != nil {
		t.Errorf("Value[any](nil) = %v", v)
	}
	if v := intern.Value[error](nil); v != nil {
		t.Errorf("Value[error](nil) = %v", v)
	}
	anys := new(intern.Table[any])
	id := anys.ID("a")
	nilID := anys.ID(nil)
	if anys.Value(nilID) != nil || anys.ID(nil) != nilID || nilID == id {
		t.Errorf("ID(nil) = %d, Value = %v, ID(nil) again = %d", nilID, anys.Value(nilID), anys.ID(nil))
	}
	data, err := json.Marshal(anys)
	if err != nil || string(data) != `["a",null]` {
		t.Fatalf("Marshal = %s, %v", data, err)
	}
	back := new(intern.Table[any])
	if err := json.Unmarshal(data, back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", data, err)
	}
	if back.Len() != 2 || back.Value(nilID) != nil || back.Value(id) != "a" {
		t.Errorf("Unmarshal(%s) gave %d values: %v, %v", data, back.Len(), back.Value(id), back.Value(nilID))
	}
}
