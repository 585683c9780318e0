package bench

import (
	"fmt"
	"sync"
	"testing"
	"unique"

	josharian "github.com/josharian/intern"
	go4 "go4.org/intern"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// BenchmarkInternString interns strings that are already interned (hits),
// the common case, with every interner on the same keys. The weak ones are
// kept from forgetting the keys by holding what pins their entries.
func BenchmarkInternString(b *testing.B) {
	pool := intern.NewPool()
	tab := new(intern.Table[string])
	mi := baseline.NewMutexInterner()
	var si baseline.SyncMapInterner
	pins := make([]any, 0, 3*len(keys))
	for _, k := range keys {
		pins = append(pins, intern.String(k)) // its entry lives while the string does
		pool.String(k)
		tab.ID(k)
		mi.String(k)
		si.String(k)
		josharian.String(k)
		pins = append(pins, unique.Make(k), go4.GetByString(k))
	}
	baseline.RunKeys(b, "impl=intern.String", func(i int) string { return intern.String(keys[i]) })
	baseline.RunKeys(b, "impl=intern.Pool", func(i int) string { return pool.String(keys[i]) })
	baseline.RunKeys(b, "impl=intern.Table.ID", func(i int) intern.Sym { return tab.ID(keys[i]) })
	baseline.RunKeys(b, "impl=unique.Make", func(i int) string { return unique.Make(keys[i]).Value() })
	baseline.RunKeys(b, "impl=go4-intern", func(i int) string { return go4.GetByString(keys[i]).Get().(string) })
	baseline.RunKeys(b, "impl=josharian-intern", func(i int) string { return josharian.String(keys[i]) })
	baseline.RunKeys(b, "impl=sync.Map", func(i int) string { return si.String(keys[i]) })
	baseline.RunKeys(b, "impl=mutex-map", func(i int) string { return mi.String(keys[i]) })
	baseline.Keep(pins)
}

// BenchmarkInternBytes interns from a []byte, as a decoder does, where the
// interner allows it without allocating.
func BenchmarkInternBytes(b *testing.B) {
	pool := intern.NewPool()
	pins := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		pool.String(k)
		josharian.String(k)
		pins = append(pins, intern.String(k), unique.Make(k))
	}
	baseline.RunKeys(b, "impl=intern.Bytes", func(i int) string { return intern.Bytes(keyBytes[i]) })
	baseline.RunKeys(b, "impl=intern.Pool.Bytes", func(i int) string { return pool.Bytes(keyBytes[i]) })
	baseline.RunKeys(b, "impl=josharian-intern", func(i int) string { return josharian.Bytes(keyBytes[i]) })
	baseline.RunKeys(b, "impl=unique.Make", func(i int) string { return unique.Make(string(keyBytes[i])).Value() })
	baseline.Keep(pins)
}

// internEntries distinct strings of 16 bytes each are interned by every
// memory case.
const internEntries = 100_000

var entryKeys = func() []string {
	out := make([]string, internEntries)
	for i := range out {
		out[i] = fmt.Sprintf("key-%012d", i)
	}
	return out
}()

// BenchmarkInternMemory reports the live heap per distinct 16-byte string
// (B/entry, the string's bytes included) that each interner retains while
// its entries are pinned the way it needs: by the interner itself for the
// strong ones, by holding handles (*Value for go4.org/intern,
// unique.Handle for unique.Make) or the strings (intern.String) for the
// weak ones, minus the 8 bytes of each held handle or the 16 of each held
// string header. Every interner gets its own copy of each string, as from
// a decoder. Run it with -benchtime=1x.
func BenchmarkInternMemory(b *testing.B) {
	for _, c := range []struct {
		name    string
		measure func() float64
	}{
		{"intern.Pool", perEntry(0, func() any {
			p := intern.NewPool()
			for _, k := range entryKeys {
				p.String(string([]byte(k)))
			}
			return p
		})},
		{"intern.Table", perEntry(0, func() any {
			t := new(intern.Table[string])
			for _, k := range entryKeys {
				t.ID(string([]byte(k)))
			}
			return t
		})},
		{"intern.String", perEntry(16, func() any {
			ss := make([]string, len(entryKeys))
			for i, k := range entryKeys {
				ss[i] = intern.String(string([]byte(k)))
			}
			return ss
		})},
		{"unique.Make", perEntry(8, func() any {
			hs := make([]unique.Handle[string], len(entryKeys))
			for i, k := range entryKeys {
				hs[i] = unique.Make(string([]byte(k)))
			}
			return hs
		})},
		{"go4-intern", go4Memory},
		{"sync.Map", perEntry(0, func() any {
			var si baseline.SyncMapInterner
			for _, k := range entryKeys {
				si.String(string([]byte(k)))
			}
			return &si
		})},
		{"mutex-map", perEntry(0, func() any {
			mi := baseline.NewMutexInterner()
			for _, k := range entryKeys {
				mi.String(string([]byte(k)))
			}
			return mi
		})},
	} {
		b.Run("impl="+c.name, func(b *testing.B) { gctest.Measure(b, "B/entry", c.measure) })
	}
}

// perEntry returns the measurement of the bytes per entry that fill
// retains, less the held bytes per entry of what it returns.
func perEntry(held int, fill func() any) func() float64 {
	return func() float64 { return memsize.PerObject(internEntries, fill) - float64(held) }
}

// go4Memory measures go4.org/intern at its first fill in the process, and
// returns that figure ever after: its global map never shrinks, so later
// fills would reuse the buckets of the first and not count them.
var go4Memory = sync.OnceValue(perEntry(8, func() any {
	vs := make([]*go4.Value, len(entryKeys))
	for i, k := range entryKeys {
		vs[i] = go4.GetByString(string([]byte(k)))
	}
	return vs
}))
