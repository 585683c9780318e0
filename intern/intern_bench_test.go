package intern_test

import (
	"fmt"
	"go/scanner"
	"go/token"
	"hash/maphash"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// tokenWorkload returns the identifiers and string literals of the Go
// sources of GOROOT/src/net/http and GOROOT/src/go, in source order: a real
// working set of a few tens of thousands of distinct short strings, most
// met many times. It skips b if those sources are absent.
func tokenWorkload(b testing.TB) *workload {
	b.Helper()
	var seq []string
	root := filepath.Join(runtime.GOROOT(), "src")
	for _, dir := range []string{"net/http", "go"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var s scanner.Scanner
			s.Init(token.NewFileSet().AddFile(path, -1, len(src)), src, nil, 0)
			for {
				_, tok, lit := s.Scan()
				if tok == token.EOF {
					break
				}
				if tok == token.IDENT || tok == token.STRING {
					seq = append(seq, strings.Clone(lit))
				}
			}
			return nil
		})
		if err != nil {
			b.Skipf("the Go sources of GOROOT (%s) are not readable: %v", root, err)
		}
	}
	if len(seq) == 0 {
		b.Skipf("no Go sources under %s/{net/http,go}", root)
	}
	return newWorkload(seq)
}

// randomWorkload returns n distinct keys of 6 to 21 bytes, met in random
// order: every key once, then as many random picks as make the sequence at
// least 1<<16 long, all shuffled. Each string of the sequence is a copy of
// its own, as from a decoder.
func randomWorkload(n int) *workload {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("%0*x", 6+i%16, r.Uint64()&(1<<(4*min(6+i%16, 16))-1)|uint64(i)<<20)
	}
	seq := make([]string, max(n, 1<<16))
	for i := range seq {
		k := keys[i%n]
		if i >= n {
			k = keys[r.IntN(n)]
		}
		seq[i] = strings.Clone(k)
	}
	r.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })
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
// distinct keys, made on first use.
var workloads = []struct {
	name string
	make func(b testing.TB) *workload
}{
	{"tokens", tokenWorkload},
	{"1e3", func(testing.TB) *workload { return randomWorkload(1e3) }},
	{"1e4", func(testing.TB) *workload { return randomWorkload(1e4) }},
	{"1e5", func(testing.TB) *workload { return randomWorkload(1e5) }},
	{"1e6", func(testing.TB) *workload { return randomWorkload(1e6) }},
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

// floorTable is the least an interner's hit can cost: the hash of the
// string, one load from a table sized for the keys, and one comparison. It
// is a direct-mapped table of strings, so it needs no probing; a collision
// only makes the comparison fail.
type floorTable struct {
	seed  maphash.Seed
	mask  uint64
	slots []string
}

func newFloorTable(keys []string) *floorTable {
	size := 1
	for size < 2*len(keys) {
		size *= 2
	}
	f := &floorTable{seed: maphash.MakeSeed(), mask: uint64(size - 1), slots: make([]string, size)}
	for _, k := range keys {
		f.slots[maphash.String(f.seed, k)&f.mask] = strings.Clone(k)
	}
	return f
}

func (f *floorTable) lookup(s string) string {
	if c := f.slots[maphash.String(f.seed, s)&f.mask]; c == s {
		return c
	}
	return s
}

// BenchmarkHit compares hits of every interner of the package on the real
// tokens and on 10³ to 10⁶ distinct keys in random order, beside a plain
// map[string]string lookup that returns the stored string (read-only, so
// unsynchronized also in parallel), the floor (see floorTable), and
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
	floor := newFloorTable(w.distinct)
	seq, seqBytes, n := w.seq, w.seqBytes, len(w.seq)
	b.Run("impl=map", func(b *testing.B) { runSeq(b, n, func(i int) string { return m[seq[i]] }) })
	b.Run("impl=floor", func(b *testing.B) { runSeq(b, n, func(i int) string { return floor.lookup(seq[i]) }) })
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
