package finalize

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

var (
	tracing atomic.Bool
	// traces holds the registration stack ([]uintptr) of every pending handle
	// registered while tracing was on. A side table rather than a Handle field
	// keeps every Handle small (see TestHandleSize) and costs nothing while
	// tracing is off.
	traces sync.Map
)

// maxTraceDepth is how many frames of a registration stack are kept, the
// innermost ones.
const maxTraceDepth = 32

// SetTracing turns the recording of registration stacks on or off for handles
// registered from now on, and returns the previous setting. A traced handle
// costs a call stack capture, and keeps the innermost 32 frames of that stack
// in a side table until it runs or is cancelled; with tracing off (the
// default), Register captures nothing and allocates nothing extra (see
// TestTracingOffCostsNothing). Reports name the stack in [Report.Registered].
//
// SetTracing is safe for concurrent use.
func SetTracing(on bool) (previous bool) { return tracing.Swap(on) }

// registerSkip is the number of frames runtime.Callers skips, called from
// callers in register, to reach the caller of Register or Own: Callers,
// callers, register, and Register or Own.
const registerSkip = 4

// callers returns the program counters of the calling stack, skip frames up,
// innermost first, at most maxTraceDepth of them.
func callers(skip int) []uintptr {
	var buf [maxTraceDepth]uintptr
	n := runtime.Callers(skip, buf[:])
	return slices.Clone(buf[:n])
}

// formatStack formats pcs as [Report.Registered] documents: one
// "function\n\tfile:line\n" pair per frame.
func formatStack(pcs []uintptr) string {
	var b strings.Builder
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		b.WriteString(f.Function)
		b.WriteString("\n\t")
		b.WriteString(f.File)
		b.WriteString(":")
		b.WriteString(strconv.Itoa(f.Line))
		b.WriteString("\n")
		if !more {
			return b.String()
		}
	}
}
