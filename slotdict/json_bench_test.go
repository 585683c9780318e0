package slotdict_test

import (
	"encoding/json"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// Side by side, as in slotdict_bench_test.go: one record decoded by
// encoding/json into a map ("map") and by a Dict ("dict").

var (
	recordKeys = []string{"id", "name", "email", "status", "score"}
	recordJSON = []byte(`{"id": 12345, "name": "Ada Lovelace", "email": "ada@example.com", "status": "active", "score": 97.5}`)
	intsJSON   = []byte(`{"id": 12345, "name": 7, "email": 100200300, "status": -1, "score": 97}`)
)

func BenchmarkDecodeRecord(b *testing.B) {
	s := slotdict.NewSchema(recordKeys...)
	b.Run("any/map", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var m map[string]any
			if err := json.Unmarshal(recordJSON, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("any/dict", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := slotdict.New[string, any](s).UnmarshalJSON(recordJSON); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("int/map", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var m map[string]int
			if err := json.Unmarshal(intsJSON, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("int/dict", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := slotdict.New[string, int](s).UnmarshalJSON(intsJSON); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("int-parallel/map", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var m map[string]int
				if err := json.Unmarshal(intsJSON, &m); err != nil {
					panic(err)
				}
			}
		})
	})
	b.Run("int-parallel/dict", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := slotdict.New[string, int](s).UnmarshalJSON(intsJSON); err != nil {
					panic(err)
				}
			}
		})
	})
}

func BenchmarkMarshalRecord(b *testing.B) {
	var m map[string]any
	if err := json.Unmarshal(recordJSON, &m); err != nil {
		b.Fatal(err)
	}
	d := mustFromMap(slotdict.NewSchema(recordKeys...), m)
	b.Run("any/map", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := json.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("any/dict", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := d.MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
