package typecheck

import (
	"reflect"
	"sync"
)

// interfaceTypes caches HoldsInterfaces by type.
var interfaceTypes sync.Map // reflect.Type → bool

// HoldsInterfaces reports whether values of type t can hold an interface
// value: t is an interface type, or a struct or array with one inside at
// any depth. Answers for structs and arrays are cached; other kinds cost a
// switch.
func HoldsInterfaces(t reflect.Type) bool {
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
		b = t.Len() > 0 && HoldsInterfaces(t.Elem())
	}
	for i := 0; t.Kind() == reflect.Struct && i < t.NumField(); i++ {
		b = b || HoldsInterfaces(t.Field(i).Type)
	}
	interfaceTypes.Store(t, b)
	return b
}

// HasPointers reports whether values of type t, a comparable type, contain
// pointers: strings, pointers, channels or interfaces, at any depth of
// structs and arrays. A value without them cannot alias other memory, and
// unique.Make stores a small one in a tiny block that may never be freed.
func HasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return t.Len() > 0 && HasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if HasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.String, reflect.Pointer, reflect.UnsafePointer, reflect.Chan, reflect.Interface:
		return true
	}
	return false
}

// Comparable reports whether v can be compared and hashed without a
// run-time panic: it is false only if v holds, behind an interface, a value
// of an incomparable type. reflect makes v escape, so each call copies v to
// the heap; callers ask only for types that HoldsInterfaces, and call it
// from a function of its own, so that their own arguments do not escape.
func Comparable[T comparable](v T) bool {
	return reflect.ValueOf(&v).Elem().Comparable()
}
