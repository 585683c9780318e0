package bench

import (
	"strings"
	"sync/atomic"
	"testing"
	"unique"

	josharian "github.com/josharian/intern"
	go4 "go4.org/intern"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
)

// internWorkloads are the real tokens (the identifiers and string literals
// of GOROOT/src/net/http and GOROOT/src/go in source order) and 10³ to 10⁶
// distinct keys in random order (see baseline.GoTokens and
// baseline.RandomOrder).
var internWorkloads = []struct {
	name string
	seq  func(b *testing.B) []string
}{
	{"tokens", func(b *testing.B) []string {
		seq, err := baseline.GorootTokens()
		if err != nil {
			b.Skipf("the Go sources of GOROOT are not readable: %v", err)
		}
		return seq
	}},
	{"1e3", randomSeq(1e3)},
	{"1e4", randomSeq(1e4)},
	{"1e5", randomSeq(1e5)},
	{"1e6", randomSeq(1e6)},
}

func randomSeq(n int) func(*testing.B) []string {
	return func(*testing.B) []string { return baseline.RandomOrder(n, 1<<16) }
}

// BenchmarkInternHit compares hits of every interner on the real tokens and
// at 10³ to 10⁶ distinct keys, serially and with RunParallel, beside a
// plain map[string]string lookup (read-only, so unsynchronized also in
// parallel) and the floor (maphash and one comparison, see baseline.Floor).
// Every key is interned before the timer starts, and what pins the weak
// interners' entries is held; each run first goes once over the sequence,
// so that String's front holds the hot set, as it does between two
// collections.
func BenchmarkInternHit(b *testing.B) {
	for _, wl := range internWorkloads {
		b.Run("keys="+wl.name, func(b *testing.B) {
			seq := wl.seq(b)
			seqBytes := make([][]byte, len(seq))
			m := map[string]string{}
			pool := intern.NewPool()
			tab := new(intern.Table[string])
			var pins []any
			for i, k := range seq {
				seqBytes[i] = []byte(k)
				if _, ok := m[k]; ok {
					continue
				}
				m[k] = strings.Clone(k)
				pool.String(k)
				tab.ID(k)
				josharian.String(k)
				pins = append(pins, intern.String(k), unique.Make(k), go4.GetByString(k))
			}
			distinct := make([]string, 0, len(m))
			for k := range m {
				distinct = append(distinct, k)
			}
			floor := baseline.NewFloor(distinct)
			n := len(seq)
			runSeq(b, "impl=map", n, func(i int) string { return m[seq[i]] })
			runSeq(b, "impl=floor", n, func(i int) string { return floor.Lookup(seq[i]) })
			runSeq(b, "impl=intern.String", n, func(i int) string { return intern.String(seq[i]) })
			runSeq(b, "impl=intern.Bytes", n, func(i int) string { return intern.Bytes(seqBytes[i]) })
			runSeq(b, "impl=intern.Pool", n, func(i int) string { return pool.String(seq[i]) })
			runSeq(b, "impl=intern.Table.ID", n, func(i int) intern.Sym { return tab.ID(seq[i]) })
			runSeq(b, "impl=intern.Table.IDBytes", n, func(i int) intern.Sym { return tab.IDBytes(seqBytes[i]) })
			runSeq(b, "impl=unique.Make", n, func(i int) string { return unique.Make(seq[i]).Value() })
			runSeq(b, "impl=josharian-intern", n, func(i int) string { return josharian.String(seq[i]) })
			runSeq(b, "impl=go4-intern", n, func(i int) string { return go4.GetByString(seq[i]).Get().(string) })
			keep(pins)
		})
	}
}

// runSeq runs op over a sequence of n, serially and with RunParallel (each
// goroutine from its own starting point), after one untimed pass.
func runSeq[R any](b *testing.B, name string, n int, op func(i int) R) {
	warm := func(b *testing.B) {
		for j := range n {
			op(j)
		}
		b.ResetTimer()
	}
	b.Run(name+"/serial", func(b *testing.B) {
		b.ReportAllocs()
		warm(b)
		var r R
		for i, j := 0, 0; i < b.N; i++ {
			r = op(j)
			if j++; j == n {
				j = 0
			}
		}
		keep(r)
	})
	b.Run(name+"/parallel", func(b *testing.B) {
		b.ReportAllocs()
		warm(b)
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

// BenchmarkInternMostlyDistinct interns a sequence of which nine strings in
// ten are new, beside copying each string (impl=copies), what a program
// does without interning, and a map.
func BenchmarkInternMostlyDistinct(b *testing.B) {
	seq := baseline.RandomOrder(1<<17, 1<<17+1<<17/9)
	one := func(b *testing.B, op func(string) string) {
		b.ReportAllocs()
		var r string
		for i := range b.N {
			r = op(seq[i%len(seq)])
		}
		keep(r)
	}
	b.Run("impl=copies", func(b *testing.B) { one(b, strings.Clone) })
	b.Run("impl=map", func(b *testing.B) {
		m := map[string]string{}
		one(b, func(s string) string {
			if c, ok := m[s]; ok {
				return c
			}
			c := strings.Clone(s)
			m[c] = c
			return c
		})
	})
	b.Run("impl=intern.String", func(b *testing.B) { one(b, intern.String) })
	b.Run("impl=intern.Pool", func(b *testing.B) { one(b, intern.NewPool().String) })
	b.Run("impl=unique.Make", func(b *testing.B) { one(b, func(s string) string { return unique.Make(s).Value() }) })
	b.Run("impl=josharian-intern", func(b *testing.B) { one(b, josharian.String) })
	b.Run("impl=go4-intern", func(b *testing.B) {
		one(b, func(s string) string { return go4.GetByString(s).Get().(string) })
	})
}
