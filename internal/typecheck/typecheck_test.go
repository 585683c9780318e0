package typecheck_test

import (
	"reflect"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

func TestHoldsInterfaces(t *testing.T) {
	type flat struct {
		A int
		B string
	}
	type nested struct {
		F flat
		X [2]struct{ E error }
	}
	for _, tt := range []struct {
		t    reflect.Type
		want bool
	}{
		{reflect.TypeFor[int](), false},
		{reflect.TypeFor[string](), false},
		{reflect.TypeFor[*any](), false},
		{reflect.TypeFor[flat](), false},
		{reflect.TypeFor[[0]any](), false},
		{reflect.TypeFor[any](), true},
		{reflect.TypeFor[error](), true},
		{reflect.TypeFor[[3]any](), true},
		{reflect.TypeFor[nested](), true},
	} {
		for range 2 { // the second answer comes from the cache
			if got := typecheck.HoldsInterfaces(tt.t); got != tt.want {
				t.Errorf("HoldsInterfaces(%v) = %v, want %v", tt.t, got, tt.want)
			}
		}
	}
}

func TestComparable(t *testing.T) {
	type wrapped struct{ v any }
	for _, tt := range []struct {
		name string
		got  bool
		want bool
	}{
		{"int", typecheck.Comparable(1), true},
		{"nil any", typecheck.Comparable[any](nil), true},
		{"string in any", typecheck.Comparable[any]("s"), true},
		{"slice in any", typecheck.Comparable[any]([]int{1}), false},
		{"map in struct", typecheck.Comparable(wrapped{map[int]int{}}), false},
		{"slice in nested any", typecheck.Comparable[any](wrapped{[]int{}}), false},
		{"array of any", typecheck.Comparable([2]any{1, "x"}), true},
	} {
		if tt.got != tt.want {
			t.Errorf("Comparable(%s) = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestHasPointers(t *testing.T) {
	type flat struct {
		A int
		B [2]float64
	}
	type withString struct {
		N flat
		S [1]string
	}
	for _, tt := range []struct {
		t    reflect.Type
		want bool
	}{
		{reflect.TypeFor[int](), false},
		{reflect.TypeFor[complex128](), false},
		{reflect.TypeFor[flat](), false},
		{reflect.TypeFor[[0]string](), false},
		{reflect.TypeFor[struct{}](), false},
		{reflect.TypeFor[string](), true},
		{reflect.TypeFor[*int](), true},
		{reflect.TypeFor[chan int](), true},
		{reflect.TypeFor[any](), true},
		{reflect.TypeFor[[3]string](), true},
		{reflect.TypeFor[withString](), true},
	} {
		if got := typecheck.HasPointers(tt.t); got != tt.want {
			t.Errorf("HasPointers(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}
