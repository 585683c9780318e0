package intern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"sync/atomic"
	"unicode/utf8"

	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// The errors of [Table.UnmarshalJSON] match one of these with [errors.Is].
var (
	// ErrSyntax: the input is not a JSON array of values of type T.
	ErrSyntax = errors.New("intern: invalid Table JSON")
	// ErrDuplicate: the array holds a value twice, which would need two
	// Syms.
	ErrDuplicate = errors.New("intern: duplicate value in Table JSON")
	// ErrConflict: the array does not start with the values the table
	// already holds, so decoding it would change what an issued Sym means.
	ErrConflict = errors.New("intern: Table JSON conflicts with the table")
)

// A Sym is a dense ID issued by a [Table]: the first distinct value gets 1,
// the next 2, and so on. The zero Sym means "none" and is never issued.
type Sym uint32

// A Table numbers distinct values densely and maps both ways: [Table.ID]
// from value to [Sym], [Table.Value] from Sym to value. IDs are never reused
// or removed; a Table only grows, until it becomes unreachable.
//
// Values are stored once, in insertion order, in a segmented array that
// never moves them, so [Table.Value] is a lock-free array index, and lookups
// by value take no lock either. Strings inside a stored value are copies,
// shared through [Value], that never alias the caller's memory.
//
// Values compare as map keys do: a NaN is never equal to itself, so each
// [Table.ID] of a NaN issues a new Sym; and where a map would panic with a
// runtime error, on a value holding an incomparable type behind an interface
// (a slice in an any), ID and [Table.Lookup] panic with an "intern: "
// message.
//
// A Table is safe for concurrent use. The zero Table is empty and ready to
// use. A Table must not be copied after first use. It encodes to JSON as the
// array of its values in Sym order, so that decoding restores the same IDs.
type Table[T comparable] struct {
	set set[T]
	// ifaces caches typecheck.HoldsInterfaces(T), which decides whether ID and Lookup
	// check v's comparability (see checkComparable): 0 until known, then 1
	// (T holds no interface) or 2. Asking reflect on every call cost a third
	// of a hit.
	ifaces atomic.Uint32
}

// check panics, naming fn, if v holds an incomparable value behind an
// interface.
func (t *Table[T]) check(fn string, v T) {
	k := t.ifaces.Load()
	if k == 0 {
		k = 1
		if typecheck.HoldsInterfaces(reflect.TypeFor[T]()) {
			k = 2
		}
		t.ifaces.Store(k)
	}
	if k == 2 {
		checkComparable(fn, v)
	}
}

// NewTable returns an empty Table.
func NewTable[T comparable]() *Table[T] {
	return new(Table[T])
}

// ID returns the Sym of v, issuing the next one if v is new to the table.
func (t *Table[T]) ID(v T) Sym {
	t.check("Table.ID", v)
	h := hash(v)
	if id, _ := t.set.find(h, v); id != 0 {
		return Sym(id)
	}
	id, _ := t.set.insert(h, stored(v))
	return Sym(id)
}

// Lookup returns the Sym of v and true, or 0 and false if v is not in the
// table. It never issues a Sym.
func (t *Table[T]) Lookup(v T) (Sym, bool) {
	t.check("Table.Lookup", v)
	id, _ := t.set.find(hash(v), v)
	return Sym(id), id != 0
}

// Value returns the value whose Sym is id. It panics if the table never
// issued id (including the zero Sym), as indexing a slice out of range does;
// a caller holding IDs from untrusted input checks 0 < id ≤ [Table.Len]
// first.
func (t *Table[T]) Value(id Sym) T {
	if !t.set.has(uint32(id)) {
		t.notIssued(id)
	}
	return t.set.at(uint32(id))
}

// notIssued panics for Value(id). It is apart from Value so that Value is
// small enough to be inlined.
func (t *Table[T]) notIssued(id Sym) {
	panic(fmt.Sprintf("intern: Table.Value(%d): Sym not issued by this table (Len %d)", id, t.Len()))
}

// Len returns the number of distinct values, which is also the highest Sym
// issued.
func (t *Table[T]) Len() int {
	return t.set.len()
}

// All returns an iterator over the table's Syms and values in Sym order. It
// yields the values present when iteration starts.
func (t *Table[T]) All() iter.Seq2[Sym, T] {
	return func(yield func(Sym, T) bool) {
		n := uint32(t.set.len())
		for id := uint32(1); id <= n; id++ {
			if !yield(Sym(id), t.set.at(id)) {
				return
			}
		}
	}
}

// MarshalJSON encodes the table as a JSON array of its values in Sym order:
// the value of Sym i is element i-1. It returns an error that names the
// first Sym whose value JSON cannot carry back to the same T (a string that
// is not valid UTF-8, which JSON writes as U+FFFD; an int in an interface,
// which decodes as a float64; a struct with unexported fields): decoding
// what it would write would not restore the table.
func (t *Table[T]) MarshalJSON() ([]byte, error) {
	out := []byte{'['}
	for id, v := range t.All() {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("intern: Table.MarshalJSON: Sym %d: %w", id, err)
		}
		if back, ok := readsBack(b, v); !ok {
			return nil, fmt.Errorf("intern: Table.MarshalJSON: the value of Sym %d, %#v, reads back from its JSON %s as %#v", id, v, b, back)
		}
		if id > 1 {
			out = append(out, ',')
		}
		out = append(out, b...)
	}
	return append(out, ']'), nil
}

