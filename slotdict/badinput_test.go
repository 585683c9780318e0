package slotdict_test

import (
	"math"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/misuse"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// TestBadInput: every exported function of the package given bad input
// returns an error matching a documented sentinel or panics with a
// "slotdict: " message, as its documentation says.
func TestBadInput(t *testing.T) {
	s := slotdict.NewSchema("x", "y")
	decode := func(in string) func() error {
		return func() error { return slotdict.New[string, int](s).DecodeJSON([]byte(in)) }
	}
	stream := func(in string) func() error {
		return func() error {
			_, err := slotdict.DecodeAll[string, int](strings.NewReader(in), s)
			return err
		}
	}
	misuse.Run(t, []misuse.Case{
		{Name: "NewSchema duplicate", Do: func() error { slotdict.NewSchema("x", "x"); return nil }, Panic: `slotdict: duplicate key "x"`},
		{Name: "NewSchema NaN", Do: func() error { slotdict.NewSchema(math.NaN()); return nil }, Panic: "slotdict: key NaN is not equal to itself"},
		{Name: "With NaN", Do: func() error { slotdict.NewSchema(1.0).With(math.NaN()); return nil }, Panic: "slotdict: key NaN"},
		{Name: "New nil schema", Do: func() error { slotdict.New[string, int](nil); return nil }, Panic: "slotdict: New with a nil schema"},
		{Name: "NewDecoder nil schema", Do: func() error { slotdict.NewDecoder[string, int](strings.NewReader("{}"), nil); return nil }, Panic: "slotdict: NewDecoder with a nil schema"},
		{Name: "FromMap nil schema", Do: func() error { _, err := slotdict.FromMap[string, int](nil, nil); return err }, Panic: "slotdict: "},
		{Name: "Set unknown key", Do: func() error { return slotdict.New[string, int](s).Set("z", 1) }, Err: slotdict.ErrUnknownKey},
		{Name: "FromMap unknown key", Do: func() error {
			_, err := slotdict.FromMap(s, map[string]int{"x": 1, "z": 2})
			return err
		}, Err: slotdict.ErrUnknownKey},
		{Name: "DecodeJSON unknown key", Do: decode(`{"x":1,"z":2}`), Err: slotdict.ErrUnknownKey},
		{Name: "DecodeJSON malformed", Do: decode(`{"x":1,`), Err: slotdict.ErrSyntax},
		{Name: "DecodeJSON not an object", Do: decode(`[1]`), Err: slotdict.ErrNotObject},
		{Name: "DecodeJSON duplicate key", Do: decode(`{"x":1,"x":2}`), Err: slotdict.ErrDuplicateKey},
		{Name: "DecodeJSON byte order mark", Do: decode("\xef\xbb\xbf{}"), Err: slotdict.ErrSyntax},
		{Name: "DecodeJSON deep nesting", Do: decode(`{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`), Err: slotdict.ErrSyntax},
		{Name: "DecodeAll malformed", Do: stream(`{"x":1} {"y":`), Err: slotdict.ErrSyntax},
		{Name: "DecodeAll unknown key", Do: stream(`[{"x":1},{"q":2}]`), Err: slotdict.ErrUnknownKey},
		// A key behind an interface whose dynamic type is not comparable
		// is in no schema.
		{Name: "NewSchema incomparable key", Do: func() error { slotdict.NewSchema[any]("a", []int{1}); return nil }, Panic: "slotdict: key []int{1} is not comparable"},
		{Name: "With incomparable key", Do: func() error { bigAny.With([]int{1}); return nil }, Panic: "slotdict: key []int{1} is not comparable"},
		{Name: "NewSchema incomparable key in a struct", Do: func() error { slotdict.NewSchema(anyField{[]int{1}}); return nil }, Panic: "slotdict: key slotdict_test.anyField{V:[]int{1}} is not comparable"},
	})
}

// anyField is a key type that holds an interface.
type anyField struct{ V any }

// bigAny is a schema of interface keys above the linear-search size.
var bigAny = slotdict.NewSchema[any](0, 1, 2, 3, 4, 5, 6, 7, 8, "nine")
