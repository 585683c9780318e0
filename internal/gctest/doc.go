// Package gctest holds the test helpers for code whose behaviour depends on
// the garbage collector: run a collection and wait until the cleanups it
// queued have run, keep collecting until a condition holds, with a deadline,
// check for leaked goroutines and heap, race the collector, and skip what
// the race detector or GODEBUG=checkfinalizers=1 would make meaningless.
//
// Tests in this module never sleep to "give the GC time"; they call [Until]
// (or [Collect]) instead, so that every wait is bounded and explains itself
// when it times out.
//
// The package is for tests only (it imports testing, and the architecture
// test keeps it out of every non-test file). What production code needs of
// the same kind lives in internal/gcwait, which this package builds on.
package gctest
