package intern_test

import (
	"fmt"
	"sync"
	"testing"
	"unique"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/internal/race"
)

// distinct16 returns n distinct strings of 16 bytes.
func distinct16(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("key-%012d", i)
	}
	return keys
}

// TestBytesPerEntry measures the live heap per distinct entry of each
// interner for 10⁵ distinct 16-byte strings, and holds Pool to its budget of
// 100 bytes beyond the string's own 16. Run with -v to see every figure.
func TestBytesPerEntry(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation sizes; the plain go test run checks this")
	}
	if gctest.CheckingFinalizers() {
		t.Skip("checkfinalizers checks each of unique's 10⁵ cleanups at every GC; the plain go test run measures this")
	}
	const n = 100_000
	keys := distinct16(n)
	// Each figure is the live heap per entry minus what the caller's
	// slice of results costs (8 bytes a handle, 16 a string header), so that
	// it is what the interner itself retains, string bytes included.
	measure := func(held int, build func() any) float64 {
		return memsize.PerObject(n, build) - float64(held)
	}
	pool := measure(0, func() any {
		p := intern.NewPool()
		for _, k := range keys {
			p.String(k)
		}
		return p
	})
	table := measure(0, func() any {
		tab := intern.NewTable[string]()
		for _, k := range keys {
			tab.ID(k)
		}
		return tab
	})
	mutexMap := measure(0, func() any {
		m := &mutexPool{m: map[string]string{}}
		for _, k := range keys {
			m.String(string([]byte(k)))
		}
		return m
	})
	syncMap := measure(0, func() any {
		var m sync.Map
		for _, k := range keys {
			c := string([]byte(k))
			m.LoadOrStore(c, c)
		}
		return &m
	})
	handles := measure(8, func() any {
		hs := make([]unique.Handle[string], n)
		for i, k := range keys {
			hs[i] = unique.Make(k)
		}
		return hs
	})
	// String's entries live while their handles do: the front holds them
	// until a collection, and memsize collects before it reads the heap.
	// What a caller holding the results retains is then the bytes alone.
	strs := measure(16, func() any {
		ss := make([]string, n)
		for i, k := range keys {
			ss[i] = intern.String(k)
		}
		return ss
	})
	t.Logf("bytes per distinct 16-byte string, string bytes included, %d strings:", n)
	t.Logf("  intern.Pool                          %6.1f", pool)
	t.Logf("  intern.Table                         %6.1f", table)
	t.Logf("  map[string]string behind a mutex     %6.1f", mutexMap)
	t.Logf("  sync.Map                             %6.1f", syncMap)
	t.Logf("  unique.Make, handles held            %6.1f", handles)
	t.Logf("  intern.String, results held          %6.1f", strs)
	if pool-16 > 100 {
		t.Errorf("Pool retains %.1f bytes per entry beyond the string's 16; the budget is 100", pool-16)
	}
	if strs > handles {
		t.Errorf("String retains %.1f bytes per string held, more than unique.Make's %.1f per handle held", strs, handles)
	}
}
