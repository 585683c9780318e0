package intern

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"unicode/utf8"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// DecodeError is the error of [Table.UnmarshalJSON], as of every JSON
// decoder of the module: it gives the byte offset at which the offending
// token or element starts, and its Err is [ErrSyntax], [ErrDuplicate],
// [ErrConflict], or the error of decoding an element into T (a
// *json.UnmarshalTypeError, whose own Offset also counts from the start of
// the input). slotdict.DecodeError and flyweight.DecodeError are the same
// type.
type DecodeError = jsonscan.DecodeError

// The sentinels of [Table.UnmarshalJSON]'s errors, matched with
// [errors.Is]. ErrSyntax is the module's one syntax sentinel: the same value
// as slotdict.ErrSyntax and flyweight.ErrSyntax.
var (
	// ErrSyntax: the input is not a JSON array of values of type T: it is
	// not valid JSON, ends too early, is another JSON value, has data after
	// the array, or has an element that T cannot hold (null where T is not
	// a pointer or interface type, or a value that is not comparable, such
	// as a JSON array in a Table[any]).
	ErrSyntax = jsonscan.ErrSyntax
	// ErrDuplicate: the array holds a value twice, which would need two
	// Syms.
	ErrDuplicate = errors.New("duplicate value in Table JSON")
	// ErrConflict: the array does not start with the values the table
	// already holds, so decoding it would change what an assigned Sym means.
	ErrConflict = errors.New("conflicting Table JSON")
)

// MarshalJSON encodes the table as a JSON array of its values in Sym order:
// the value of Sym i is element i-1. It returns an error that names the
// first Sym whose value JSON cannot carry back to the same T, with the type
// and value it holds and the type and value its JSON decodes to (a string
// that is not valid UTF-8, which JSON writes as U+FFFD; an int in an
// interface, which decodes as a float64; a struct with unexported fields):
// [Table.UnmarshalJSON] of what it would write would not restore the table.
func (t *Table[T]) MarshalJSON() ([]byte, error) {
	out := []byte{'['}
	for id, v := range t.All() {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("intern: Table.MarshalJSON: Sym %d: %w", id, err)
		}
		if err := readsBack(b, v, int(id)-1); err != nil {
			return nil, fmt.Errorf("intern: Table.MarshalJSON: Sym %d holds %T %#v, which its JSON %s %w", id, any(v), v, b, err)
		}
		if id > 1 {
			out = append(out, ',')
		}
		out = append(out, b...)
	}
	return append(out, ']'), nil
}

// readsBack decodes b, the JSON of v, as UnmarshalJSON decodes element n,
// and returns nil if that gives v, or an error that completes the sentence
// "its JSON b …".
func readsBack[T comparable](b []byte, v T, n int) error {
	if s, isString := any(v).(string); isString && utf8.ValidString(s) {
		return nil // the common case, without decoding
	}
	sc := jsonscan.Scanner{Data: b}
	var back T
	end, err := decodeElement(&sc, 0, n, &back)
	if err == nil {
		err = sc.End(end)
	}
	switch {
	case err != nil:
		return fmt.Errorf("does not read back: %w", err)
	case back != v:
		return fmt.Errorf("reads back as %T %#v", any(back), back)
	}
	return nil
}

