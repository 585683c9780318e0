package jsonscan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// walk walks the object at the start of sc.Data, scanning each value with
// Value and calling visit with the member's key and the value's span. It
// returns the position after the object.
func walk(sc *jsonscan.Scanner, visit func(key jsonscan.String, v, end int)) (int, error) {
	i, more, err := sc.OpenObject(sc.Space(0))
	for err == nil && more {
		var key jsonscan.String
		var v, end int
		if key, v, err = sc.Member(i); err != nil {
			break
		}
		if end, err = sc.Value(v, 1); err != nil {
			break
		}
		visit(key, v, end)
		i, more, err = sc.NextMember(end)
	}
	return i, err
}

// members returns "key=raw value" for each member of the object at the
// start of in, keys decoded, the position after the object, or the first
// error.
func members(in string) ([]string, int, error) {
	sc := jsonscan.Scanner{Data: []byte(in)}
	var out []string
	end, err := walk(&sc, func(key jsonscan.String, v, end int) {
		out = append(out, sc.Text(key, nil)+"="+in[v:end])
	})
	return out, end, err
}

func TestObjectMembers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{
		{`{}`, ``},
		{` { } `, ``},
		{`{"a":1}`, `a=1`},
		{`{ "a" : 1 , "b\u0063" :[1, {"x": "}"}], "é":"v" }`, `a=1|bc=[1, {"x": "}"}]|é="v"`},
		{`{"a": {"b": {}}, "a": null}`, `a={"b": {}}|a=null`},
	} {
		got, end, err := members(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if s := strings.Join(got, "|"); s != tt.want {
			t.Errorf("%s: members %q, want %q", tt.in, s, tt.want)
		}
		if want := strings.LastIndexByte(tt.in, '}') + 1; end != want {
			t.Errorf("%s: ends at %d, want %d", tt.in, end, want)
		}
	}
}

func TestObjectErrors(t *testing.T) {
	for _, tt := range []struct {
		in     string
		offset int64
		detail string
	}{
		{`[]`, 0, `invalid character '[' looking for beginning of a JSON object`},
		{``, 0, `unexpected end of input`},
		{`{`, 1, `unexpected end of input`},
		{`{"a"`, 4, `unexpected end of input`},
		{`{"a":`, 5, `unexpected end of input`},
		{`{"a":1`, 6, `unexpected end of input`},
		{`{"a":1,`, 7, `unexpected end of input`},
		{`{a:1}`, 1, `invalid character 'a' looking for beginning of object key string`},
		{`{"a" 1}`, 5, `after object key`},
		{`{"a":1]`, 6, `after object key:value pair`},
		{`{"a\x":1}`, 4, `in string escape code`},
	} {
		_, _, err := members(tt.in)
		checkError(t, err, tt.offset, tt.detail)
	}
}

// TestObjectWalkAllocatesNothing: walking an object with verbatim keys and
// reading their bytes allocates nothing.
func TestObjectWalkAllocatesNothing(t *testing.T) {
	sc := jsonscan.Scanner{Data: []byte(`{"id": 12, "name": "Ada", "tags": ["x", "y"], "ok": true}`)}
	keyBytes := 0
	count := func(key jsonscan.String, _, _ int) { keyBytes += len(sc.Bytes(key)) }
	if n := testing.AllocsPerRun(100, func() {
		keyBytes = 0
		if _, err := walk(&sc, count); err != nil {
			panic(err)
		}
	}); n != 0 {
		t.Errorf("walking an object: %v allocations, want 0", n)
	}
	if keyBytes != len("id")+len("name")+len("tags")+len("ok") {
		t.Errorf("the walk saw %d bytes of keys", keyBytes)
	}
}

// ExampleScanner_OpenObject walks the members of an object: each key's
// bytes are read in place, each value is scanned (here only skipped).
func ExampleScanner_OpenObject() {
	sc := jsonscan.Scanner{Data: []byte(`{"id": 7, "name": "Ada", "caf\u00e9": [1, 2]}`)}
	i, more, err := sc.OpenObject(0)
	for err == nil && more {
		var key jsonscan.String
		var v int
		if key, v, err = sc.Member(i); err != nil {
			break
		}
		if key.Verbatim {
			fmt.Printf("%s (in place)\n", sc.Bytes(key))
		} else {
			fmt.Printf("%s (decoded)\n", sc.Text(key, nil))
		}
		if v, err = sc.Value(v, 1); err != nil {
			break
		}
		i, more, err = sc.NextMember(v)
	}
	fmt.Println(i, err)
	// Output:
	// id (in place)
	// name (in place)
	// café (decoded)
	// 45 <nil>
}
