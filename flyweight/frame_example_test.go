package flyweight_test

import (
	"fmt"
	"strings"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// Decode a JSON Lines file into a Frame and print a column.
func ExampleDecodeFrame() {
	const cities = `{"country": "AD", "name": "Sant Julià de Lòria", "lat": "42.46372"}
{"country": "AD", "name": "Pas de la Casa", "lat": "42.54277"}
{"country": "AE", "name": "Abu Dhabi", "lat": "24.46667", "capital": true}
`
	f, err := flyweight.DecodeFrame(strings.NewReader(cities))
	if err != nil {
		panic(err)
	}
	for row := range f.Len() {
		name, _ := f.String(row, "name")
		fmt.Println(name)
	}
	capital, ok := f.Get(0, "capital")
	fmt.Println(capital, ok)
	// Output:
	// Sant Julià de Lòria
	// Pas de la Casa
	// Abu Dhabi
	// <nil> false
}

// AppendJSON writes one row back, its keys in their input order.
func ExampleFrame_AppendJSON() {
	var f flyweight.Frame // the zero Frame is ready to use
	err := f.Decode(strings.NewReader(`[
		{"id": 1, "tags": ["a", "b"], "name": "first"},
		{"name": "second", "id": 2.5, "note": null}
	]`))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s\n", f.AppendJSON(nil, 1))
	// Output: {"name":"second","id":2.5,"note":null}
}

// Columns says how each column holds its values.
func ExampleFrame_Columns() {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, `{"country": "C%d", "id": %d, "name": "n%d"}`+"\n", i%3, i, i)
	}
	f, err := flyweight.DecodeFrame(strings.NewReader(b.String()))
	if err != nil {
		panic(err)
	}
	for key, enc := range f.Columns() {
		fmt.Println(key, enc)
	}
	// Output:
	// country dictionary/1
	// id int64
	// name bytes
}
