package contract_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// decoders decode input with each of the module's JSON decoders.
var decoders = map[string]func(in string) error{
	"intern.Table.UnmarshalJSON": func(in string) error { return new(intern.Table[string]).UnmarshalJSON([]byte(in)) },
	"slotdict.Dict.UnmarshalJSON": func(in string) error {
		return slotdict.New[string, any](slotdict.NewSchema("a")).UnmarshalJSON([]byte(in))
	},
	"zero slotdict.Dict.UnmarshalJSON": func(in string) error { return new(slotdict.Dict[string, any]).UnmarshalJSON([]byte(in)) },
	"slotdict.DecodeAll": func(in string) error {
		_, err := slotdict.DecodeAll[string, any](strings.NewReader(in), slotdict.NewSchema("a"))
		return err
	},
	"flyweight.Record.UnmarshalJSON": func(in string) error { return new(flyweight.Record[any]).UnmarshalJSON([]byte(in)) },
	"flyweight.DecodeRecords": func(in string) error {
		_, err := flyweight.DecodeRecords[any](strings.NewReader(in))
		return err
	},
	"flyweight.Frame.UnmarshalJSON": func(in string) error { return new(flyweight.Frame).UnmarshalJSON([]byte(in)) },
	"flyweight.DecodeFrame": func(in string) error {
		_, err := flyweight.DecodeFrame(strings.NewReader(in))
		return err
	},
	"zero flyweight.Frame.Decode": func(in string) error { return new(flyweight.Frame).Decode(strings.NewReader(in)) },
}

// TestOneDecodeErrorAcrossDecoders: every decoder reports bad input with the
// one DecodeError type, which errors.As finds under any package's name, and
// sentinels that errors.Is matches under any package's name; the offset is
// where the offending token starts, counted from the start of the input.
func TestOneDecodeErrorAcrossDecoders(t *testing.T) {
	for name, decode := range decoders {
		table := name == "intern.Table.UnmarshalJSON" // wants an array, the others an object
		for _, tt := range []struct {
			in            string
			offset, array int64 // where the offending token starts, for objects and for Table's array
		}{
			{`  [x`, 3, 3},    // an array (not an object), whose value x is malformed
			{`{"a" 1}`, 5, 0}, // no ':' after the key; for Table, not an array
			{`"s" "t"`, 0, 0}, // a string, not an object or an array
		} {
			err := decode(tt.in)
			var sde *slotdict.DecodeError
			var fde *flyweight.DecodeError
			var ide *intern.DecodeError
			if !errors.As(err, &sde) || !errors.As(err, &fde) || !errors.As(err, &ide) || sde != fde || fde != ide {
				t.Errorf("%s(%q): %v (%T) is not the one DecodeError", name, tt.in, err, err)
				continue
			}
			if want := map[bool]int64{false: tt.offset, true: tt.array}[table]; sde.Offset != want {
				t.Errorf("%s(%q): %v at byte offset %d, want %d, where the offending token starts", name, tt.in, err, sde.Offset, want)
			}
			if !errors.Is(err, slotdict.ErrSyntax) && !errors.Is(err, flyweight.ErrNotObject) {
				continue // kinds are the packages' own tests'; here only their identity across packages
			}
			if errors.Is(err, slotdict.ErrSyntax) != errors.Is(err, flyweight.ErrSyntax) || errors.Is(err, flyweight.ErrSyntax) != errors.Is(err, intern.ErrSyntax) {
				t.Errorf("%s(%q): %v: the packages' ErrSyntax are not one", name, tt.in, err)
			}
			if errors.Is(err, slotdict.ErrNotObject) != errors.Is(err, flyweight.ErrNotObject) {
				t.Errorf("%s(%q): %v: the packages' ErrNotObject are not one", name, tt.in, err)
			}
		}
		var de *slotdict.DecodeError
		if err := decode(`  {"a": tru}`); name != "intern.Table.UnmarshalJSON" && (!errors.As(err, &de) || de.Offset != 11 || !errors.Is(err, flyweight.ErrSyntax)) {
			t.Errorf("%s: %v, want a syntax error at byte offset 11, counted from the start of the input", name, err)
		}
	}
	if slotdict.ErrDuplicateKey != flyweight.ErrDuplicateKey || slotdict.ErrLimit != flyweight.ErrLimit || slotdict.ErrSyntax != intern.ErrSyntax {
		t.Error("a sentinel has two values")
	}
}

// TestZeroValuesWork: every type whose zero value can work does, held in
// place, without a constructor.
func TestZeroValuesWork(t *testing.T) {
	var z struct {
		pool   intern.Pool
		table  intern.Table[string]
		cache  weakcache.Cache[string, [4]int]
		dict   slotdict.Dict[string, int]
		record flyweight.Record[int]
		frame  flyweight.Frame
		handle finalize.Handle
		owned  finalize.Owned[int]
	}
	if z.pool.String("a") != "a" || z.pool.Len() != 1 {
		t.Error("zero Pool")
	}
	if id := z.table.ID("a"); id != 1 || z.table.Value(id) != "a" {
		t.Error("zero Table")
	}
	v := new([4]int)
	if z.cache.Store("a", v); func() bool { got, ok := z.cache.Load("a"); return !ok || got != v }() {
		t.Error("zero Cache")
	}
	runtime.KeepAlive(v)
	if _, ok := z.dict.Get("a"); ok || z.dict.Len() != 0 || z.dict.UnmarshalJSON([]byte(`{"a": 1}`)) != nil || z.dict.Len() != 1 {
		t.Errorf("zero Dict: %v", &z.dict)
	}
	if z.record.Set("a", 1); z.record.Len() != 1 {
		t.Error("zero Record")
	}
	if z.frame.Len() != 0 || z.frame.Decode(strings.NewReader(`{"a": "x"}`)) != nil || z.frame.Len() != 1 {
		t.Errorf("zero Frame: %d rows", z.frame.Len())
	} else if s, ok := z.frame.String(0, "a"); !ok || s != "x" {
		t.Errorf("zero Frame: String(0, a) = %q, %v after Decode", s, ok)
	}
	if z.handle.Run() || z.handle.Cancel() || z.handle.Pending() {
		t.Error("zero Handle")
	}
	if z.owned.Value() != nil || !errors.Is(z.owned.Close(), finalize.ErrClosed) {
		t.Error("zero Owned")
	}
}

// holder holds a Dict, a Record and a Frame by value, as struct fields.
type holder struct {
	D slotdict.Dict[string, int]
	R flyweight.Record[string]
	F flyweight.Frame
}

// TestJSONOfValuesHeldByValue: json.Marshal of a struct that holds a
// Dict, a Record and a Frame by value writes their contents, and
// json.Unmarshal into its zero value fills them (a zero Dict adopts the
// object's keys).
func TestJSONOfValuesHeldByValue(t *testing.T) {
	var h holder
	const in = `{"D":{"x":1,"y":2},"R":{"b":"B","a":"A"},"F":[{"k":"v","n":1},{"n":2.5}]}`
	if err := json.Unmarshal([]byte(in), &h); err != nil {
		t.Fatal(err)
	}
	for _, out := range []func() ([]byte, error){
		func() ([]byte, error) { return json.Marshal(h) }, // by value: a copy of h
		func() ([]byte, error) { return json.Marshal(&h) },
		func() ([]byte, error) { return json.Marshal([]holder{h}) },
	} {
		b, err := out()
		if err != nil || !bytes.Contains(b, []byte(in)) {
			t.Errorf("marshaled as %s (%v), want %s inside", b, err, in)
		}
	}
}
