package finalize

import (
	"log"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// A Report describes one run of a cleanup function, for the hooks set with
// [SetLeakHook] and [SetPanicHook].
type Report struct {
	// Func is the cleanup function's name as the runtime knows it, such as
	// "example.com/pkg.closeFD" or "example.com/pkg.open.func1" for a
	// function literal.
	Func string
	// Collected is true when the cleanup ran because its object was
	// collected, and false when [Handle.Run], [Owned.Close] or [RunAll] ran it.
	Collected bool
	// Registered is the call stack of the [Register] or [Own] call, innermost
	// frame first, one "function\n\tfile:line\n" pair per frame, if tracing
	// was on when the handle was registered (see [SetTracing]), and "" if not.
	Registered string
	// Panic is the value the cleanup function panicked with, or nil if it
	// returned normally.
	Panic any
	// PanicStack is the stack of the goroutine that panicked, at the panic,
	// as [debug.Stack] formats it; nil if the function did not panic.
	PanicStack []byte
}

var (
	leakHook  atomic.Pointer[func(Report)]
	panicHook atomic.Pointer[func(Report)]
	tracing   atomic.Bool
	// traces holds the registration stack ([]uintptr) of every pending handle
	// registered while tracing was on. A side table rather than a Handle field
	// keeps the Handle at 48 bytes and costs nothing while tracing is off.
	traces sync.Map
)

// SetLeakHook sets the function told about every cleanup that ran because its
// object was collected rather than through [Handle.Run], [Owned.Close] or
// [RunAll]: for a resource with an explicit Close, a leak. It is called after
// the cleanup has run, on the goroutine that ran it (a runtime cleanup
// goroutine), possibly concurrently with itself, so f must be safe for
// concurrent use and should return quickly. f == nil turns leak reports off,
// which is the default. SetLeakHook returns the previous hook.
//
// Turn tracing on ([SetTracing]) to have each report say where the leaked
// handle was registered. A panic in f is recovered and logged.
//
// SetLeakHook is safe for concurrent use; cleanups that are already running
// may still report to the previous hook.
func SetLeakHook(f func(Report)) (previous func(Report)) { return swapHook(&leakHook, f) }

// SetPanicHook sets the function told about every panic in a cleanup
// function, however the cleanup was started. The panic has been recovered:
// a cleanup never crashes the program. f is called on the goroutine that ran
// the cleanup, possibly concurrently with itself, so it must be safe for
// concurrent use. f == nil restores the default, which logs the report with
// the standard [log] package (to stderr unless redirected). SetPanicHook
// returns the previous hook, nil for the default.
//
// A panic in f itself is recovered and logged.
//
// SetPanicHook is safe for concurrent use; cleanups that are already running
// may still report to the previous hook.
func SetPanicHook(f func(Report)) (previous func(Report)) { return swapHook(&panicHook, f) }

// SetTracing turns the recording of registration stacks on or off for handles
// registered from now on, and returns the previous setting. A traced handle
// costs a call stack capture, and keeps up to 32 program counters in a side
// table until it runs or is cancelled; with tracing off (the default),
// Register captures nothing and allocates nothing extra. Reports name the
// stack in [Report.Registered].
//
// SetTracing is safe for concurrent use.
func SetTracing(on bool) (previous bool) { return tracing.Swap(on) }

func swapHook(p *atomic.Pointer[func(Report)], f func(Report)) func(Report) {
	var np *func(Report)
	if f != nil {
		np = &f
	}
	if old := p.Swap(np); old != nil {
		return *old
	}
	return nil
}

func panicHandler() func(Report) {
	if f := panicHook.Load(); f != nil {
		return *f
	}
	return logPanic
}

func logPanic(r Report) {
	how := ""
	if r.Collected {
		how = " (run by the GC)"
	}
	registered := ""
	if r.Registered != "" {
		registered = "registered at:\n" + r.Registered
	}
	log.Printf("finalize: cleanup %s%s panicked, recovered: %v\n%s%s", r.Func, how, r.Panic, r.PanicStack, registered)
}

// deliver calls hook f with r; a panic in f is recovered and logged, so that
// a broken hook cannot crash the program either.
func deliver(f func(Report), r Report) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("finalize: hook for cleanup %s panicked, recovered: %v\n%s", r.Func, v, debug.Stack())
		}
	}()
	f(r)
}

// report builds the Report of h's run. It is called before h is released.
func (h *Handle) report(byGC bool, p *recovered) Report {
	r := Report{Func: funcName(h.fn.pc()), Collected: byGC}
	if h.flags&traced != 0 {
		if pcs, ok := traces.Load(h); ok {
			r.Registered = formatStack(pcs.([]uintptr))
		}
	}
	if p != nil {
		r.Panic, r.PanicStack = p.value, p.stack
	}
	return r
}

func funcName(pc uintptr) string {
	if f := runtime.FuncForPC(pc); f != nil {
		return f.Name()
	}
	return "0x" + strconv.FormatUint(uint64(pc), 16)
}

// callers returns the program counters of the calling stack, skip frames up.
func callers(skip int) []uintptr {
	var buf [32]uintptr
	n := runtime.Callers(skip, buf[:])
	return slices.Clone(buf[:n])
}

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
