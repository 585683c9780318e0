package flyweight_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// A frameShape makes a JSON Lines document of n records of one shape, for
// the tests of how decoding scales.
type frameShape struct {
	name  string
	sizes []int // the record counts measured (more under !testing.Short)
	doc   func(n int) []byte
}

// writeRecords returns the JSON Lines of n records, record i written by
// record into the buffer.
func writeRecords(n int, record func(b *bytes.Buffer, i int)) []byte {
	var b bytes.Buffer
	for i := range n {
		record(&b, i)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var frameShapes = []frameShape{
	// Rows of one layout, of cities' kinds of values: few distinct values,
	// distinct strings, numbers.
	{"uniform", []int{1e3, 1e4, 1e5}, func(n int) []byte {
		return writeRecords(n, func(b *bytes.Buffer, i int) {
			fmt.Fprintf(b, `{"name": "place %d", "country": "C%d", "lat": "%d.%04d", "pop": %d, "capital": %v}`, i, i%250, i%90, i%9999, i*7, i%97 == 0)
		})
	}},
	// Every value new: a dictionary column of values that come twice (so
	// that it stays one), growing to n/2 entries; arrays of new strings,
	// growing the Frame's dictionary; packed strings and numbers.
	{"distinct", []int{1e3, 1e4, 1e5}, func(n int) []byte {
		return writeRecords(n, func(b *bytes.Buffer, i int) {
			fmt.Fprintf(b, `{"d": "%060d", "tags": ["t%d", "u%d"], "s": "s%d", "f": %d.5}`, i/2, i, i, i, i)
		})
	}},
	// Rows of 1000 keys.
	{"wide", []int{10, 100, 1000}, func(n int) []byte {
		return writeRecords(n, func(b *bytes.Buffer, i int) {
			b.WriteByte('{')
			for k := range 1000 {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, `"key%04d":%d`, k, (i+k)%10)
			}
			b.WriteByte('}')
		})
	}},
	// A key set of its own for every row: the subset of 20 keys that the
	// bits of a permutation of the row's number choose.
	{"layouts", []int{1e3, 1e4, 1e5}, func(n int) []byte {
		return writeRecords(n, func(b *bytes.Buffer, i int) {
			bits := uint32(i) * 0x9E3779B1 >> 12 // a bijection of [0, 2²⁰)
			b.WriteString(`{"id": ` + fmt.Sprint(i))
			for k := range 20 {
				if bits&(1<<k) != 0 {
					fmt.Fprintf(b, `, "k%d": "v%d"`, k, i%3)
				}
			}
			b.WriteByte('}')
		})
	}},
	// A new key in every row: a column, and a layout, per row.
	{"new keys", []int{1e3, 1e4, 1e5}, func(n int) []byte {
		return writeRecords(n, func(b *bytes.Buffer, i int) { fmt.Fprintf(b, `{"id": %d, "key%d": "v"}`, i, i) })
	}},
}

// decodeCost decodes doc into a Frame and returns the heap allocations the
// decode made and the bytes the Frame retains.
func decodeCost(tb testing.TB, doc []byte) (mallocs uint64, retained int64) {
	retained = memsize.Live(func() any {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f, err := flyweight.DecodeFrame(bytes.NewReader(doc))
		runtime.ReadMemStats(&after)
		if err != nil {
			tb.Fatal(err)
		}
		mallocs = after.Mallocs - before.Mallocs
		return f
	})
	runtime.KeepAlive(doc) // the input is not the Frame's
	return mallocs, retained
}

// Decoding n records allocates and retains at most this many times per
// record what it does for the fewest records measured: costs per record
// that grew with n would be steps quadratic in rows, keys or values.
const (
	scalingAllocFactor = 1.5
	scalingBytesFactor = 1.5
)

// TestFrameDecodeScalesLinearly: for uniform rows, all-distinct values,
// rows of 1000 keys, a layout per row and a new key per row, the heap
// allocations and the retained bytes per record of a Frame stay flat from
// 1e3 to 1e5 records (1e6 without -short).
func TestFrameDecodeScalesLinearly(t *testing.T) {
	skipMemory(t)
	for _, s := range frameShapes {
		t.Run(s.name, func(t *testing.T) {
			sizes := s.sizes
			if !testing.Short() {
				sizes = append(sizes, 10*sizes[len(sizes)-1])
			}
			var allocs0, bytes0 float64
			for k, n := range sizes {
				mallocs, retained := decodeCost(t, s.doc(n))
				allocs, bytes := float64(mallocs)/float64(n), float64(retained)/float64(n)
				t.Logf("%8d records: %8.3f allocations, %9.1f B retained per record", n, allocs, bytes)
				if k == 0 {
					allocs0, bytes0 = allocs, bytes
					continue
				}
				if allocs > scalingAllocFactor*allocs0 {
					t.Errorf("%d records: %.3f allocations per record, more than %.1f× the %.3f of %d", n, allocs, scalingAllocFactor, allocs0, sizes[0])
				}
				if bytes > scalingBytesFactor*bytes0 {
					t.Errorf("%d records: %.1f B per record, more than %.1f× the %.1f of %d", n, bytes, scalingBytesFactor, bytes0, sizes[0])
				}
			}
		})
	}
}
