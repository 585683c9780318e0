package intern

import (
	"fmt"
	"reflect"
	"strings"
	"unique"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// canonicalValue returns unique.Make(v).Value(), except for a T that can
// hold an interface, for which it detaches v first and keeps it apart from
// other code's unique.Make[T] entries.
//
// unique.Make copies the strings of T's own layout before it stores a
// value, but not those of an interface's dynamic value: a Table[any] or a
// Value(any(s)) would keep the caller's string, which may be a view of a
// large buffer or of bytes that change later. So v is copied with a string
// copy of its own behind every interface, at any depth of structs, arrays
// and interfaces. That is not enough by itself: unique's map for T is
// shared by the whole process, and an equal value that other code stored
// there first, as it was, would be returned (and kept alive) instead.
// Wrapped in the unexported own[T], intern's values have a map of their
// own, holding only detached copies. Types without interfaces (the common
// case) pass through after one cached type check, and share unique's map
// for T, which copies their strings itself.
//
// A value behind an interface may also be incomparable (a slice in an any),
// which unique.Make would meet with a bare runtime error: canonicalValue
// panics first, with a message naming fn.
func canonicalValue[T comparable](fn string, v T) T {
	if !typecheck.HoldsInterfaces(reflect.TypeFor[T]()) {
		return unique.Make(v).Value()
	}
	checkComparable(fn, v)
	var out T
	detachInto(reflect.ValueOf(&out).Elem(), reflect.ValueOf(&v).Elem())
	return unique.Make(own[T]{out}).Value().v
}

// own wraps the values that canonicalValue stores for a T that can hold an
// interface, so that they do not mix with other code's values of type T in
// unique's map.
type own[T comparable] struct{ v T }

// checkComparable panics with a message naming fn if v holds, behind an
// interface, a value that is not comparable, such as a slice in an any:
// hashing v would panic with a bare runtime error. It is apart from its
// callers (canonicalValue, Table.check) because typecheck.Comparable makes
// its copy of v escape: only values that hold interfaces pay for a heap copy.
func checkComparable[T comparable](fn string, v T) {
	if !typecheck.Comparable(v) {
		panic(fmt.Sprintf("intern: %s of a %T, which holds a value that is not comparable", fn, any(v)))
	}
}

// detachInto sets dst to src with the strings behind interfaces copied
// (strings elsewhere are copied too; it costs little, and unique.Make would
// copy them anyway). Both are addressable values of one type, reached
// without going through an unexported field, so that both can be read and
// set whole.
func detachInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(strings.Clone(src.String()))
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		t := src.Elem().Type()
		in, out := reflect.New(t).Elem(), reflect.New(t).Elem()
		in.Set(src.Elem())
		detachInto(out, in)
		dst.Set(out)
	case reflect.Struct:
		for i := range src.NumField() {
			detachInto(settable(dst.Field(i)), settable(src.Field(i)))
		}
	case reflect.Array:
		for i := range src.Len() {
			detachInto(dst.Index(i), src.Index(i))
		}
	default: // numbers, booleans, pointers, channels: nothing to copy
		dst.Set(src)
	}
}

// settable returns f, a field of an addressable struct, as a value that can
// be read and set even if the field is unexported.
func settable(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
