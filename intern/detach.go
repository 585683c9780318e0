package intern

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"
)

// detach returns v with its own copy of every string that v holds behind an
// interface, at any depth of structs, arrays and interfaces. unique.Make
// copies the strings of T's own layout before it stores a value, but not
// those of an interface's dynamic value: without detach, a Table[any] or a
// Value(any(s)) would keep the caller's string, which may be a view of a
// large buffer or of bytes that change later. Types without interfaces (the
// common case) are returned as they are, after one cached type check.
//
// A value behind an interface may also be incomparable (a slice in an any),
// which unique.Make would meet with a bare runtime error: detach panics
// first, with a message naming fn.
func detach[T comparable](fn string, v T) T {
	if !holdsInterfaces(reflect.TypeFor[T]()) {
		return v
	}
	checkComparable(fn, v)
	out := reflect.New(reflect.TypeFor[T]()).Elem()
	detachInto(out, reflect.ValueOf(&v).Elem())
	return out.Interface().(T)
}

// checkComparable panics with a message naming fn if v holds, behind an
// interface, a value that is not comparable, such as a slice in an any:
// hashing v would panic with a bare runtime error. It is apart from its
// callers (detach, Table.check) because reflect makes its copy of v escape:
// only values that hold interfaces pay for a heap copy.
func checkComparable[T comparable](fn string, v T) {
	if !reflect.ValueOf(&v).Elem().Comparable() {
		panic(fmt.Sprintf("intern: %s of a %T, which holds a value that is not comparable", fn, any(v)))
	}
}

// interfaceTypes caches holdsInterfaces by type.
var interfaceTypes sync.Map // reflect.Type → bool

// holdsInterfaces reports whether values of type t can hold an interface.
func holdsInterfaces(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Struct, reflect.Array:
	default:
		return false
	}
	if b, ok := interfaceTypes.Load(t); ok {
		return b.(bool)
	}
	b := false
	if t.Kind() == reflect.Array {
		b = t.Len() > 0 && holdsInterfaces(t.Elem())
	}
	for i := 0; t.Kind() == reflect.Struct && i < t.NumField(); i++ {
		b = b || holdsInterfaces(t.Field(i).Type)
	}
	interfaceTypes.Store(t, b)
	return b
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