// UnmarshalJSON decodes a JSON array of distinct values, as written by
// [Table.MarshalJSON], so that the value of element i gets Sym i+1. Each
// element is decoded into T as encoding/json decodes it (into a Table[any],
// numbers as float64 and strings as string). JSON null leaves the table as
// it is, as for any Go value.
//
// A table that already holds values accepts only an array that starts with
// exactly those values, in order, and appends the rest: a Sym assigned before
// keeps its meaning for every goroutine that holds it.
//
// On error the table is unchanged, and the error is a *[DecodeError] that
// names the byte offset of the offending element or token and matches with
// [errors.Is] one of [ErrSyntax] (malformed input, a null element where T is
// not a pointer or interface type, or an element that is not comparable,
// such as a JSON array in a Table[any]), [ErrDuplicate] (a value twice) or
// [ErrConflict] (an array that does not extend the table), or wraps the
// error of decoding an element into T (a *json.UnmarshalTypeError for a
// JSON number in a Table[string], say).
func (t *Table[T]) UnmarshalJSON(data []byte) error {
	elems, end, err := decodeDistinct[T](data)
	if err != nil || elems == nil {
		return err
	}
	t.set.mu.Lock()
	defer t.set.mu.Unlock()
	n := t.Len()
	if len(elems) < n {
		// The closing bracket is the offending token: the array ends
		// before the values the table holds do.
		return jsonscan.Errorf(end, ErrConflict, "the array has %d values, the table already has %d", len(elems), n)
	}
	for i, e := range elems[:n] {
		if have := t.set.at(uint32(i + 1)); have != e.v {
			return jsonscan.Errorf(e.offset, ErrConflict, "element %d is %v, but the table already has %v as Sym %d", i, e.v, have, i+1)
		}
	}
	// The copies to keep are made before the first is added, so that
	// nothing can stop the appends halfway.
	add := make([]T, len(elems)-n)
	for i, e := range elems[n:] {
		add[i] = stored(e.v)
	}
	for _, v := range add {
		t.set.addLocked(hash(v), v)
		t.countAdded(v)
	}
	return nil
}

type element[T any] struct {
	v      T
	offset int64
}

// decodeDistinct decodes a JSON array of distinct values, remembering where
// each one starts. It returns them with the offset of the array's closing
// bracket, or nil for JSON null.
func decodeDistinct[T comparable](data []byte) (elems []element[T], closing int64, err error) {
	sc := jsonscan.Scanner{Data: data}
	i := sc.Space(0)
	if null, err := sc.Null(i); null {
		return nil, 0, err
	}
	i, more, err := sc.OpenArray(i)
	if err != nil {
		return nil, 0, err
	}
	elems = []element[T]{}
	seen := map[T]int{}
	for more {
		var v T
		end, err := decodeElement(&sc, i, len(elems), &v)
		if err != nil {
			return nil, 0, err
		}
		if first, dup := seen[v]; dup {
			return nil, 0, jsonscan.Errorf(int64(i), ErrDuplicate, "element %d is element %d again (%v)", len(elems), first, v)
		}
		seen[v] = len(elems)
		elems = append(elems, element[T]{v, int64(i)})
		if i, more, err = sc.NextElement(end); err != nil {
			return nil, 0, err
		}
	}
	if err := sc.End(i); err != nil {
		return nil, 0, err
	}
	return elems, int64(i - 1), nil // NextElement returned the position after ']'
}

// decodeElement decodes element n of a Table's array, which starts at i,
// into *p, and returns the position after it. Unlike encoding/json, it
// refuses a null that would leave the zero T as a no-op, and a value that
// is not comparable: neither can be given a Sym.
func decodeElement[T comparable](sc *jsonscan.Scanner, i, n int, p *T) (int, error) {
	if i < len(sc.Data) && sc.Data[i] == 'n' && !nullable(reflect.TypeFor[T]()) {
		if _, err := sc.Literal(i, "null"); err != nil {
			return 0, err
		}
		return 0, jsonscan.Errorf(sc.Base+int64(i), ErrSyntax, "element %d: null is not a %v", n, reflect.TypeFor[T]())
	}
	end, err := jsonscan.DecodeValue(sc, i, 1, p, &elementOptions)
	if err != nil {
		return 0, err
	}
	if typecheck.HoldsInterfaces(reflect.TypeFor[T]()) && !typecheck.Comparable(*p) {
		return 0, jsonscan.Errorf(sc.Base+int64(i), ErrSyntax, "element %d: %v (%T) is not comparable", n, *p, any(*p))
	}
	return end, nil
}

// elementOptions decode elements as encoding/json does, duplicate keys
// included (the last wins): an object decoded into an any is a map, which
// is refused as not comparable whatever its keys.
var elementOptions = jsonscan.Options{AllowDuplicates: true}

// nullable reports whether JSON null decodes to a value of type t (nil),
// rather than leaving the zero value as a no-op.
func nullable(t reflect.Type) bool {
	return t.Kind() == reflect.Interface || t.Kind() == reflect.Pointer
}
