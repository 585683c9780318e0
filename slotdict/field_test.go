package slotdict_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// event holds a Dict by value, as a struct field that encoding/json
// decodes and encodes.
type event struct {
	Kind  string                     `json:"kind"`
	Attrs slotdict.Dict[string, any] `json:"attrs"`
}

// TestDictAsStructFieldWithEncodingJSON: a zero Dict field of a struct
// decodes through json.Unmarshal by adopting the object's keys in order,
// events with equal key sets share one schema, the struct encodes back to
// the same JSON (by value and by pointer), and a Dict that has a schema
// keeps its locked keys.
func TestDictAsStructFieldWithEncodingJSON(t *testing.T) {
	const in = `[{"kind":"login","attrs":{"user":"ada","ok":true,"n":1}},` +
		`{"kind":"login","attrs":{"user":"bob","ok":false,"n":2}},` +
		`{"kind":"tag","attrs":{"tags":["a","b"],"meta":{"x":1}}},` +
		`{"kind":"none","attrs":{}},{"kind":"null","attrs":null}]`
	var events []event
	if err := json.Unmarshal([]byte(in), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) != 5 {
		t.Fatalf("%d events, want 5", len(events))
	}
	if a, b := events[0].Attrs.Schema(), events[1].Attrs.Schema(); a != b || a != slotdict.NewSchema("user", "ok", "n") {
		t.Errorf("events with the keys user, ok, n have schemas %v and %v, want the one NewSchema(user, ok, n)", a, b)
	}
	if v, ok := events[2].Attrs.Get("meta"); !ok || v.(map[string]any)["x"] != 1.0 {
		t.Errorf("nested value %v, %v; want map[x:1]", v, ok)
	}
	if events[4].Attrs.Len() != 0 {
		t.Errorf("attrs: null decoded as %v, want an empty Dict", &events[4].Attrs)
	}
	for name, v := range map[string]any{"slice": events, "pointers": []*event{&events[0], &events[1], &events[2], &events[3], &events[4]}} {
		out, err := json.Marshal(v)
		const want = `[{"kind":"login","attrs":{"user":"ada","ok":true,"n":1}},` +
			`{"kind":"login","attrs":{"user":"bob","ok":false,"n":2}},` +
			`{"kind":"tag","attrs":{"tags":["a","b"],"meta":{"x":1}}},` +
			`{"kind":"none","attrs":{}},{"kind":"null","attrs":{}}]`
		if err != nil || string(out) != want {
			t.Errorf("json.Marshal of the %s: %s (%v), want %s", name, out, err, want)
		}
	}
	// A Dict that has a schema keeps it: a key outside it is refused, and
	// names itself and its offset in the Dict's object.
	e := events[0]
	err := json.Unmarshal([]byte(`{"kind":"x","attrs":{"user":"cy","colour":"red"}}`), &e)
	var de *slotdict.DecodeError
	if !errors.As(err, &de) || !errors.Is(err, slotdict.ErrUnknownKey) || de.Key != "colour" || de.Offset != 13 {
		t.Errorf("unknown key in a Dict with a schema: %v, want ErrUnknownKey for colour at byte offset 13", err)
	}
	if v, _ := events[0].Attrs.Get("user"); v != "ada" {
		t.Errorf("a failed decode changed the Dict: user = %v", v)
	}
}

// TestDictPointerFieldWithEncodingJSON: a *Dict field is allocated by
// encoding/json and adopts the keys as a zero Dict does; nil encodes as
// null and is left out with omitempty.
func TestDictPointerFieldWithEncodingJSON(t *testing.T) {
	var v struct {
		Attrs *slotdict.Dict[string, int] `json:"attrs,omitempty"`
	}
	if err := json.Unmarshal([]byte(`{"attrs":{"b":2,"a":1}}`), &v); err != nil {
		t.Fatal(err)
	}
	if out, err := json.Marshal(v); err != nil || string(out) != `{"attrs":{"b":2,"a":1}}` {
		t.Errorf("json.Marshal: %s (%v)", out, err)
	}
	v.Attrs = nil
	if out, err := json.Marshal(v); err != nil || string(out) != `{}` {
		t.Errorf("json.Marshal of a nil Dict with omitempty: %s (%v)", out, err)
	}
}
