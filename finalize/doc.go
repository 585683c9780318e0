// Package finalize runs cleanup functions once: when an object becomes
// unreachable, or earlier when the program asks, whichever comes first. It is
// Go's counterpart of Python's weakref.finalize and Java's Cleaner.
//
// [runtime.SetFinalizer] never collects objects in reference cycles,
// resurrects the object it finalizes, and allows one finalizer per object.
// [runtime.AddCleanup] fixes all three, and this package is built on it, but
// on its own it offers no "run it now", no guarantee that an explicit Close
// and the GC do not both release a resource, no report of resources that were
// never closed and no way to wait for cleanups. This package adds them:
//
//   - [Register] attaches fn(arg) to an object and returns a [Handle]:
//     [Handle.Run] runs it now, [Handle.Cancel] prevents it,
//     [Handle.Pending] tells. Run, Cancel and the GC race on one atomic
//     state, so exactly one of them wins. Any number of handles may be
//     registered for one object, and objects in cycles are collected.
//   - [Own] wraps a resource so that its release function sees the whole
//     resource, at [Owned.Close] or after the wrapper is dropped; Close
//     returns the release function's error.
//   - A panic in a cleanup function is recovered and delivered to a hook
//     ([SetPanicHook]; by default [LogPanic] logs it with [log/slog] at
//     Error): it never crashes the program.
//   - A leak hook ([SetLeakHook]; by default [LogLeak], a [log/slog] record
//     at Warn) is told whenever the GC, not the program, ran a cleanup; with
//     [SetTracing] on, with the stack that registered it and its age.
//   - [ReadStats] counts registrations, pending handles, runs, leaks and
//     panics, for an operator; with tracing on, the [runtime/pprof] profile
//     [PendingProfile] shows where the pending handles were registered.
//   - [Drain] collects garbage and waits until the cleanups it made
//     runnable have finished, for tests and graceful shutdown. [RunAll] runs
//     the handles registered [WithAtExit], newest first, since the runtime
//     runs no cleanups at exit.
//
// # When to use it
//
// For resources outside the Go heap, or shared with other parties, that a
// program should release explicitly but must not leak when it forgets to:
// file descriptors, memory allocated by C, temporary files, leases, entries in
// a registry. Close them explicitly and let the cleanup be the safety net; the
// leak reports tell you which ones needed it. A program that lets the GC run
// its cleanups on purpose turns leak reports off (SetLeakHook(nil)), or the
// default would log each run.
//
// # When not to use it
//
// Not for memory alone: the GC already frees it. Not for anything that must
// happen promptly or in order: the GC runs cleanups late, maybe never (not at
// exit, not for objects that stay reachable), and in no specified order. Not
// as a destructor that needs the object itself: a cleanup never sees its
// object, only arg (with [Own], the resource the wrapper owns).
//
// # Pitfalls, and the runtime's check for them
//
// fn and arg must not reach the object: the runtime holds them, so the object
// would stay reachable and fn would never run. [Register] rejects the evident
// cases (arg is the object, or points into it). For the others — fn closing
// over the object, arg a struct or slice that leads back to it — run the
// program or its tests with GODEBUG=checkfinalizers=1 (Go ≥ 1.25): at every
// collection the runtime checks each cleanup and, if its function or argument
// reaches its object, stops the program with a report such as
//
//	Value of type pkg.conn at 0xc000012345
//	  is reachable from cleanup or cleanup argument
//
//	Has cleanup at 0x7f9881245c30
//	  github.com/seed5da3ae9a/flyweight/finalize.collected()
//	created at:
//	  github.com/seed5da3ae9a/flyweight/finalize.register[...]()
//
// The cleanup and origin named there are this package's; the type names the
// object. The check stops the program at its first finding, including ones
// about [runtime.SetFinalizer] on objects in cycles anywhere in the program,
// and makes every collection cost one extra marking per registered cleanup:
// use it in tests, not in production. It also reports cleanups attached to
// tiny pointer-free objects (smaller than 16 bytes), which may never run because
// they share their allocation with others.
//
// Cleanup functions run on the runtime's goroutines: in Go 1.24 on the one
// goroutine that runs every cleanup and finalizer in turn; since Go 1.25
// possibly on several at once. A cleanup that blocks holds up the ones queued
// behind it, so start a goroutine for long work. A panic is recovered, but a
// cleanup must not call [runtime.Goexit], which would end the runtime's
// goroutine.
//
// # Concurrency
//
// Every function and method in the package is safe for concurrent use.
// Hooks are called concurrently, from the goroutines that run cleanups.
//
// # Cost
//
// Register makes one allocation besides the runtime's own cleanup record:
// the [Handle] together with arg, a few words more than arg itself. While
// tracing is off it captures no stack and allocates nothing more
// (TestTracingOffCostsNothing); TestHandleSize and TestRegistrationBytes
// bound the memory a registration takes. Register, Run and Cancel each add
// one to a statistics counter striped by goroutine, so that they rarely
// write the cache line of another core. Run and Cancel stop the runtime
// cleanup, so nothing of a handle stays in the runtime after either.
// BenchmarkCollected (a cleanup the GC runs) and BenchmarkRun (an explicit
// release) measure the time against [runtime.AddCleanup] alone.
package finalize
