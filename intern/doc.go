// Package intern shares the bytes of equal strings (and other comparable
// values) so that a program holding millions of copies of a few thousand
// distinct values pays for each distinct value once.
//
// It offers three interners, for three lifetimes:
//
//   - [String] and [Bytes] intern strings process-wide and weakly: an entry
//     lives exactly as long as some string it returned is in use, and costs
//     nothing afterwards. [Value] canonicalizes any comparable value through
//     the standard library's [unique] package. Use them for data whose
//     lifetime you do not control (decoded records, map keys, labels).
//   - [Pool] interns strongly into a scope you own: everything stays until the
//     Pool itself is dropped, and [Pool.Stats] tells what it saves. Use it for
//     one parse, one request, one batch job.
//   - [Table] numbers distinct values densely (1, 2, 3, …) and maps both ways:
//     a [Sym] is 4 bytes where a string header is 16, compares in one
//     instruction, and indexes a slice. Use it for symbol tables, dictionary
//     encoding and columnar data; it round-trips through JSON with its IDs.
//
// Every function and method in the package is safe for concurrent use.
//
// Interned strings never alias caller memory: a substring of a large buffer,
// or the contents of a []byte that is reused later, is copied before it is
// stored, so it keeps no large buffer alive and never changes afterwards.
//
// When not to use it: values that are mostly distinct (interning then costs a
// hash and an entry for no sharing), and short-lived strings that die before
// a second copy would exist.
package intern
