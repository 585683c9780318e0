package memsize_test

import (
	"math"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

func TestPerObjectMatchesKnownSizes(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name  string
		want  float64 // bytes per object, size classes included
		build func() any
	}{
		{"[]int64 backing array", 8, func() any { return make([]int64, n) }},
		{"pointers to 64-byte objects", 8 + 64, func() any {
			ps := make([]*[64]byte, n)
			for i := range ps {
				ps[i] = new([64]byte)
			}
			return ps
		}},
		{"pointers to 48-byte objects", 8 + 48, func() any {
			ps := make([]*[6]int64, n)
			for i := range ps {
				ps[i] = new([6]int64)
			}
			return ps
		}},
		{"garbage only", 0, func() any {
			for range n {
				sink = new([64]byte)
			}
			sink = nil
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := memsize.PerObject(n, tt.build)
			// 2% of the expected size or half a byte per object, whichever
			// is larger, covers the runtime's own allocations.
			if tol := math.Max(0.5, tt.want*0.02); math.Abs(got-tt.want) > tol {
				t.Fatalf("PerObject = %.2f B, want %.0f ± %.2f", got, tt.want, tol)
			}
		})
	}
}

var sink *[64]byte

func TestPerObjectRejectsZeroCount(t *testing.T) {
	defer func() {
		if r := recover(); r != "memsize: PerObject needs n > 0" {
			t.Fatalf("recover() = %v", r)
		}
	}()
	memsize.PerObject(0, func() any { return nil })
}
