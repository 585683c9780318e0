package intern_test

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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

// A workload is a sequence of strings to intern, in the order a program
// would meet them, each as a string and as a []byte (as from a decoder's
// buffer), and its distinct strings.
type workload struct {
	seq      []string
	seqBytes [][]byte
	distinct []string
}

// tokenWorkload is the real working set: the identifiers and string
// literals of GOROOT/src/net/http and GOROOT/src/go in source order (see
// baseline.GorootTokens). It skips tb if those sources are absent.
func tokenWorkload(tb testing.TB) *workload {
	tb.Helper()
	seq, err := baseline.GorootTokens()
	if err != nil {
		tb.Skipf("the Go sources of GOROOT are not readable: %v", err)
	}
	return newWorkload(seq)
}

func newWorkload(seq []string) *workload {
	w := &workload{seq: seq, seqBytes: make([][]byte, len(seq))}
	seen := map[string]bool{}
	for i, s := range seq {
		w.seqBytes[i] = []byte(s)
		if !seen[s] {
			seen[s] = true
			w.distinct = append(w.distinct, s)
		}
	}
	return w
}

// workloads are the real tokens and random-order scaling from 10³ to 10⁶
// distinct keys (see baseline.RandomOrder), made on first use.
var workloads = []struct {
	name string
	make func(tb testing.TB) *workload
}{
	{"tokens", tokenWorkload},
	{"1e3", randomWorkload(1e3)},
	{"1e4", randomWorkload(1e4)},
	{"1e5", randomWorkload(1e5)},
	{"1e6", randomWorkload(1e6)},
}

func randomWorkload(n int) func(testing.TB) *workload {
	return func(testing.TB) *workload { return newWorkload(baseline.RandomOrder(n, 1<<16)) }
}

// runSeq runs op over w's sequence, serially and with RunParallel (each
// goroutine from its own starting point), as two sub-benchmarks.
func runSeq[R any](b *testing.B, n int, op func(i int) R) {
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		warm(b, n, op)
		var r R
		for i, j := 0, 0; i < b.N; i++ {
			r = op(j)
			if j++; j == n {
				j = 0
			}
		}
		keep(r)
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		warm(b, n, op)
		var next atomic.Uint64
		b.RunParallel(func(pb *testing.PB) {
			var r R
			j := int(next.Add(7919) % uint64(n))
			for pb.Next() {
				r = op(j)
				if j++; j == n {
					j = 0
				}
			}
			keep(r)
		})
	})
}

// warm runs op once over the sequence before the timer starts: the testing
// package collects garbage before every run, which empties String's front,
// and the hits measured are those between two collections.
// BenchmarkFirstUse measures the first use after a collection.
func warm[R any](b *testing.B, n int, op func(i int) R) {
	for j := range n {
		op(j)
	}
	b.ResetTimer()
}

// BenchmarkHit compares hits of every interner of the package on the real
// tokens and on 10³ to 10⁶ distinct keys in random order, beside a plain
// map[string]string lookup that returns the stored string (read-only, so
// unsynchronized also in parallel), the floor (see baseline.Floor), and
// unique.Make. Every key is interned before the timer starts, and held.
func BenchmarkHit(b *testing.B) {
	for _, wl := range workloads {
		b.Run("keys="+wl.name, func(b *testing.B) {
			w := wl.make(b)
			benchHits(b, w)
		})
	}
}

func benchHits(b *testing.B, w *workload) {
	m := make(map[string]string, len(w.distinct))
	pool := intern.NewPool()
	tab := new(intern.Table[string])
	held := make([]string, len(w.distinct))
	pins := make([]unique.Handle[string], len(w.distinct))
	for i, k := range w.distinct {
		m[k] = strings.Clone(k)
		pool.String(k)
		tab.ID(k)
		held[i] = intern.String(k)
		pins[i] = unique.Make(k)
	}
	floor := baseline.NewFloor(w.distinct)
	seq, seqBytes, n := w.seq, w.seqBytes, len(w.seq)
	b.Run("impl=map", func(b *testing.B) { runSeq(b, n, func(i int) string { return m[seq[i]] }) })
	b.Run("impl=floor", func(b *testing.B) { runSeq(b, n, func(i int) string { return floor.Lookup(seq[i]) }) })
	b.Run("impl=String", func(b *testing.B) { runSeq(b, n, func(i int) string { return intern.String(seq[i]) }) })
	b.Run("impl=Bytes", func(b *testing.B) { runSeq(b, n, func(i int) string { return intern.Bytes(seqBytes[i]) }) })
	b.Run("impl=Pool", func(b *testing.B) { runSeq(b, n, func(i int) string { return pool.String(seq[i]) }) })
	b.Run("impl=Table.ID", func(b *testing.B) { runSeq(b, n, func(i int) intern.Sym { return tab.ID(seq[i]) }) })
	b.Run("impl=unique.Make", func(b *testing.B) {
		runSeq(b, n, func(i int) string { return unique.Make(seq[i]).Value() })
	})
	runtime.KeepAlive(held)
	runtime.KeepAlive(pins)
}

