// Package keyindex finds the position of a key in a sequence of distinct
// keys, compactly and fast: the index of slotdict's schemas (and of their
// JSON names), and of the keys a decoder has met in one object, where
// duplicates are looked for. Sequences grow by appending, and an [Index] is
// a view of the first n keys of a [Family], so that sequences that extend
// one another share one key array and one hash table.
package keyindex
