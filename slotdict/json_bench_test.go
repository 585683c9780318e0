package slotdict_test

import (
	"encoding/json"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// Side by side, named as in slotdict_bench_test.go: one record decoded and
// encoded by encoding/json with a map[string]V (impl=map) and by a
// Dict[string, V] (impl=Dict), for V any and int, serially and in parallel.

var (
	recordKeys = []string{"id", "name", "email", "status", "score"}
	recordJSON = []byte(`{"id": 12345, "name": "Ada Lovelace", "email": "ada@example.com", "status": "active", "score": 97.5}`)
	intsJSON   = []byte(`{"id": 12345, "name": 7, "email": 100200300, "status": -1, "score": 97}`)
)

// codecBench is one side of a JSON benchmark: op runs once per iteration.
type codecBench struct {
	name string // impl=…/V=…
	op   func() error
}

// runCodec runs each of benches serially and in parallel, pairs of one
// column next to each other.
func runCodec(b *testing.B, benches []codecBench) {
	for _, mode := range []string{"serial", "parallel"} {
		for _, bm := range benches {
			b.Run(bm.name+"/"+mode, func(b *testing.B) {
				b.ReportAllocs()
				if mode == "serial" {
					for range b.N {
						if err := bm.op(); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := bm.op(); err != nil {
							panic(err)
						}
					}
				})
			})
		}
	}
}

func BenchmarkDecodeRecord(b *testing.B) {
	s := slotdict.NewSchema(recordKeys...)
	runCodec(b, []codecBench{
		{"impl=map/V=any", func() error {
			var m map[string]any
			return json.Unmarshal(recordJSON, &m)
		}},
		{"impl=Dict/V=any", func() error { return slotdict.New[string, any](s).UnmarshalJSON(recordJSON) }},
		{"impl=map/V=int", func() error {
			var m map[string]int
			return json.Unmarshal(intsJSON, &m)
		}},
		{"impl=Dict/V=int", func() error { return slotdict.New[string, int](s).UnmarshalJSON(intsJSON) }},
	})
}

func BenchmarkMarshalRecord(b *testing.B) {
	var m map[string]any
	if err := json.Unmarshal(recordJSON, &m); err != nil {
		b.Fatal(err)
	}
	d := mustFromMap(slotdict.NewSchema(recordKeys...), m)
	runCodec(b, []codecBench{
		{"impl=map/V=any", func() error {
			_, err := json.Marshal(m)
			return err
		}},
		{"impl=Dict/V=any", func() error {
			_, err := d.MarshalJSON()
			return err
		}},
	})
}
