package finalize

import (
	"log"
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
