// Package typecheck answers the questions about comparable types that
// unique.Make and hashing leave to run time: whether a type can hold an
// interface value, whether it holds pointers at all, and whether a value
// holds an incomparable one behind an interface (a slice in an any), which
// hashing or comparing it would meet with a bare runtime error. intern and
// slotdict use it to reject such values with their own messages, and intern
// to keep pointer-free values out of unique.
package typecheck
