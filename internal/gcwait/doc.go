// Package gcwait runs a garbage collection and waits, under a context, until
// the cleanups it made runnable have run. It is the one place in the module
// that knows how to tell, and the production half of the module's GC helpers:
// finalize.Drain and internal/memsize use it, and the test helpers of
// internal/gctest are built on it.
package gcwait
