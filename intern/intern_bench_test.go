package intern_test

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"sync"
	"testing"
	"unique"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
)

// benchKeys are 1024 distinct strings of 6 to 40 bytes, shaped like the
// field names, header names and enum values that programs intern.
var benchKeys = func() []string {
	parts := []string{"user", "id", "created", "at", "content", "type", "x", "request", "status", "code", "trace", "span"}
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("%s_%s_%d", parts[i%len(parts)], parts[i/len(parts)%len(parts)], i)
		for len(keys[i]) < 6+i%35 {
			keys[i] += "_" + parts[(i+len(keys[i]))%len(parts)]
		}
		keys[i] = keys[i][:6+i%35]
	}
	return keys
}()

var benchBytes = func() [][]byte {
	bs := make([][]byte, len(benchKeys))
	for i, k := range benchKeys {
		bs[i] = []byte(k)
	}
	return bs
}()

// run runs op over the keys serially and with RunParallel, as two
// sub-benchmarks, so that every implementation is compared both ways in one
// run. Results go to a goroutine-local variable: a shared sink would make
// the goroutines contend for its cache lines and measure that instead.
func run[R any](b *testing.B, op func(i int) R) {
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		var r R
		for i := range b.N {
			r = op(i & 1023)
		}
		keep(r)
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var r R
			for i := 0; pb.Next(); i++ {
				r = op(i & 1023)
			}
			keep(r)
		})
	})
}

var sinkMu sync.Mutex
var sinkAny any

// keep publishes a result so that the compiler cannot drop the work.
func keep(r any) {
	sinkMu.Lock()
	sinkAny = r
	sinkMu.Unlock()
}

// BenchmarkStringHit compares a hit of String with the unique.Make idiom,
// on the same keys. Both find every key already interned: held keeps
// String's entries alive, and the handles in pins unique's.
func BenchmarkStringHit(b *testing.B) {
	pins := make([]unique.Handle[string], len(benchKeys))
	held := make([]string, len(benchKeys))
	for i, k := range benchKeys {
		pins[i] = unique.Make(k)
		held[i] = intern.String(k)
	}
	b.Run("impl=intern.String", func(b *testing.B) {
		run(b, func(i int) string { return intern.String(benchKeys[i]) })
	})
	b.Run("impl=unique.Make", func(b *testing.B) {
		run(b, func(i int) string { return unique.Make(benchKeys[i]).Value() })
	})
	runtime.KeepAlive(pins)
	runtime.KeepAlive(held)
}

func BenchmarkBytesHit(b *testing.B) {
	pins := make([]unique.Handle[string], len(benchKeys))
	held := make([]string, len(benchKeys))
	for i, k := range benchKeys {
		pins[i] = unique.Make(k)
		held[i] = intern.String(k)
	}
	b.Run("impl=intern.Bytes", func(b *testing.B) {
		run(b, func(i int) string { return intern.Bytes(benchBytes[i]) })
	})
	b.Run("impl=unique.Make", func(b *testing.B) {
		run(b, func(i int) string { return unique.Make(string(benchBytes[i])).Value() })
	})
	runtime.KeepAlive(pins)
	runtime.KeepAlive(held)
}

func BenchmarkPoolHit(b *testing.B) {
	p := intern.NewPool()
	mp := baseline.NewMutexInterner() // what a Pool replaces
	for _, k := range benchKeys {
		p.String(k)
		mp.String(k)
	}
	b.Run("impl=Pool.String", func(b *testing.B) {
		run(b, func(i int) string { return p.String(benchKeys[i]) })
	})
	b.Run("impl=Pool.Bytes", func(b *testing.B) {
		run(b, func(i int) string { return p.Bytes(benchBytes[i]) })
	})
	b.Run("impl=mutex-map", func(b *testing.B) {
		run(b, func(i int) string { return mp.String(benchKeys[i]) })
	})
}

func BenchmarkTable(b *testing.B) {
	tab := new(intern.Table[string])
	ids := make([]intern.Sym, len(benchKeys))
	for i, k := range benchKeys {
		ids[i] = tab.ID(k)
	}
	b.Run("op=ID", func(b *testing.B) {
		run(b, func(i int) intern.Sym { return tab.ID(benchKeys[i]) })
	})
	b.Run("op=Value", func(b *testing.B) {
		run(b, func(i int) string { return tab.Value(ids[i]) })
	})
	b.Run("op=slice-index", func(b *testing.B) {
		// The floor Value is measured against: indexing a plain slice.
		run(b, func(i int) string { return benchKeys[ids[i]-1] })
	})
}

// BenchmarkStringHash compares the two hashes of a string the package could
// use: Pool and String use maphash.String, Table (for any T)
// maphash.Comparable.
func BenchmarkStringHash(b *testing.B) {
	seed := maphash.MakeSeed()
	b.Run("impl=maphash.String", func(b *testing.B) {
		run(b, func(i int) uint64 { return maphash.String(seed, benchKeys[i]) })
	})
	b.Run("impl=maphash.Comparable", func(b *testing.B) {
		run(b, func(i int) uint64 { return maphash.Comparable(seed, benchKeys[i]) })
	})
}
