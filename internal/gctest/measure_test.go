package gctest_test

import (
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// TestMeasure runs a memory benchmark through testing.Benchmark: measure
// runs once per iteration, and its last result is the reported metric.
func TestMeasure(t *testing.T) {
	calls := 0
	r := testing.Benchmark(func(b *testing.B) {
		gctest.Measure(b, "B/obj", func() float64 {
			calls++
			return float64(calls)
		})
	})
	if calls == 0 {
		t.Fatal("measure never ran")
	}
	if got := r.Extra["B/obj"]; got != float64(calls) {
		t.Errorf("reported B/obj = %v after %d measurements (Extra %v), want the last one", got, calls, r.Extra)
	}
}

// TestSkipIfRace: the test below SkipIfRace runs exactly when the race
// detector is off (raceEnabled comes from race_test.go or norace_test.go,
// by build tag).
func TestSkipIfRace(t *testing.T) {
	ran := false
	t.Run("measuring", func(t *testing.T) {
		gctest.SkipIfRace(t)
		ran = true
	})
	if ran == raceEnabled {
		t.Errorf("the test ran = %v with the race detector on = %v", ran, raceEnabled)
	}
}
