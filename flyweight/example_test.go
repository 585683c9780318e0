package flyweight_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// Glyphs share their style: a million glyphs in a hundred styles hold a
// hundred Style objects, not a million copies.
func ExampleFactory() {
	type Style struct {
		Font  string
		Size  int
		Color string
	}
	builds := 0
	styles := flyweight.NewFactory(func(name string) (*Style, error) {
		builds++
		font, size, _ := strings.Cut(name, "/")
		return &Style{Font: font, Size: len(size) * 4, Color: "black"}, nil
	})
	type Glyph struct {
		Rune  rune
		Style *Style
	}
	var text []Glyph
	for _, r := range "flyweight" {
		s, err := styles.Get("serif/12")
		if err != nil {
			panic(err)
		}
		text = append(text, Glyph{r, s})
	}
	fmt.Println(len(text), "glyphs,", builds, "style built, shared:", text[0].Style == text[8].Style)
	// Output: 9 glyphs, 1 style built, shared: true
}

// Records that gain the same keys in the same order share one schema: the
// keys are stored once, the records hold only their values.
func ExampleRecord() {
	a := new(flyweight.Record[int])
	a.Set("x", 1)
	a.Set("y", 2)
	b := new(flyweight.Record[int])
	b.Set("x", 10)
	b.Set("y", 20)
	fmt.Println(a, b, a.Schema() == b.Schema())

	b.Set("z", 30) // a new key moves b to the schema {x, y, z}
	v, ok := b.Get("z")
	fmt.Println(v, ok, b.Schema())
	// Output:
	// map[x:1 y:2] map[x:10 y:20] true
	// 30 true schema[x y z]
}

// Decoding a stream of heterogeneous objects, such as the output of
// `go list -json`: records with the same keys share a schema.
func ExampleDecodeRecords() {
	in := `{"ImportPath":"errors","Deps":["internal/reflectlite"]}
{"ImportPath":"io","Deps":["errors","sync"],"Goroot":true}
{"ImportPath":"fmt","Deps":["io"]}`
	recs, err := flyweight.DecodeRecords[any](strings.NewReader(in))
	if err != nil {
		panic(err)
	}
	schemas := map[any]bool{}
	for _, r := range recs {
		schemas[r.Schema()] = true
	}
	out, _ := json.Marshal(recs[1])
	fmt.Println(len(recs), "records,", len(schemas), "schemas")
	fmt.Println(string(out))
	// Output:
	// 3 records, 2 schemas
	// {"ImportPath":"io","Deps":["errors","sync"],"Goroot":true}
}

func ExampleWithSkipBadLines() {
	in := strings.NewReader(`{"user": "ada", "n": 1}
{"user": "bob", "n":
{"user": "cy", "n": 3}
`)
	recs, err := flyweight.DecodeRecords[any](in, flyweight.WithSkipBadLines(func(e *flyweight.DecodeError) {
		fmt.Printf("skipped line %d (byte offset %d): %v\n", e.Line, e.Offset, e.Err)
	}))
	fmt.Println(len(recs), err)
	for _, r := range recs {
		fmt.Println(r.Get("user"))
	}
	// Output:
	// skipped line 2 (byte offset 44): invalid JSON
	// 2 <nil>
	// ada true
	// cy true
}
