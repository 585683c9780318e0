package flyweight_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

var sinkFrame *flyweight.Frame

// BenchmarkDecodeFrameScaling reports the time per record (ns/record) of
// decoding 1e3 to 1e6 uniform records into a Frame: flat if decoding is
// linear in its input.
func BenchmarkDecodeFrameScaling(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		b.Run("records="+strings.Replace(fmt.Sprintf("%.0e", float64(n)), "e+0", "e", 1), func(b *testing.B) {
			doc := frameShapes[0].doc(n)
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				f, err := flyweight.DecodeFrame(bytes.NewReader(doc))
				if err != nil {
					b.Fatal(err)
				}
				sinkFrame = f
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		})
	}
}

// frameReads is the data of the read benchmarks: cities-like records as a
// Frame and as the maps encoding/json decodes them into.
type frameReads struct {
	f    *flyweight.Frame
	strs []map[string]string
	anys []map[string]any
}

var readRows = sync.OnceValue(func() (r frameReads) {
	doc := citiesLike(1 << 12)
	r.f = must(flyweight.DecodeFrame(bytes.NewReader(doc)))
	if err := json.Unmarshal(doc, &r.strs); err != nil {
		panic(err)
	}
	if err := json.Unmarshal(doc, &r.anys); err != nil {
		panic(err)
	}
	return r
})

// readColumns are the columns of readRows the read benchmarks read, by the
// encoding their Frame column has (TestFrameReadColumnsEncodings checks it).
var readColumns = []struct{ encoding, key string }{{"dictionary", "country"}, {"packed", "name"}}

var (
	sinkString string
	sinkAny    any
)

// BenchmarkFrameString compares Frame.String with a lookup in the
// map[string]string of the same row.
func BenchmarkFrameString(b *testing.B) {
	r := readRows()
	benchReads(b, r.strs, &sinkString, func(b *testing.B, key string) {
		for i := 0; b.Loop(); i++ {
			sinkString, _ = r.f.String(i&(len(r.strs)-1), key)
		}
	})
}

// BenchmarkFrameGet compares Frame.Get with a lookup in the map[string]any
// that encoding/json decodes the same row into.
func BenchmarkFrameGet(b *testing.B) {
	r := readRows()
	benchReads(b, r.anys, &sinkAny, func(b *testing.B, key string) {
		for i := 0; b.Loop(); i++ {
			sinkAny, _ = r.f.Get(i&(len(r.anys)-1), key)
		}
	})
}

// benchReads runs the sub-benchmarks of a read, for a dictionary column
// and a packed one: a lookup in the maps of the rows, reading the rows in
// turn, beside frame, the loop of the Frame's method over the same rows;
// sink keeps what the maps give.
func benchReads[V any](b *testing.B, maps []map[string]V, sink *V, frame func(b *testing.B, key string)) {
	for _, c := range readColumns {
		b.Run("impl=map/column="+c.encoding, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				*sink = maps[i&(len(maps)-1)][c.key]
			}
		})
		b.Run("impl=frame/column="+c.encoding, func(b *testing.B) {
			b.ReportAllocs()
			frame(b, c.key)
		})
	}
}
