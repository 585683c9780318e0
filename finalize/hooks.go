package finalize

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
)

var (
	leakHook  atomic.Pointer[func(Report)]
	panicHook atomic.Pointer[func(Report)]
)

// SetLeakHook sets the function told about every cleanup that ran because its
// object was collected rather than through [Handle.Run], [Owned.Close] or
// [RunAll]: for a resource with an explicit Close, a leak. It is called after
// the cleanup has run, on the goroutine that ran it (a runtime cleanup
// goroutine), possibly concurrently with itself, so f must be safe for
// concurrent use and should return quickly. SetLeakHook returns the previous
// hook, nil for the default.
//
// f == nil restores the default, which logs each leak with [slog.Default] at
// [slog.LevelWarn], the fields of the [Report] as attributes (type, func,
// collected, and with tracing on registered and age; err for a release
// function that failed). The default builds no report while that logger
// does not log at Warn. To turn leak reports off, set a function that does
// nothing; [Stats.Leaked] counts leaks whatever the hook.
//
// Turn tracing on ([SetTracing]) to have each report say where the leaked
// handle was registered, and how long ago. A panic in f is recovered and
// logged at [slog.LevelError].
//
// SetLeakHook is safe for concurrent use; cleanups that are already running
// may still report to the previous hook.
func SetLeakHook(f func(Report)) (previous func(Report)) { return swapHook(&leakHook, f) }

// SetPanicHook sets the function told about every panic in a cleanup
// function, however the cleanup was started. The panic has been recovered:
// a cleanup never crashes the program. f is called on the goroutine that ran
// the cleanup, possibly concurrently with itself, so it must be safe for
// concurrent use. f == nil restores the default, which logs the report with
// [slog.Default] at [slog.LevelError], its fields as attributes (as for
// leaks, and panic and panic_stack). SetPanicHook returns the previous hook,
// nil for the default.
//
// A panic in f itself is recovered and logged at [slog.LevelError].
//
// SetPanicHook is safe for concurrent use; cleanups that are already running
// may still report to the previous hook.
func SetPanicHook(f func(Report)) (previous func(Report)) { return swapHook(&panicHook, f) }

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

// leakReported reports whether a leak would reach anyone: a hook, or the
// default logger at Warn. It spares the GC's runs the building of reports
// that nobody reads.
func leakReported() bool {
	return leakHook.Load() != nil || slog.Default().Enabled(context.Background(), slog.LevelWarn)
}

func leakHandler() func(Report) {
	if f := leakHook.Load(); f != nil {
		return *f
	}
	return logLeak
}

func panicHandler() func(Report) {
	if f := panicHook.Load(); f != nil {
		return *f
	}
	return logPanic
}

func logLeak(r Report) {
	slog.Default().LogAttrs(context.Background(), slog.LevelWarn, "finalize: cleanup run by the GC: the object was dropped without being closed", r.attrs()...)
}

func logPanic(r Report) {
	slog.Default().LogAttrs(context.Background(), slog.LevelError, "finalize: cleanup panicked, recovered", r.attrs()...)
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