// BenchmarkFirstUse measures the first sight of a new string, each op
// another 16-byte key never seen before, beside inserting it into a plain
// map[string]string (which stores the caller's string without a copy),
// and, for String, the first use of an interned string after a collection
// (impl=String-after-GC: the front was emptied, the weak set has it).
func BenchmarkFirstUse(b *testing.B) {
	fresh := func(b *testing.B) []string {
		b.StopTimer()
		keys := make([]string, b.N)
		for i := range keys {
			keys[i] = fmt.Sprintf("first-%010d", i)
		}
		b.StartTimer()
		return keys
	}
	b.Run("impl=map", func(b *testing.B) {
		b.ReportAllocs()
		keys, m := fresh(b), map[string]string{}
		for _, k := range keys {
			m[k] = k
		}
	})
	b.Run("impl=String", func(b *testing.B) {
		b.ReportAllocs()
		keys := fresh(b)
		held := make([]string, len(keys))
		for i, k := range keys {
			held[i] = intern.String(k)
		}
		b.StopTimer()
		runtime.KeepAlive(held)
	})
	b.Run("impl=Pool", func(b *testing.B) {
		b.ReportAllocs()
		keys, p := fresh(b), intern.NewPool()
		for _, k := range keys {
			p.String(k)
		}
	})
	b.Run("impl=Table.ID", func(b *testing.B) {
		b.ReportAllocs()
		keys, tab := fresh(b), new(intern.Table[string])
		for _, k := range keys {
			tab.ID(k)
		}
	})
	b.Run("impl=String-after-GC", func(b *testing.B) {
		b.ReportAllocs()
		keys := fresh(b)
		held := make([]string, len(keys))
		for i, k := range keys {
			held[i] = intern.String(k)
		}
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		for _, k := range keys {
			intern.String(k)
		}
		b.StopTimer()
		runtime.KeepAlive(held)
	})
}

// BenchmarkMostlyDistinct interns a sequence of which nine strings in ten
// are new, as a text log's tokens may be, beside what a program does
// without interning: copy each string (impl=copies).
func BenchmarkMostlyDistinct(b *testing.B) {
	seq := baseline.RandomOrder(1<<17, 1<<17+1<<17/9)
	b.Run("impl=copies", func(b *testing.B) {
		b.ReportAllocs()
		var r string
		for i := range b.N {
			r = strings.Clone(seq[i%len(seq)])
		}
		keep(r)
	})
	b.Run("impl=String", func(b *testing.B) {
		b.ReportAllocs()
		var r string
		for i := range b.N {
			r = intern.String(seq[i%len(seq)])
		}
		keep(r)
	})
	b.Run("impl=Pool", func(b *testing.B) {
		b.ReportAllocs()
		p := intern.NewPool()
		var r string
		for i := range b.N {
			r = p.String(seq[i%len(seq)])
		}
		keep(r)
	})
}

// BenchmarkStatsHit measures what counting hits costs a Pool hit: before
// the first Stats call (counting off, the default) and after (on).
func BenchmarkStatsHit(b *testing.B) {
	off, on := intern.NewPool(), intern.NewPool()
	on.Stats()
	for _, k := range benchKeys {
		off.String(k)
		on.String(k)
	}
	b.Run("stats=off", func(b *testing.B) {
		run(b, func(i int) string { return off.String(benchKeys[i]) })
	})
	b.Run("stats=on", func(b *testing.B) {
		run(b, func(i int) string { return on.String(benchKeys[i]) })
	})
}
