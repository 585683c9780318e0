package intern_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/intern"
)

func ExampleString() {
	// Two equal strings built separately, e.g. decoded from two records.
	a := strings.ToLower("CONTENT-TYPE")
	b := strings.ToLower("Content-Type")

	fmt.Println("same bytes before:", unsafe.StringData(a) == unsafe.StringData(b))

	// Interned, they share one copy of their bytes.
	ia, ib := intern.String(a), intern.String(b)
	fmt.Println("same bytes after:", unsafe.StringData(ia) == unsafe.StringData(ib))
	// Output:
	// same bytes before: false
	// same bytes after: true
}

func ExampleBytes() {
	buf := []byte("status=200")
	key := intern.Bytes(buf[:6]) // no allocation once "status" is interned

	copy(buf, "xxxxxx") // reusing the buffer does not change the result
	fmt.Println(key)
	// Output: status
}

func ExamplePool() {
	p := intern.NewPool(intern.WithMaxLen(64))
	p.Stats() // hits are counted from the first call of Stats on
	for _, field := range strings.Fields("GET /a GET /b GET /a") {
		p.String(field)
	}
	fmt.Println(p.Len())
	fmt.Printf("%+v\n", p.Stats())
	if s, ok := p.Lookup("/b"); ok {
		fmt.Println("pooled:", s)
	}
	// Output:
	// 3
	// entries=3 bytes=7 hits=3 misses=3
	// pooled: /b
}

func ExampleTable() {
	var words intern.Table[string] // the zero Table is ready to use
	var ids []intern.Sym
	for _, w := range strings.Fields("to be or not to be") {
		ids = append(ids, words.ID(w))
	}
	fmt.Println(ids, words.Len(), words.Value(ids[3]))

	// The table round-trips through JSON with the same IDs.
	data, _ := json.Marshal(&words)
	var restored intern.Table[string]
	_ = json.Unmarshal(data, &restored)
	id, _ := restored.Lookup("not")
	fmt.Println(string(data), id)
	// Output:
	// [1 2 3 4 1 2] 4 not
	// ["to","be","or","not"] 4
}

func ExampleTable_UnmarshalJSON() {
	var tab intern.Table[string]
	tab.ID("GET")

	// A value twice: the error names the byte where the second one starts.
	err := json.Unmarshal([]byte(`["GET", "PUT", "GET"]`), &tab)
	var de *intern.DecodeError
	if errors.As(err, &de) && errors.Is(err, intern.ErrDuplicate) {
		fmt.Println("duplicate at byte", de.Offset)
	}
	// The array must start with the values the table holds; on error the
	// table is unchanged.
	err = json.Unmarshal([]byte(`["POST"]`), &tab)
	fmt.Println(errors.Is(err, intern.ErrConflict), tab.Len())

	// On success the new values are appended in order.
	if err := json.Unmarshal([]byte(`["GET", "PUT"]`), &tab); err == nil {
		id, _ := tab.Lookup("PUT")
		fmt.Println(tab.Len(), id)
	}
	// Output:
	// duplicate at byte 15
	// true 1
	// 2 2
}
