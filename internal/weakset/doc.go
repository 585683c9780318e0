// Package weakset is the weak set of the module: a concurrent set of
// objects that it holds weakly, found by a hash the caller computes and
// confirmed by a match the caller gives. An object stays in the set while
// the program uses it and leaves it once the garbage collector reclaims it,
// so the set holds only what is in use. It is the storage of intern's
// process-wide strings and of slotdict's shared schemas.
package weakset
