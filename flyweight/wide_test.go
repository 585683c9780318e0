package flyweight_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// wideKey returns key i of a wide record: keys of one length, distinct
// from those of any other prefix, so that the records of two measurements
// share no schema.
func wideKey(prefix string, i int) string { return fmt.Sprintf("%s%06d", prefix, i) }

// buildBySet builds a record of n keys by Set, key by key.
func buildBySet(prefix string, n int) *flyweight.Record[int] {
	r := new(flyweight.Record[int])
	for i := range n {
		r.Set(wideKey(prefix, i), i)
	}
	return r
}

// wideJSON returns the JSON object of the record buildBySet builds.
func wideJSON(prefix string, n int) []byte {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", wideKey(prefix, i), i)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// TestWideRecordBuiltBySetRetainsAsMuchAsDecoded: a record that gains its
// keys one by one keeps no schema of a shorter prefix of them, and its last
// schema shares the key storage the chain built, so it retains at most
// twice what the same record decoded from JSON at once retains (the spare
// capacity of growing arrays).
func TestWideRecordBuiltBySetRetainsAsMuchAsDecoded(t *testing.T) {
	skipMemory(t)
	for _, n := range []int{1000, 4000} {
		// The first record of that size grows process-wide structures
		// that stay: the storage types of its arrays' sizes, which
		// reflect.StructOf makes once (internal/slab), and the shards of
		// the schema registry's weak set, which keep their room within
		// their shrink policy. Neither is memory the record retains; a
		// record of other keys, built and dropped first, takes them out of
		// the measurement.
		buildBySet("w", n)
		set := memsize.Live(func() any { return buildBySet("s", n) })
		doc := wideJSON("d", n)
		decoded := memsize.Live(func() any {
			r := new(flyweight.Record[int])
			if err := r.UnmarshalJSON(doc); err != nil {
				t.Fatal(err)
			}
			return r
		})
		t.Logf("%d keys: built by Set %d bytes, decoded %d bytes: %.2f×", n, set, decoded, float64(set)/float64(decoded))
		if set > 2*decoded {
			t.Errorf("%d keys: a record built by Set retains %d bytes, %.1f× the %d of one decoded", n, set, float64(set)/float64(decoded), decoded)
		}
	}
}

// TestWideRecordBuildAllocatesConstantPerKey: building a record by Set
// allocates amortized O(1) bytes per key: as much per key at 8000 keys as at
// 1000, give or take the steps of growing arrays (a quadratic build would
// allocate eight times as much per key).
func TestWideRecordBuildAllocatesConstantPerKey(t *testing.T) {
	skipMemory(t)
	perKey := func(prefix string, n int) float64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := buildBySet(prefix, n)
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(r)
		return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	}
	small, large := perKey("a", 1000), perKey("b", 8000)
	t.Logf("bytes allocated per key: %.0f at 1000 keys, %.0f at 8000", small, large)
	if large > 2*small {
		t.Errorf("building a record of 8000 keys allocates %.0f bytes per key, %.1f× the %.0f per key at 1000", large, large/small, small)
	}
}

// TestDroppedWideRecordLeavesNothing: once a record built key by key is
// collected, the schemas and key storage of its chain go too, although the
// short schema it grew from stays in use (a schema holds the storage of the
// longer views made from it only weakly).
func TestDroppedWideRecordLeavesNothing(t *testing.T) {
	skipMemory(t)
	const n = 20000
	const first = "the first key of a chain that is dropped"
	root := slotdict.NewSchema(first)
	buildBySet("warm", n) // see TestWideRecordBuiltBySetRetainsAsMuchAsDecoded
	left := memsize.Live(func() any {
		r := new(flyweight.Record[int])
		r.Set(first, 0)
		if r.Schema() != root {
			t.Fatal("the record's first schema is not the one held")
		}
		for i := range n {
			r.Set(wideKey("gone", i), i)
		}
		return nil
	})
	runtime.KeepAlive(root)
	t.Logf("after a record of %d keys built by Set was dropped: %d bytes left", n, left)
	const most = 64 << 10
	if left > most {
		t.Errorf("a dropped record of %d keys leaves %d bytes, want at most %d", n, left, most)
	}
}
