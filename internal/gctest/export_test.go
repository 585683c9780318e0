package gctest

// CycleWithSentinel exposes the fallback used on runtimes without the cleanup
// queue metrics, so that it is tested on every runtime.
var CycleWithSentinel = cycleWithSentinel
