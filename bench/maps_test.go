package bench

import (
	"fmt"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// mapImpls are the three ways of holding a record with string keys: the
// map[string]int they replace, a slotdict.Dict over a schema fixed up front,
// and a flyweight.Record whose schema follows its keys.
type mapImpls struct {
	keys   []string
	m      map[string]int
	dict   *slotdict.Dict[string, int]
	record *flyweight.Record[int]
}

func newMapImpls(n int) mapImpls {
	ks := make([]string, n)
	for i := range ks {
		ks[i] = fmt.Sprintf("field%d", i)
	}
	im := mapImpls{keys: ks, m: map[string]int{}, dict: slotdict.New[string, int](slotdict.NewSchema(ks...)), record: new(flyweight.Record[int])}
	for i, k := range ks {
		im.m[k] = i
		if err := im.dict.Set(k, i); err != nil {
			panic(err)
		}
		im.record.Set(k, i)
	}
	return im
}

var recordSizes = []int{3, 8, 100}

// BenchmarkMapGet reads present keys in turn.
func BenchmarkMapGet(b *testing.B) {
	for _, n := range recordSizes {
		im := newMapImpls(n)
		col := fmt.Sprintf("%d-keys", n)
		b.Run("impl=slotdict.Dict/"+col, func(b *testing.B) {
			sum := 0
			for i := range b.N {
				v, _ := im.dict.Get(im.keys[i%n])
				sum += v
			}
			baseline.Keep(sum)
		})
		b.Run("impl=flyweight.Record/"+col, func(b *testing.B) {
			sum := 0
			for i := range b.N {
				v, _ := im.record.Get(im.keys[i%n])
				sum += v
			}
			baseline.Keep(sum)
		})
		b.Run("impl=map/"+col, func(b *testing.B) {
			sum := 0
			for i := range b.N {
				sum += im.m[im.keys[i%n]]
			}
			baseline.Keep(sum)
		})
	}
}

// BenchmarkMapSet writes present keys in turn.
func BenchmarkMapSet(b *testing.B) {
	for _, n := range recordSizes {
		im := newMapImpls(n)
		col := fmt.Sprintf("%d-keys", n)
		b.Run("impl=slotdict.Dict/"+col, func(b *testing.B) {
			for i := range b.N {
				_ = im.dict.Set(im.keys[i%n], i)
			}
		})
		b.Run("impl=flyweight.Record/"+col, func(b *testing.B) {
			for i := range b.N {
				im.record.Set(im.keys[i%n], i)
			}
		})
		b.Run("impl=map/"+col, func(b *testing.B) {
			for i := range b.N {
				im.m[im.keys[i%n]] = i
			}
		})
	}
}

// BenchmarkMapRange visits every key and value once per iteration.
func BenchmarkMapRange(b *testing.B) {
	for _, n := range recordSizes {
		im := newMapImpls(n)
		col := fmt.Sprintf("%d-keys", n)
		b.Run("impl=slotdict.Dict/"+col, func(b *testing.B) {
			sum := 0
			for range b.N {
				for _, v := range im.dict.All() {
					sum += v
				}
			}
			baseline.Keep(sum)
		})
		b.Run("impl=flyweight.Record/"+col, func(b *testing.B) {
			sum := 0
			for range b.N {
				for _, v := range im.record.All() {
					sum += v
				}
			}
			baseline.Keep(sum)
		})
		b.Run("impl=map/"+col, func(b *testing.B) {
			sum := 0
			for range b.N {
				for _, v := range im.m {
					sum += v
				}
			}
			baseline.Keep(sum)
		})
	}
}
