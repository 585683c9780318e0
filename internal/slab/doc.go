// Package slab allocates a run of values of one type followed by a few
// uint64 words, as one object that the garbage collector scans exactly: the
// storage of slotdict's Dicts (values, then presence bits) and of
// flyweight's Records (values, then the length they have claimed). Keeping
// the words in the values' allocation, rather than in the header that points
// to it, is what lets copies of such a header share them.
package slab
