package bench

import (
	"fmt"
	"sync"
	"testing"
)

// keys are 1024 distinct strings of 6 to 40 bytes, shaped like the field
// names, header names and enum values that programs intern; every
// benchmark of this module uses them.
var keys = func() []string {
	parts := []string{"user", "id", "created", "at", "content", "type", "x", "request", "status", "code", "trace", "span"}
	out := make([]string, 1024)
	for i := range out {
		k := fmt.Sprintf("%s_%s_%d", parts[i%len(parts)], parts[i/len(parts)%len(parts)], i)
		for len(k) < 6+i%35 {
			k += "_" + parts[(i+len(k))%len(parts)]
		}
		out[i] = k[:6+i%35]
	}
	return out
}()

var keyBytes = func() [][]byte {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = []byte(k)
	}
	return out
}()

const keyMask = 1023

// run runs op over the keys as two sub-benchmarks, serial and with
// RunParallel, so that every implementation is compared both ways in one
// run. Results go to a goroutine-local variable and are published once: a
// shared sink would make the goroutines contend for its cache line.
func run[R any](b *testing.B, name string, op func(i int) R) {
	b.Run(name+"/serial", func(b *testing.B) {
		b.ReportAllocs()
		var r R
		for i := range b.N {
			r = op(i & keyMask)
		}
		keep(r)
	})
	b.Run(name+"/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var r R
			for i := 0; pb.Next(); i++ {
				r = op(i & keyMask)
			}
			keep(r)
		})
	})
}

var (
	sinkMu sync.Mutex
	sink   any
)

func keep(r any) {
	sinkMu.Lock()
	sink = r
	sinkMu.Unlock()
}
