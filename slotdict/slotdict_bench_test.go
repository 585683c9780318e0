package slotdict_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// The benchmarks put a map[string]int and a Dict[string, int] with the same
// keys side by side (sub-benchmarks "map" and "dict"), so that ratios come
// from one run:
//
//	flock /tmp/flyweight-bench.lock go test -run '^$' -bench . -count 1 ./slotdict/

// benchSizes are the schema sizes compared: small schemas (linear search)
// up to the largest one, and big ones (index map, extended bitmap).
var benchSizes = []int{3, 8, 100, 1000}

// fieldNames are realistic key names of varied lengths for small schemas.
var fieldNames = []string{"id", "name", "email", "created_at", "status", "owner", "score", "tags"}

func benchKeys(n int) []string {
	if n <= len(fieldNames) {
		return fieldNames[:n]
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("field_%d", i)
	}
	return keys
}

// lookupKeys returns copies of keys with their own bytes, as keys decoded
// from input would be, so that no lookup wins by comparing pointers.
func lookupKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strings.Clone(k)
	}
	return out
}

func benchPair(n int) (map[string]int, *slotdict.Dict[string, int], []string) {
	keys := benchKeys(n)
	return fullMap(keys), fullDict(slotdict.NewSchema(keys...)), lookupKeys(keys)
}

var sinkInt int

func BenchmarkGet(b *testing.B) {
	for _, n := range benchSizes {
		m, d, keys := benchPair(n)
		b.Run(fmt.Sprintf("keys=%d/map", n), func(b *testing.B) {
			b.ReportAllocs()
			sum := 0
			for i, j := 0, 0; i < b.N; i++ {
				v, ok := m[keys[j]]
				if ok {
					sum += v
				}
				if j++; j == len(keys) {
					j = 0
				}
			}
			sinkInt = sum
		})
		b.Run(fmt.Sprintf("keys=%d/dict", n), func(b *testing.B) {
			b.ReportAllocs()
			sum := 0
			for i, j := 0, 0; i < b.N; i++ {
				v, ok := d.Get(keys[j])
				if ok {
					sum += v
				}
				if j++; j == len(keys) {
					j = 0
				}
			}
			sinkInt = sum
		})
	}
}

func BenchmarkGetParallel(b *testing.B) {
	for _, n := range benchSizes {
		m, d, keys := benchPair(n)
		b.Run(fmt.Sprintf("keys=%d/map", n), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				sum := 0
				for j := 0; pb.Next(); {
					sum += m[keys[j]]
					if j++; j == len(keys) {
						j = 0
					}
				}
				sinkParallel(sum)
			})
		})
		b.Run(fmt.Sprintf("keys=%d/dict", n), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				sum := 0
				for j := 0; pb.Next(); {
					v, _ := d.Get(keys[j])
					sum += v
					if j++; j == len(keys) {
						j = 0
					}
				}
				sinkParallel(sum)
			})
		})
	}
}

func sinkParallel(v int) {
	if v == -1 {
		panic("unreachable: keeps v alive")
	}
}

func BenchmarkSet(b *testing.B) {
	for _, n := range benchSizes {
		m, d, keys := benchPair(n)
		b.Run(fmt.Sprintf("keys=%d/map", n), func(b *testing.B) {
			b.ReportAllocs()
			for i, j := 0, 0; i < b.N; i++ {
				m[keys[j]] = i
				if j++; j == len(keys) {
					j = 0
				}
			}
		})
		b.Run(fmt.Sprintf("keys=%d/dict", n), func(b *testing.B) {
			b.ReportAllocs()
			for i, j := 0, 0; i < b.N; i++ {
				if err := d.Set(keys[j], i); err != nil {
					b.Fatal(err)
				}
				if j++; j == len(keys) {
					j = 0
				}
			}
		})
	}
}

// BenchmarkAll ranges over every entry; ns/op is per entry.
func BenchmarkAll(b *testing.B) {
	for _, n := range benchSizes {
		m, d, _ := benchPair(n)
		b.Run(fmt.Sprintf("keys=%d/map", n), func(b *testing.B) {
			b.ReportAllocs()
			sum := 0
			for i := 0; i < b.N; i += n {
				for k, v := range m {
					sum += v + len(k)
				}
			}
			sinkInt = sum
		})
		b.Run(fmt.Sprintf("keys=%d/dict", n), func(b *testing.B) {
			b.ReportAllocs()
			sum := 0
			for i := 0; i < b.N; i += n {
				for k, v := range d.All() {
					sum += v + len(k)
				}
			}
			sinkInt = sum
		})
	}
}

// BenchmarkBuild makes a record with every key set, and reports the live
// bytes each one costs (B/obj, the pointer to it included), measured once
// per size before the timed runs.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		keys := benchKeys(n)
		s := slotdict.NewSchema(keys...)
		buildMap := func() map[string]int { return fullMap(keys) }
		buildDict := func() *slotdict.Dict[string, int] { return fullDict(s) }
		mapBytes, dictBytes := perObject(n, buildMap), perObject(n, buildDict)
		b.Run(fmt.Sprintf("keys=%d/map", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				sinkMap = buildMap()
			}
			b.ReportMetric(mapBytes, "B/obj")
		})
		b.Run(fmt.Sprintf("keys=%d/dict", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				sinkDict = buildDict()
			}
			b.ReportMetric(dictBytes, "B/obj")
		})
	}
}

var (
	sinkMap  map[string]int
	sinkDict *slotdict.Dict[string, int]
)
