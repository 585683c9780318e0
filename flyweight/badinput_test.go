package flyweight_test

import (
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/misuse"
)

// TestBadInput: every exported function of the package given bad input
// returns an error matching a documented sentinel or panics with a
// "flyweight: " message (or, for the factory's cache, "weakcache: "), as
// its documentation says.
func TestBadInput(t *testing.T) {
	decode := func(in string) func() error {
		return func() error { return new(flyweight.Record[int]).UnmarshalJSON([]byte(in)) }
	}
	stream := func(in string) func() error {
		return func() error {
			_, err := flyweight.DecodeRecords[any](strings.NewReader(in))
			return err
		}
	}
	misuse.Run(t, []misuse.Case{
		{Name: "NewFactory nil build", Do: func() error { flyweight.NewFactory[int, style](nil); return nil }, Panic: "flyweight: NewFactory with a nil build function"},
		{Name: "NewFactory zero-size value", Do: func() error {
			flyweight.NewFactory(func(int) (*struct{}, error) { return &struct{}{}, nil })
			return nil
		}, Panic: "weakcache: value type struct {} has size zero"},
		{Name: "zero Factory", Do: func() error { _, err := new(flyweight.Factory[int, style]).Get(1); return err }, Panic: "flyweight: Factory used without NewFactory"},
		{Name: "zero Factory Len", Do: func() error { new(flyweight.Factory[int, style]).Len(); return nil }, Panic: "flyweight: Factory used without NewFactory"},
		{Name: "Get build returns nil", Do: func() error {
			_, err := flyweight.NewFactory(func(int) (*style, error) { return nil, nil }).Get(1)
			return err
		}, Panic: "weakcache: LoadOrCompute(1): build returned a nil value"},
		{Name: "Get incomparable key", Do: func() error {
			_, err := flyweight.NewFactory(func(any) (*style, error) { return &style{}, nil }).Get([]int{1})
			return err
		}, Panic: "weakcache: key []int{1} is not comparable"},
		{Name: "UnmarshalJSON malformed", Do: decode(`{"x":1,`), Err: flyweight.ErrSyntax},
		{Name: "UnmarshalJSON duplicate key", Do: decode(`{"x":1,"x":2}`), Err: flyweight.ErrDuplicateKey},
		{Name: "UnmarshalJSON not an object", Do: decode(`[1]`), Err: flyweight.ErrNotObject},
		{Name: "UnmarshalJSON byte order mark", Do: decode("\xef\xbb\xbf{}"), Err: flyweight.ErrSyntax},
		{Name: "UnmarshalJSON deep nesting", Do: func() error {
			return new(flyweight.Record[any]).UnmarshalJSON([]byte(`{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`))
		}, Err: flyweight.ErrSyntax},
		{Name: "DecodeRecords malformed", Do: stream(`{"x":1} {"x":`), Err: flyweight.ErrSyntax},
		{Name: "DecodeRecords not an object", Do: stream(`[{"x":1}, 2]`), Err: flyweight.ErrNotObject},
		{Name: "DecodeRecords duplicate key", Do: stream(`{"x":1,"x":1}`), Err: flyweight.ErrDuplicateKey},
	})
}
