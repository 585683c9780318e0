// Package gctest holds the helpers for code whose behaviour depends on the
// garbage collector: run a collection and wait until the cleanups it queued
// have run, or keep collecting until a condition holds, with a deadline.
//
// Tests in this module never sleep to "give the GC time"; they call [Until]
// (or [Cycle]) instead, so that every wait is bounded and explains itself when
// it times out. The package does not import testing, so [Cycle] may also be
// used by non-test code such as internal/memsize; it is built on
// internal/gcwait, which finalize.Drain shares.
package gctest
