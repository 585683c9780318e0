package intern_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/misuse"
)

// TestBadInput: every exported function of the package given bad input
// returns an error matching a documented sentinel or panics with an
// "intern: " message, as its documentation says. (String, Bytes and Pool's
// methods accept any input; an element of the wrong type, whose error wraps
// encoding/json's, is TestTableUnmarshalElementTypeError's.)
func TestBadInput(t *testing.T) {
	decode := func(in string) func() error {
		return func() error {
			tab := new(intern.Table[string])
			tab.ID("a")
			return tab.UnmarshalJSON([]byte(in))
		}
	}
	misuse.Run(t, []misuse.Case{
		{Name: "WithMaxLen negative", Do: func() error { intern.WithMaxLen(-1); return nil }, Panic: "intern: WithMaxLen(-1)"},
		{Name: "Table.Value zero Sym", Do: func() error { new(intern.Table[int]).Value(0); return nil }, Panic: "intern: Table.Value(0)"},
		{Name: "Table.Value not assigned", Do: func() error {
			tab := new(intern.Table[int])
			tab.ID(1)
			tab.Value(2)
			return nil
		}, Panic: "intern: Table.Value(2)"},
		{Name: "Value incomparable", Do: func() error { intern.Value[any]([]int{1}); return nil }, Panic: "intern: Value of a []int"},
		{Name: "Value incomparable field", Do: func() error {
			intern.Value(struct{ K [1]any }{[1]any{map[int]int{}}})
			return nil
		}, Panic: "intern: Value of a struct { K [1]interface {} }"},
		{Name: "Table.ID incomparable", Do: func() error { new(intern.Table[any]).ID([]int{1}); return nil }, Panic: "intern: Table.ID of a []int"},
		{Name: "Table.Lookup incomparable", Do: func() error { new(intern.Table[any]).Lookup(func() {}); return nil }, Panic: "intern: Table.Lookup of a func()"},
		{Name: "UnmarshalJSON malformed", Do: decode(`["a",`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON not an array", Do: decode(`{"a":1}`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON trailing data", Do: decode(`["a"]]`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON byte order mark", Do: decode("\xef\xbb\xbf[\"a\"]"), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON duplicate", Do: decode(`["a","b","b"]`), Err: intern.ErrDuplicate},
		{Name: "UnmarshalJSON conflict", Do: decode(`["b","a"]`), Err: intern.ErrConflict},
		{Name: "UnmarshalJSON shorter", Do: decode(`[]`), Err: intern.ErrConflict},
		{Name: "UnmarshalJSON null element", Do: decode(`["a",null]`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON incomparable element", Do: func() error {
			return new(intern.Table[any]).UnmarshalJSON([]byte(`[1,{"a":1}]`))
		}, Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON incomparable field", Do: func() error {
			return new(intern.Table[struct{ K any }]).UnmarshalJSON([]byte(`[{"K":[1]}]`))
		}, Err: intern.ErrSyntax},
	})
}

// TestTableJSONOnlyWhatReadsBack: MarshalJSON refuses a table that decoding
// its output would not restore, naming the Sym, and encodes nulls and
// values that do read back.
func TestTableJSONOnlyWhatReadsBack(t *testing.T) {
	invalid := new(intern.Table[string])
	invalid.ID("ok")
	invalid.ID("\xff")
	if _, err := invalid.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "Sym 2") {
		t.Errorf("MarshalJSON of a table with invalid UTF-8 at Sym 2: %v", err)
	}
	ints := new(intern.Table[any])
	ints.ID(1) // JSON reads it back as float64(1)
	if _, err := ints.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "Sym 1") {
		t.Errorf("MarshalJSON of an int in a Table[any]: %v", err)
	}

	x := 7
	ptrs := new(intern.Table[*int])
	ptrs.ID(nil)
	if b, err := ptrs.MarshalJSON(); err != nil || string(b) != "[null]" {
		t.Errorf("MarshalJSON of a nil pointer: %s, %v", b, err)
	}
	back := new(intern.Table[*int])
	if err := back.UnmarshalJSON([]byte(`[null]`)); err != nil || back.Len() != 1 || back.Value(1) != nil {
		t.Errorf("UnmarshalJSON of a null pointer: %v", err)
	}
	ptrs.ID(&x) // a pointer reads back as another pointer
	if _, err := ptrs.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "Sym 2") {
		t.Errorf("MarshalJSON of a pointer: %v", err)
	}
}

// TestTableMarshalErrorNamesBothTypes: the error for a value that does not
// read back names the Sym, the type and value it holds, its JSON, and the
// type and value that JSON decodes to.
func TestTableMarshalErrorNamesBothTypes(t *testing.T) {
	type hidden struct{ n int }
	ints := new(intern.Table[any])
	ints.ID(1)
	strs := new(intern.Table[string])
	strs.ID("\xff")
	structs := new(intern.Table[hidden])
	structs.ID(hidden{3})
	for _, tt := range []struct {
		tab  json.Marshaler
		want string
	}{
		{ints, `intern: Table.MarshalJSON: Sym 1 holds int 1, which its JSON 1 reads back as float64 1`},
		{strs, `intern: Table.MarshalJSON: Sym 1 holds string "\xff", which its JSON "\ufffd" reads back as string "` + "\uFFFD" + `"`},
		{structs, `intern: Table.MarshalJSON: Sym 1 holds intern_test.hidden intern_test.hidden{n:3}, which its JSON {} reads back as intern_test.hidden intern_test.hidden{n:0}`},
	} {
		if _, err := tt.tab.MarshalJSON(); err == nil || err.Error() != tt.want {
			t.Errorf("MarshalJSON() = %v, want %s", err, tt.want)
		}
	}
}
