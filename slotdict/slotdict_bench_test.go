package slotdict_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// The benchmarks put a map[string]int and a Dict[string, int] with the same
// keys side by side, so that ratios come from one run. They are named
// Benchmark<Family>/impl=<map|Dict>/keys=<n>, the form bench/cmd/benchtable
// turns into a table with a row per implementation and a column per size:
//
//	flock /tmp/flyweight-bench.lock go test -run '^$' -bench . -count 5 ./slotdict/

// benchSizes are the schema sizes compared: small schemas (linear search)
// up to the largest one, and big ones (hash index, extended bitmap).
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

// sideBySide runs, for every size of sizes, the two benchmarks that setup
// makes for it: impl=map, then impl=Dict. setup runs once per size, outside
// the timed runs.
func sideBySide(b *testing.B, sizes []int, setup func(n int) (mapBench, dictBench func(b *testing.B))) {
	for _, n := range sizes {
		mapBench, dictBench := setup(n)
		for _, impl := range []struct {
			name  string
			bench func(*testing.B)
		}{{"map", mapBench}, {"Dict", dictBench}} {
			b.Run(fmt.Sprintf("impl=%s/keys=%d", impl.name, n), func(b *testing.B) {
				b.ReportAllocs()
				impl.bench(b)
			})
		}
	}
}

// benchPair returns a full map and a full Dict over the first n keys of
// benchKeys, and copies of the keys to look them up with.
func benchPair(n int) (map[string]int, *slotdict.Dict[string, int], []string) {
	keys := benchKeys(n)
	return fullMap(keys), fullDict(slotdict.NewSchema(keys...)), lookupKeys(keys)
}

var sinkInt int

func BenchmarkGet(b *testing.B) {
	sideBySide(b, benchSizes, func(n int) (func(*testing.B), func(*testing.B)) {
		return getBenches(benchPair(n))
	})
}

// BenchmarkGetEqualLength is BenchmarkGet on small schemas whose keys all
// have one length (field_0, field_1, ...): comparing such keys whole reads
// their bytes at every step of a linear search, which the fingerprints of
// string keys avoid.
func BenchmarkGetEqualLength(b *testing.B) {
	sideBySide(b, benchSizes[:2], func(n int) (func(*testing.B), func(*testing.B)) {
		keys := numberedKeys("field_", n)
		return getBenches(fullMap(keys), fullDict(slotdict.NewSchema(keys...)), lookupKeys(keys))
	})
}

// getBenches returns the Get benchmarks of m and d, looking up keys in turn.
func getBenches(m map[string]int, d *slotdict.Dict[string, int], keys []string) (mapBench, dictBench func(*testing.B)) {
	return func(b *testing.B) {
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
		}, func(b *testing.B) {
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
		}
}

func BenchmarkGetParallel(b *testing.B) {
	sideBySide(b, benchSizes, func(n int) (func(*testing.B), func(*testing.B)) {
		m, d, keys := benchPair(n)
		return func(b *testing.B) {
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
			}, func(b *testing.B) {
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
			}
	})
}

func sinkParallel(v int) {
	if v == -1 {
		panic("unreachable: keeps v alive")
	}
}

func BenchmarkSet(b *testing.B) {
	sideBySide(b, benchSizes, func(n int) (func(*testing.B), func(*testing.B)) {
		m, d, keys := benchPair(n)
		return func(b *testing.B) {
				for i, j := 0, 0; i < b.N; i++ {
					m[keys[j]] = i
					if j++; j == len(keys) {
						j = 0
					}
				}
			}, func(b *testing.B) {
				for i, j := 0, 0; i < b.N; i++ {
					if err := d.Set(keys[j], i); err != nil {
						b.Fatal(err)
					}
					if j++; j == len(keys) {
						j = 0
					}
				}
			}
	})
}

// BenchmarkAll ranges over every entry; ns/op is per entry.
func BenchmarkAll(b *testing.B) {
	sideBySide(b, benchSizes, func(n int) (func(*testing.B), func(*testing.B)) {
		m, d, _ := benchPair(n)
		return func(b *testing.B) {
				sum := 0
				for i := 0; i < b.N; i += n {
					for k, v := range m {
						sum += v + len(k)
					}
				}
				sinkInt = sum
			}, func(b *testing.B) {
				sum := 0
				for i := 0; i < b.N; i += n {
					for k, v := range d.All() {
						sum += v + len(k)
					}
				}
				sinkInt = sum
			}
	})
}

// BenchmarkBuild makes a record with every key set, and reports the live
// bytes each one costs (B/obj, the pointer to it included), measured once
// per size before the timed runs.
func BenchmarkBuild(b *testing.B) {
	sideBySide(b, benchSizes, func(n int) (func(*testing.B), func(*testing.B)) {
		keys := benchKeys(n)
		s := slotdict.NewSchema(keys...)
		mapBytes := perObject(n, func() map[string]int { return fullMap(keys) })
		dictBytes := perObject(n, func() *slotdict.Dict[string, int] { return fullDict(s) })
		return func(b *testing.B) {
				for range b.N {
					sinkMap = fullMap(keys)
				}
				b.ReportMetric(mapBytes, "B/obj")
			}, func(b *testing.B) {
				for range b.N {
					sinkDict = fullDict(s)
				}
				b.ReportMetric(dictBytes, "B/obj")
			}
	})
}

var (
	sinkMap  map[string]int
	sinkDict *slotdict.Dict[string, int]
)
