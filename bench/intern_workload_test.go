package bench

import (
	"strings"
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
			baseline.RunSeq(b, "impl=map", n, func(i int) string { return m[seq[i]] })
			baseline.RunSeq(b, "impl=floor", n, func(i int) string { return floor.Lookup(seq[i]) })
			baseline.RunSeq(b, "impl=intern.String", n, func(i int) string { return intern.String(seq[i]) })
			baseline.RunSeq(b, "impl=intern.Bytes", n, func(i int) string { return intern.Bytes(seqBytes[i]) })
			baseline.RunSeq(b, "impl=intern.Pool", n, func(i int) string { return pool.String(seq[i]) })
			baseline.RunSeq(b, "impl=intern.Table.ID", n, func(i int) intern.Sym { return tab.ID(seq[i]) })
			baseline.RunSeq(b, "impl=intern.Table.IDBytes", n, func(i int) intern.Sym { return tab.IDBytes(seqBytes[i]) })
			baseline.RunSeq(b, "impl=unique.Make", n, func(i int) string { return unique.Make(seq[i]).Value() })
			baseline.RunSeq(b, "impl=josharian-intern", n, func(i int) string { return josharian.String(seq[i]) })
			baseline.RunSeq(b, "impl=go4-intern", n, func(i int) string { return go4.GetByString(seq[i]).Get().(string) })
			baseline.Keep(pins)
		})
	}
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
		baseline.Keep(r)
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
