package slotdict_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

func Example() {
	// One schema for every record with these keys; the records store
	// values only.
	person := slotdict.NewSchema("name", "email", "age")

	ada := slotdict.New[string, any](person)
	_ = ada.Set("name", "Ada")
	_ = ada.Set("age", 36)

	// A key outside the schema is an error, and the record is unchanged.
	err := ada.Set("nmae", "typo")
	fmt.Println(err, errors.Is(err, slotdict.ErrUnknownKey))

	age, ok := ada.Get("age")
	fmt.Println(age, ok, ada.Len())

	for k, v := range ada.All() { // schema order, present keys only
		fmt.Printf("%s=%v\n", k, v)
	}
	// Output:
	// slotdict: unknown key "nmae" true
	// 36 true 2
	// name=Ada
	// age=36
}

func ExampleNewSchema() {
	a := slotdict.NewSchema("id", "name")
	b := slotdict.NewSchema([]string{"id", "name"}...)
	c := slotdict.NewSchema("name", "id")
	fmt.Println(a == b, a == c)
	// Output: true false
}

func ExampleSchema_With() {
	// A record that gains keys one by one moves along cached, shared
	// schemas: the same ones NewSchema returns.
	s := slotdict.NewSchema[string]().With("id").With("name")
	fmt.Println(s, s == slotdict.NewSchema("id", "name"))
	fmt.Println(s.Without("id"))
	// Output:
	// schema[id name] true
	// schema[name]
}

func ExampleDict_MarshalJSON() {
	d := slotdict.New[string, int](slotdict.NewSchema("x", "y", "z"))
	_ = d.Set("z", 3)
	_ = d.Set("x", 1)
	b, _ := d.MarshalJSON()
	fmt.Println(string(b))
	// Output: {"x":1,"z":3}
}

func ExampleDict_DecodeJSON() {
	d := slotdict.New[string, int](slotdict.NewSchema("x", "y"))

	err := d.DecodeJSON([]byte(`{"x": 1, "colour": 2}`))
	fmt.Println(err)
	fmt.Println(d.Len()) // unchanged by the failed decode

	err = d.DecodeJSON([]byte(`{"x": 1, "colour": 2}`), slotdict.WithSkipUnknown())
	fmt.Println(err, d)
	// Output:
	// unknown key "colour" at byte offset 9
	// 0
	// <nil> dict[x:1]
}

func ExampleDecodeAll() {
	in := strings.NewReader(`{"host": "a", "level": "info"}
{"host": "b", "level": "info"}
{"host": "a", "level": "error"}
`)
	// A caller-supplied interner makes equal strings share memory. Use the
	// intern package's Bytes in real code; this one is a plain map.
	pool := map[string]string{}
	internBytes := func(b []byte) string {
		if s, ok := pool[string(b)]; ok {
			return s
		}
		s := string(b)
		pool[s] = s
		return s
	}
	recs, err := slotdict.DecodeAll[string, string](in, slotdict.NewSchema("host", "level"), slotdict.WithIntern(internBytes))
	fmt.Println(len(recs), err, len(pool))
	fmt.Println(recs[2])
	// Output:
	// 3 <nil> 4
	// dict[host:a level:error]
}

func ExampleDecoder() {
	dec := slotdict.NewDecoder[string, float64](strings.NewReader(`[{"x": 1, "y": 2}, {"x": 3}]`), slotdict.NewSchema("x", "y"))
	for {
		d, err := dec.Decode()
		if err != nil {
			fmt.Println(err) // io.EOF after the last object
			break
		}
		fmt.Println(d)
	}
	// Output:
	// dict[x:1 y:2]
	// dict[x:3]
	// EOF
}

func ExampleWithSkipBadLines() {
	in := strings.NewReader(`{"id": 1, "score": 10}
{"id": 2, "score": 2
{"id": 3, "score": "high"}
{"id": 4, "colour": "red"}
{"id": 5, "score": 50}
`)
	s := slotdict.NewSchema("id", "score")
	dicts, err := slotdict.DecodeAll[string, int](in, s, slotdict.WithSkipBadLines(func(e *slotdict.DecodeError) {
		fmt.Println("skipped:", e)
	}))
	fmt.Println(len(dicts), err)
	for _, d := range dicts {
		fmt.Println(d)
	}
	// Output:
	// skipped: line 2: invalid JSON at byte offset 43: unexpected end of input
	// skipped: line 3: cannot decode the value of key "score" at byte offset 63: json: cannot unmarshal string into Go value of type int
	// skipped: line 4: unknown key "colour" at byte offset 81
	// 2 <nil>
	// dict[id:1 score:10]
	// dict[id:5 score:50]
}
