// Package contract holds the tests of what the module's packages promise
// alike, so that a user who learns one is not tripped by the next: one JSON
// error type and one set of sentinels across the decoders, zero values
// that work, copies that are either shared like a map header or reported by
// go vet, JSON methods that work on values held by value, and options whose
// types the compiler checks. It has no code of its own.
package contract
