// Package fuzz holds the native Go fuzz targets of the module: one for
// everything that takes outside input (JSON decoding of slotdict Dicts,
// flyweight Records and intern Tables, the string literals under all of it,
// intern.Bytes on arbitrary bytes, and Schema construction from arbitrary
// keys). Each target checks properties, not only that nothing crashes: round
// trips; agreement with encoding/json on what is accepted and on the values
// decoded, for values of type any and for the scalar fast paths; no partial
// change on error; and errors of exactly one documented kind, a syntax error
// at the offset where encoding/json finds it, a duplicate or unknown key
// that really is one (oracle_test.go). It has no code outside its tests.
//
// CI runs every target for a fixed number of executions (FUZZTIME in
// .ci/run, which says why a count). To fuzz one for longer:
//
//	go test -run '^$' -fuzz '^FuzzRecordJSON$' -fuzztime 10000000x -fuzzminimizetime 10s ./fuzz/
//
// Without -fuzzminimizetime, mutants of the large seeds (40 KB of nested
// brackets, a go list stream) keep workers minimizing for up to a minute each.
// Before go1.27 a duration for -fuzztime can end in a spurious "context
// deadline exceeded" (golang/go#75804); a count such as 10000000x cannot.
//
// Inputs that fail land in testdata/fuzz/<target>/; commit them, and they
// run as regression tests with every go test.
package fuzz
