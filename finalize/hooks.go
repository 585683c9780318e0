package finalize

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
)

var (
	// leakHook is the leak hook: nil for the default, [LogLeak], and
	// leaksOff when leak reports are off.
	leakHook  atomic.Pointer[func(Report)]
	panicHook atomic.Pointer[func(Report)]
	leaksOff  = new(func(Report))
)

// SetLeakHook sets the function told about every cleanup that ran because its
// object was collected rather than through [Handle.Run], [Owned.Close] or
// [RunAll]: for a resource with an explicit Close, a leak. It is called after
// the cleanup has run, on the goroutine that ran it (a runtime cleanup
// goroutine), possibly concurrently with itself, so f must be safe for
// concurrent use and should return quickly.
//
// The default hook is [LogLeak], which logs with [log/slog]. f == nil turns
// leak reports off, for a program that lets the GC run its cleanups on
// purpose: then no report is built, and the GC's runs cost what they did
// before (see BenchmarkCollected). [Stats.Leaked] counts leaks whatever the
// hook. SetLeakHook returns the previous hook: LogLeak at first, nil if leak
// reports were off.
//
// Turn tracing on ([SetTracing]) to have each report say where the leaked
// handle was registered, and how long ago. A panic in f is recovered and
// logged at [slog.LevelError].
//
// SetLeakHook is safe for concurrent use; cleanups that are already running
// may still report to the previous hook.
func SetLeakHook(f func(Report)) (previous func(Report)) {
	np := leaksOff
	if f != nil {
		np = &f
	}
	switch old := leakHook.Swap(np); old {
	case nil:
		return LogLeak
	case leaksOff:
		return nil
	default:
		return *old
	}
}

// SetPanicHook sets the function told about every panic in a cleanup
// function, however the cleanup was started. The panic has been recovered:
// a cleanup never crashes the program. f is called on the goroutine that ran
// the cleanup, possibly concurrently with itself, so it must be safe for
// concurrent use. f == nil restores the default, [LogPanic]. SetPanicHook
// returns the previous hook, nil for the default.
//
// A panic in f itself is recovered and logged at [slog.LevelError].
//
// SetPanicHook is safe for concurrent use; cleanups that are already running
// may still report to the previous hook.
func SetPanicHook(f func(Report)) (previous func(Report)) {
	var np *func(Report)
	if f != nil {
		np = &f
	}
	if old := panicHook.Swap(np); old != nil {
		return *old
	}
	return nil
}

// LogLeak is the default leak hook: it logs r with [slog.Default] at
// [slog.LevelWarn], the fields of r that are set as attributes (see
// [Report.LogValue]): type, func and collected, with tracing on also
// registered and age, and err for a release function that failed. A hook of
// one's own may call it too.
func LogLeak(r Report) {
	slog.Default().LogAttrs(context.Background(), slog.LevelWarn, "finalize: cleanup run by the GC: the object was dropped without being closed", r.attrs()...)
}

// LogPanic is the default panic hook: it logs r with [slog.Default] at
// [slog.LevelError], the fields of r that are set as attributes, as
// [LogLeak] does, and panic and panic_stack. A hook of one's own may call it
// too.
func LogPanic(r Report) {
	slog.Default().LogAttrs(context.Background(), slog.LevelError, "finalize: cleanup panicked, recovered", r.attrs()...)
}

// leakHandler returns the leak hook, or nil when no report is wanted: leak
// reports are off, or the hook is the default and the default logger does
// not log at Warn, so that the GC's runs do not build reports that nobody
// reads.
func leakHandler() func(Report) {
	switch f := leakHook.Load(); f {
	case leaksOff:
		return nil
	case nil:
		if !slog.Default().Enabled(context.Background(), slog.LevelWarn) {
			return nil
		}
		return LogLeak
	default:
		return *f
	}
}

func panicHandler() func(Report) {
	if f := panicHook.Load(); f != nil {
		return *f
	}
	return LogPanic
}

// deliver calls hook f with r; a panic in f is recovered and logged, so that
// a broken hook cannot crash the program either.
func deliver(f func(Report), r Report) {
	defer func() {
		if v := recover(); v != nil {
			slog.Default().LogAttrs(context.Background(), slog.LevelError, "finalize: report hook panicked, recovered",
				slog.String("func", r.Func), slog.Any("panic", v), slog.String("panic_stack", string(debug.Stack())))
		}
	}()
	f(r)
}
