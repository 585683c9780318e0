package intern

// Value returns the canonical copy of v: the same value, with every string
// inside it shared with all other canonical copies of equal values. It is
// unique.Make(v).Value() plus what that lacks for a T that can hold an
// interface, and [Table] relies on it: unique.Make stores the strings behind
// interfaces as they are, where Value copies them, so that its result never
// aliases the caller's memory, or anyone else's.
//
// For a T without interfaces, Value has the package unique's weak lifetime
// (an entry lives while a unique.Handle for it does). For a T that can hold
// one, Value copies the strings behind interfaces first (on every call) and
// keeps those values in a unique map of its own, apart from other code's
// unique.Make[T] entries, which may hold views of their callers' buffers.
// Where unique.Make would panic with a runtime error, on a value holding an
// incomparable type behind an interface (a slice in an any), Value panics
// with an "intern: " message.
//
// For strings prefer [String], which answers repeated values faster and
// keeps an entry while its string is in use rather than its handle
// (BenchmarkStringHit compares String with unique.Make).
//
// Values without pointers gain nothing from Value (there is nothing inside to
// share), and small ones are best kept out of unique: unique.Make stores a
// pointer-free value under 16 bytes in a tiny block that may never be freed,
// which GODEBUG=checkfinalizers=1 reports as a fatal error.
//
// Composite keys: to key a map by a struct of strings, do not store the
// struct (its strings cost 16 bytes of header each, plus their bytes); store
// its [unique.Handle], an 8-byte pointer that compares in one instruction and
// keeps the canonical copy alive while the map holds it:
//
//	type route struct{ method, path string }
//	hits := map[unique.Handle[route]]int{}
//	hits[unique.Make(route{"GET", "/index.html"})]++
func Value[T comparable](v T) T {
	return canonicalValue("Value", v)
}
