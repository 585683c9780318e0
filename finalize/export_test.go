package finalize

// WithoutCleanupMetrics makes Drain take the path of runtimes that do not
// count queued cleanups (before Go 1.26), so that it is tested on every
// runtime, and returns the function that restores the real check.
func WithoutCleanupMetrics() (restore func()) {
	old := runtimeCountsCleanups
	runtimeCountsCleanups = func() bool { return false }
	return func() { runtimeCountsCleanups = old }
}

// AtExitLen returns the number of handles in the at-exit registry.
func AtExitLen() int {
	exits.mu.Lock()
	defer exits.mu.Unlock()
	return len(exits.m)
}

// Collected calls what the runtime calls once h's object has been collected,
// so that tests can make the GC's path contend with Run and Cancel at the
// same instant, which a real collection does only by chance. The runtime
// still calls it too when the object is collected.
func Collected(h *Handle) { collected(h) }
