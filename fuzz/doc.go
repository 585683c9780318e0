// Package fuzz holds the native Go fuzz targets of the module: one for
// everything that takes outside input (JSON decoding of slotdict Dicts,
// flyweight Records and intern Tables, intern.Bytes on arbitrary bytes, and
// Schema construction from arbitrary keys). Each target checks a property
// (round trips, agreement with encoding/json, no partial change on error),
// not only that nothing crashes. It has no code outside its tests.
//
// CI runs every target for a few seconds (FUZZTIME in .ci/run). To fuzz one
// for longer:
//
//	go test -run '^$' -fuzz '^FuzzRecordJSON$' -fuzztime 10m ./fuzz/
//
// Inputs that fail land in testdata/fuzz/<target>/; commit them, and they
// run as regression tests with every go test.
package fuzz