// readsBack decodes b, the JSON of v, and reports whether that gives v.
func readsBack[T comparable](b []byte, v T) (back T, ok bool) {
	if s, isString := any(v).(string); isString {
		return v, utf8.ValidString(s) // the common case, without decoding
	}
	if json.Unmarshal(b, &back) != nil || !reflect.ValueOf(&back).Elem().Comparable() {
		return back, false
	}
	return back, back == v
}

// UnmarshalJSON decodes a JSON array of distinct values, as written by
// [Table.MarshalJSON], so that the value of element i gets Sym i+1. JSON
// null leaves the table as it is, as for any Go value.
//
// A table that already holds values accepts only an array that starts with
// exactly those values, in order, and appends the rest: a Sym issued before
// keeps its meaning for every goroutine that holds it.
//
// Malformed input ([ErrSyntax], which includes a null element where T is
// not a pointer or interface type, and an element that is not comparable,
// such as a JSON array in a Table[any]), a duplicate value ([ErrDuplicate]), or an
// array that does not extend the table ([ErrConflict]) returns an error that
// matches the sentinel with [errors.Is] and names the byte offset of the
// offending element, and leaves the table unchanged.
func (t *Table[T]) UnmarshalJSON(data []byte) error {
	elems, err := decodeDistinct[T](data)
	if err != nil || elems == nil {
		return err
	}
	t.set.mu.Lock()
	defer t.set.mu.Unlock()
	n := t.Len()
	if len(elems) < n {
		return fmt.Errorf("%w at byte offset %d: the array has %d values, the table already has %d", ErrConflict, len(data), len(elems), n)
	}
	for i, e := range elems[:n] {
		if have := t.set.at(uint32(i + 1)); have != e.v {
			return fmt.Errorf("%w at byte offset %d: element %d is %v, but the table already has %v as Sym %d", ErrConflict, e.offset, i, e.v, have, i+1)
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
	}
	return nil
}

// stored returns the copy of v that a Table keeps: v itself if T holds no
// pointers (it cannot alias anything), else its canonical copy, in which
// every string is cloned. Pointer-free values must not go through
// unique.Make: a small one lands in a tiny block that may never be freed,
// which GODEBUG=checkfinalizers=1 reports as a fatal error.
func stored[T comparable](v T) T {
	if hasPointers(reflect.TypeFor[T]()) {
		return Value(v)
	}
	return v
}

// hasPointers reports whether values of type t contain pointers (of the
// comparable kinds: strings, pointers, channels, interfaces).
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.String, reflect.Pointer, reflect.UnsafePointer, reflect.Chan, reflect.Interface:
		return true
	}
	return false
}

type element[T any] struct {
	v      T
	offset int64
}

// decodeDistinct decodes a JSON array of distinct values, remembering where
// each one starts. It returns nil, nil for JSON null.
func decodeDistinct[T comparable](data []byte) ([]element[T], error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(at int64, err error) ([]element[T], error) {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			at, err = int64(len(data)), io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%w at byte offset %d: %w", ErrSyntax, at, err)
	}
	tok, err := dec.Token()
	switch {
	case err != nil:
		return fail(dec.InputOffset(), err)
	case tok == nil:
		return nil, expectEnd(dec)
	case tok != json.Delim('['):
		return fail(0, fmt.Errorf("want a JSON array, found %v", tok))
	}
	values := []element[T]{}
	seen := map[T]int{}
	for dec.More() {
		// InputOffset is where the previous token ended; skip the comma and
		// white space to point at the element itself.
		off := dec.InputOffset()
		off += int64(len(data[off:]) - len(bytes.TrimLeft(data[off:], ", \t\r\n")))
		if bytes.HasPrefix(data[off:], []byte("null")) && !nullable(reflect.TypeFor[T]()) {
			// encoding/json would decode null as a no-op: the zero T.
			return fail(off, fmt.Errorf("element %d: null is not a %v", len(values), reflect.TypeFor[T]()))
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return fail(off, fmt.Errorf("element %d: %w", len(values), err))
		}
		if !reflect.ValueOf(&v).Elem().Comparable() {
			return fail(off, fmt.Errorf("element %d: %v (%T) is not comparable", len(values), v, any(v)))
		}
		if first, dup := seen[v]; dup {
			return nil, fmt.Errorf("%w at byte offset %d: element %d is element %d again (%v)", ErrDuplicate, off, len(values), first, v)
		}
		seen[v] = len(values)
		values = append(values, element[T]{v, off})
	}
	if _, err := dec.Token(); err != nil {
		return fail(dec.InputOffset(), err)
	}
	return values, expectEnd(dec)
}

// nullable reports whether JSON null decodes to a value of type t (nil),
// rather than leaving the zero value as a no-op.
func nullable(t reflect.Type) bool {
	return t.Kind() == reflect.Interface || t.Kind() == reflect.Pointer
}

// expectEnd returns an error if anything but white space follows the value.
func expectEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w at byte offset %d: data after the top-level value", ErrSyntax, dec.InputOffset())
	}
	return nil
}
