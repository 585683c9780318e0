package intern_test

import (
	"testing"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/misuse"
)

// TestBadInput: every exported function of the package given bad input
// returns an error matching a documented sentinel or panics with an
// "intern: " message, as its documentation says. (String, Bytes, Value and
// Pool's methods accept any input.)
func TestBadInput(t *testing.T) {
	decode := func(in string) func() error {
		return func() error {
			tab := intern.NewTable[string]()
			tab.ID("a")
			return tab.UnmarshalJSON([]byte(in))
		}
	}
	misuse.Run(t, []misuse.Case{
		{Name: "WithMaxLen negative", Do: func() error { intern.WithMaxLen(-1); return nil }, Panic: "intern: WithMaxLen(-1)"},
		{Name: "Table.Value zero Sym", Do: func() error { intern.NewTable[int]().Value(0); return nil }, Panic: "intern: Table.Value(0)"},
		{Name: "Table.Value not issued", Do: func() error {
			tab := intern.NewTable[int]()
			tab.ID(1)
			tab.Value(2)
			return nil
		}, Panic: "intern: Table.Value(2)"},
		{Name: "UnmarshalJSON malformed", Do: decode(`["a",`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON not an array", Do: decode(`{"a":1}`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON wrong type", Do: decode(`["a",1]`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON trailing data", Do: decode(`["a"]]`), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON byte order mark", Do: decode("\xef\xbb\xbf[\"a\"]"), Err: intern.ErrSyntax},
		{Name: "UnmarshalJSON duplicate", Do: decode(`["a","b","b"]`), Err: intern.ErrDuplicate},
		{Name: "UnmarshalJSON conflict", Do: decode(`["b","a"]`), Err: intern.ErrConflict},
		{Name: "UnmarshalJSON shorter", Do: decode(`[]`), Err: intern.ErrConflict},
	})
}
