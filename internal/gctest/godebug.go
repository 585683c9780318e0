package gctest

import (
	"os"
	"strconv"
	"strings"
)

// CheckingFinalizers reports whether the process runs with
// GODEBUG=checkfinalizers set to a non-zero value. In that mode every garbage
// collection checks each pending cleanup and finalizer for a path back to its
// object, which makes a collection cost time proportional to the number of
// cleanups times the heap: tests that measure memory over 10⁵ weak entries
// skip themselves under it (the plain run measures them), while every
// correctness test still runs.
//
// GODEBUG is read as the runtime reads it: settings are not trimmed, a value
// that is not a number is ignored, and the last setting wins.
func CheckingFinalizers() bool {
	on := false
	for _, kv := range strings.Split(os.Getenv("GODEBUG"), ",") {
		if v, ok := strings.CutPrefix(kv, "checkfinalizers="); ok {
			if n, err := strconv.Atoi(v); err == nil {
				on = n != 0
			}
		}
	}
	return on
}

// Skipper is the part of [testing.TB] that [SkipIfCheckingFinalizers] needs.
type Skipper interface {
	Helper()
	Skip(args ...any)
}

// SkipIfCheckingFinalizers skips tb when [CheckingFinalizers] reports the
// mode on, saying why: what the mode does to the test. The runs without it
// cover the test.
func SkipIfCheckingFinalizers(tb Skipper, why string) {
	tb.Helper()
	if CheckingFinalizers() {
		tb.Skip("GODEBUG=checkfinalizers " + why + "; the runs without it cover this test")
	}
}
