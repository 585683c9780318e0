package slotdict_test

import (
	"fmt"
	"testing"
	"unsafe"
)

// numberedKeys returns prefix0, prefix1, ... prefix(n-1).
func numberedKeys(prefix string, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return keys
}

// panicValue returns what f panics with, or nil.
func panicValue(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// wantPanic fails t unless f panics with exactly want.
func wantPanic(t *testing.T, want string, f func()) {
	t.Helper()
	if got := panicValue(f); got != want {
		t.Errorf("panic value = %v, want %q", got, want)
	}
}

// same fails t if a and b are not the same pointer.
func same[T any](t *testing.T, a, b *T, what string) {
	t.Helper()
	if a != b {
		t.Errorf("%s: got different pointers %p and %p", what, a, b)
	}
}

// unsafeData returns the address of s's bytes, to tell shared strings from
// equal copies.
func unsafeData(s string) *byte { return unsafe.StringData(s) }
