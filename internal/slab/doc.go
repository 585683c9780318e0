// Package slab allocates a few uint64 words followed by a run of values of
// one type, as one object that the garbage collector scans exactly: the
// storage of slotdict's Dicts (presence bits, then values) and of
// flyweight's Records (the length they have claimed, then values). Keeping
// the words in the values' allocation, rather than in the header that points
// to it, is what lets copies of such a header share them.
package slab
