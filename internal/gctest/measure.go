package gctest

// What the module's memory tests and benchmarks share: when their figures
// cannot be trusted, and the shell of a benchmark that reports a measurement
// rather than a time. Measurements themselves come from internal/memsize.

import "testing"

// SkipIfRace skips tb under the race detector, which changes allocation sizes
// and counts: tests and benchmarks that measure either are checked by the
// plain go test run.
func SkipIfRace(tb testing.TB) {
	tb.Helper()
	if raceEnabled {
		tb.Skip("the race detector changes allocation sizes and counts; the plain go test run measures them")
	}
}

// Measure is the body of a memory benchmark: it calls measure b.N times and
// reports the last result as the metric unit (B/entry, B/object, …). Memory
// benchmarks run with -benchtime=1x, one measurement each; their ns/op is the
// time of a measurement and means nothing.
func Measure(b *testing.B, unit string, measure func() float64) {
	var v float64
	for range b.N {
		v = measure()
	}
	b.ReportMetric(v, unit)
}
