package finalize

import (
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	tracing atomic.Bool
	// traces holds the *trace of every pending handle registered while
	// tracing was on. A side table rather than a Handle field keeps every
	// Handle small (see TestHandleSize) and costs nothing while tracing is
	// off.
	traces sync.Map
	// pendingProfile is the profile of the stacks that registered pending
	// traced handles, made by the first SetTracing(true). It is set before
	// tracing is first turned on, and read only for handles registered with
	// tracing on, so the atomic tracing flag orders its reads after its
	// write.
	pendingProfile *pprof.Profile
	profileOnce    sync.Once
)

// PendingProfile is the name of the [runtime/pprof] profile of the call
// stacks that registered pending handles, registered by the first
// SetTracing(true); net/http/pprof serves it at
// /debug/pprof/flyweight/finalize.pending.
const PendingProfile = "flyweight/finalize.pending"

// trace is what tracing keeps of a registration.
type trace struct {
	pcs []uintptr // the registration stack, innermost frame first
	at  time.Time // when it happened
}

// maxTraceDepth is how many frames of a registration stack are kept, the
// innermost ones.
const maxTraceDepth = 32

// SetTracing turns the recording of registration stacks on or off for handles
// registered from now on, and returns the previous setting. Reports about a
// traced handle name the stack in [Report.Registered] and the handle's age
// in [Report.Age].
//
// The first SetTracing(true) registers the [runtime/pprof] profile named
// [PendingProfile], which holds the registration stacks of the traced
// handles that are still pending, so that resources that are never released
// show in /debug/pprof/ (with net/http/pprof). Its count is the number of
// those handles; each stack starts at the call to [Register] or [Own]. It
// stays registered when tracing is turned off, holding the traced handles
// until they run or are cancelled: the runtime/pprof package cannot
// unregister a profile. Handles registered while tracing is off are never
// in it.
//
// A traced handle costs two call stack captures at Register, one for reports
// and one for the profile (runtime/pprof captures its own), and keeps the
// innermost 32 frames of each until it runs or is cancelled; with tracing
// off (the default), Register captures nothing and allocates nothing extra
// (see TestTracingOffCostsNothing).
//
// SetTracing is safe for concurrent use.
func SetTracing(on bool) (previous bool) {
	if on {
		profileOnce.Do(func() {
			if pendingProfile = pprof.Lookup(PendingProfile); pendingProfile == nil {
				pendingProfile = pprof.NewProfile(PendingProfile)
			}
		})
	}
	return tracing.Swap(on)
}

// traceRegistration records the registration of h, called by register.
func traceRegistration(h *Handle) {
	// Callers skips itself, this function, register, and Register or Own,
	// to start at the caller of Register or Own.
	var buf [maxTraceDepth]uintptr
	n := runtime.Callers(4, buf[:])
	traces.Store(h, &trace{pcs: slices.Clone(buf[:n]), at: time.Now()})
	// Add's skip counts from Add itself: 3 is Register or Own, which
	// starts each of the profile's stacks, so that it says which of them
	// made the handle.
	pendingProfile.Add(h, 3)
}

// forgetTrace drops the trace of h, called by release.
func forgetTrace(h *Handle) {
	traces.Delete(h)
	pendingProfile.Remove(h)
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
