// Package gcwait runs a garbage collection and waits, under a context, until
// the cleanups it made runnable have run. It is the one place in the module
// that knows how to tell: internal/gctest builds its test helpers on it, and
// finalize.Drain its wait for a package's own cleanups.
package gcwait
