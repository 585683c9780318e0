package flyweight_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// A heapSampler is a reader that, before each read of the one it wraps,
// collects and samples the live heap: what the decoder reading it holds
// at that moment.
type heapSampler struct {
	r          io.Reader
	base, peak uint64
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc // after a collection that nothing followed: the live heap
}

func (s *heapSampler) Read(p []byte) (int, error) {
	if live := liveHeap(); live > s.base {
		s.peak = max(s.peak, live-s.base)
	}
	return s.r.Read(p)
}

// citiesLike returns a JSON array of n records of the cities' shape: six
// short strings, a name and coordinates mostly distinct, a country of
// 250, first- and second-level divisions of a few thousand.
func citiesLike(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		admin2 := ""
		if i%3 != 0 {
			admin2 = fmt.Sprint(i % 4099)
		}
		fmt.Fprintf(&b, `{"country":"C%d","name":"Place %d","lat":"%d.%05d","lng":"-%d.%05d","admin1":"%02d","admin2":"%s"}`,
			i%250, i, i%90, i*7%100000, i%180, i*13%100000, i%61, admin2)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// TestFrameDecodePeakMemory: while Decode runs, the heap it holds (sampled
// at every read of its input, the input itself excluded) stays at most
// twice the final Frame, plus one block of rows: the input of BlockLen
// records, for the column blocks being filled and the scratch space of
// decoding.
func TestFrameDecodePeakMemory(t *testing.T) {
	skipMemory(t)
	for _, c := range []struct {
		name string
		doc  func(testing.TB) []byte
	}{
		{"cities-like", func(testing.TB) []byte { return citiesLike(1e5) }},
		{"cities", citiesOrSkip},
		{"mixed", mixedOrSkip},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := c.doc(t)
			s := &heapSampler{r: bytes.NewReader(doc), base: liveHeap()}
			f, err := flyweight.DecodeFrame(s)
			if err != nil {
				t.Fatal(err)
			}
			final := int64(liveHeap()) - int64(s.base)
			runtime.KeepAlive(f)
			runtime.KeepAlive(doc)
			block := int64(flyweight.BlockLen) * int64(len(doc)) / int64(f.Len())
			t.Logf("%d records: peak %d B, final Frame %d B (%.2f×), one block of rows %d B", f.Len(), s.peak, final, float64(s.peak)/float64(final), block)
			if int64(s.peak) > 2*final+block {
				t.Errorf("peak %d B while decoding, more than twice the final %d B plus a block of %d B", s.peak, final, block)
			}
		})
	}
}
