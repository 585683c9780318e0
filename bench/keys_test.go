package bench

import "github.com/seed5da3ae9a/flyweight/internal/baseline"

// keys are the keys of baseline.Keys, as strings and as []byte; every
// benchmark of this module that runs with baseline.RunKeys uses them.
var (
	keys     = baseline.Keys()
	keyBytes = baseline.Bytes(keys)
)
