package intern_test

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"strings"
	"testing"
	"unique"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
)

// benchKeys are the keys of the benchmarks run with baseline.RunKeys.
var benchKeys = baseline.Keys()

var benchBytes = baseline.Bytes(benchKeys)

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
	baseline.RunKeys(b, "impl=intern.String", func(i int) string { return intern.String(benchKeys[i]) })
	baseline.RunKeys(b, "impl=unique.Make", func(i int) string { return unique.Make(benchKeys[i]).Value() })
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
	baseline.RunKeys(b, "impl=intern.Bytes", func(i int) string { return intern.Bytes(benchBytes[i]) })
	baseline.RunKeys(b, "impl=unique.Make", func(i int) string { return unique.Make(string(benchBytes[i])).Value() })
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
	baseline.RunKeys(b, "impl=Pool.String", func(i int) string { return p.String(benchKeys[i]) })
	baseline.RunKeys(b, "impl=Pool.Bytes", func(i int) string { return p.Bytes(benchBytes[i]) })
	baseline.RunKeys(b, "impl=mutex-map", func(i int) string { return mp.String(benchKeys[i]) })
}

func BenchmarkTable(b *testing.B) {
	tab := new(intern.Table[string])
	ids := make([]intern.Sym, len(benchKeys))
	for i, k := range benchKeys {
		ids[i] = tab.ID(k)
	}
	baseline.RunKeys(b, "op=ID", func(i int) intern.Sym { return tab.ID(benchKeys[i]) })
	baseline.RunKeys(b, "op=Value", func(i int) string { return tab.Value(ids[i]) })
	// The floor Value is measured against: indexing a plain slice.
	baseline.RunKeys(b, "op=slice-index", func(i int) string { return benchKeys[ids[i]-1] })
}

// BenchmarkStringHash compares the two hashes of a string the package could
// use: Pool and String use maphash.String, Table (for any T)
// maphash.Comparable.
func BenchmarkStringHash(b *testing.B) {
	seed := maphash.MakeSeed()
	baseline.RunKeys(b, "impl=maphash.String", func(i int) uint64 { return maphash.String(seed, benchKeys[i]) })
	baseline.RunKeys(b, "impl=maphash.Comparable", func(i int) uint64 { return maphash.Comparable(seed, benchKeys[i]) })
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

// BenchmarkHit compares hits of every interner of the package on the real
// tokens and on 10³ to 10⁶ distinct keys in random order, beside a plain
// map[string]string lookup that returns the stored string (read-only, so
// unsynchronized also in parallel), the floor (see baseline.Floor), and
// unique.Make. Every key is interned before the timer starts, and held, and
// each run first goes once over the sequence (see baseline.RunSeq):
// BenchmarkFirstUse measures the first use after a collection.
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
	baseline.RunSeq(b, "impl=map", n, func(i int) string { return m[seq[i]] })
	baseline.RunSeq(b, "impl=floor", n, func(i int) string { return floor.Lookup(seq[i]) })
	baseline.RunSeq(b, "impl=String", n, func(i int) string { return intern.String(seq[i]) })
	baseline.RunSeq(b, "impl=Bytes", n, func(i int) string { return intern.Bytes(seqBytes[i]) })
	baseline.RunSeq(b, "impl=Pool", n, func(i int) string { return pool.String(seq[i]) })
	baseline.RunSeq(b, "impl=Table.ID", n, func(i int) intern.Sym { return tab.ID(seq[i]) })
	baseline.RunSeq(b, "impl=unique.Make", n, func(i int) string { return unique.Make(seq[i]).Value() })
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
	for _, impl := range []struct {
		name string
		op   func() func(string) string // a fresh one for each run
	}{
		{"copies", func() func(string) string { return strings.Clone }},
		{"String", func() func(string) string { return intern.String }},
		{"Pool", func() func(string) string { return intern.NewPool().String }},
	} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			op := impl.op()
			var r string
			for i := range b.N {
				r = op(seq[i%len(seq)])
			}
			baseline.Keep(r)
		})
	}
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
	baseline.RunKeys(b, "stats=off", func(i int) string { return off.String(benchKeys[i]) })
	baseline.RunKeys(b, "stats=on", func(i int) string { return on.String(benchKeys[i]) })
}
