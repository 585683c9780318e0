package intern_test

import (
	"fmt"
	"testing"
	"unique"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// memEntries distinct strings of 16 bytes each are interned by every
// memory case.
const memEntries = 100_000

var memKeys = func() []string {
	keys := make([]string, memEntries)
	for i := range keys {
		keys[i] = fmt.Sprintf("key-%012d", i)
	}
	return keys
}()

// memoryCases measure the live heap each interner retains per distinct
// string, string bytes included. held is what the caller's slice of results
// costs per entry (8 bytes a handle, 16 a string header); it is subtracted,
// so that each figure is what the interner itself retains.
var memoryCases = []struct {
	name  string
	held  int
	build func() any
}{
	{"Pool", 0, func() any {
		p := intern.NewPool()
		for _, k := range memKeys {
			p.String(k)
		}
		return p
	}},
	{"Table", 0, func() any {
		tab := new(intern.Table[string])
		for _, k := range memKeys {
			tab.ID(k)
		}
		return tab
	}},
	{"mutex-map", 0, func() any {
		m := baseline.NewMutexInterner()
		for _, k := range memKeys {
			m.String(string([]byte(k)))
		}
		return m
	}},
	{"sync.Map", 0, func() any {
		var m baseline.SyncMapInterner
		for _, k := range memKeys {
			m.String(string([]byte(k)))
		}
		return &m
	}},
	{"unique.Make", 8, func() any { // handles held: the entries stay
		hs := make([]unique.Handle[string], memEntries)
		for i, k := range memKeys {
			hs[i] = unique.Make(k)
		}
		return hs
	}},
	// String's entries live while their strings do: holding the results
	// keeps the entries, whose cost is measured here beside the bytes.
	{"intern.String", 16, func() any {
		ss := make([]string, memEntries)
		for i, k := range memKeys {
			ss[i] = intern.String(k)
		}
		return ss
	}},
}

func measureEntries(name string) float64 {
	for _, c := range memoryCases {
		if c.name == name {
			return memsize.PerObject(memEntries, c.build) - float64(c.held)
		}
	}
	panic("no memory case " + name)
}

func skipMemory(tb testing.TB) {
	gctest.SkipIfRace(tb)
	gctest.SkipIfCheckingFinalizers(tb, "checks each of unique's 10⁵ cleanups at every GC")
}

// TestBytesPerEntry holds Pool to its budget of 100 bytes per distinct
// string beyond the string's own 16, and String to retaining no more per
// string held than unique.Make per handle held. BenchmarkMemory reports
// every figure.
func TestBytesPerEntry(t *testing.T) {
	skipMemory(t)
	if pool := measureEntries("Pool"); pool-16 > 100 {
		t.Errorf("Pool retains %.1f bytes per entry beyond the string's 16; the budget is 100", pool-16)
	}
	if s, u := measureEntries("intern.String"), measureEntries("unique.Make"); s > u {
		t.Errorf("String retains %.1f bytes per string held, more than unique.Make's %.1f per handle held", s, u)
	}
}

// BenchmarkMemory reports the bytes per distinct 16-byte string (B/entry)
// of every interner, from one measurement of 10⁵ strings per case; run it
// with -benchtime=1x.
func BenchmarkMemory(b *testing.B) {
	skipMemory(b)
	for _, c := range memoryCases {
		b.Run("impl="+c.name, func(b *testing.B) {
			gctest.Measure(b, "B/entry", func() float64 { return measureEntries(c.name) })
		})
	}
}
