package intern

import (
	"fmt"
	"iter"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/seed5da3ae9a/flyweight/internal/typecheck"
)

// A Sym is a dense ID assigned by a [Table]: the first distinct value gets 1,
// the next 2, and so on. The zero Sym means "none" and is never assigned.
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
// [Table.ID] of a NaN assigns a new Sym; and where a map would panic with a
// runtime error, on a value holding an incomparable type behind an interface
// (a slice in an any), ID and [Table.Lookup] panic with an "intern: "
// message.
//
// A Table is safe for concurrent use. The zero Table is empty and ready to
// use: declare one in place (a variable or a struct field) or allocate one
// with new. A Table must not be copied: hold it by pointer or in place. It
// holds a mutex, so go vet's copylocks check reports a copy.
//
// A Table encodes to JSON as the array of its values in Sym order, so that
// decoding restores the same IDs (see [Table.MarshalJSON] and
// [Table.UnmarshalJSON]).
type Table[T comparable] struct {
	set set[T]
	// ifaces caches typecheck.HoldsInterfaces(T), which decides whether ID
	// and Lookup check v's comparability (see checkComparable): 0 until
	// known, then 1 (T holds no interface) or 2. Asking reflect on every
	// call would add its cost to every hit (BenchmarkTable/op=ID measures
	// a hit).
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
// table. It never assigns a Sym.
func (t *Table[T]) Lookup(v T) (Sym, bool) {
	t.check("Table.Lookup", v)
	id, _ := t.set.find(hash(v), v)
	return Sym(id), id != 0
}

// Value returns the value whose Sym is id. It panics if the table never
// assigned id (including the zero Sym), as indexing a slice out of range does;
// a caller holding IDs from untrusted input checks 0 < id ≤ [Table.Len]
// first.
func (t *Table[T]) Value(id Sym) T {
	if !t.set.has(uint32(id)) {
		t.notAssigned(id)
	}
	return t.set.at(uint32(id))
}

// notAssigned panics for Value(id). It is apart from Value so that the
// formatting of the panic stays out of Value's body.
func (t *Table[T]) notAssigned(id Sym) {
	panic(fmt.Sprintf("intern: Table.Value(%d): Sym not assigned by this table (Len %d)", id, t.Len()))
}

// Len returns the number of distinct values, which is also the highest Sym
// assigned.
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

// stored returns the copy of v that a Table keeps: a plain copy of a
// string, v itself if T holds no pointers (it cannot alias anything), else
// its canonical copy, in which every string is cloned. Pointer-free values must not go through
// unique.Make: a small one lands in a tiny block that may never be freed,
// which GODEBUG=checkfinalizers=1 reports as a fatal error.
func stored[T comparable](v T) T {
	if s, ok := any(v).(string); ok {
		return any(strings.Clone(s)).(T) // a plain copy: nothing to share through unique
	}
	if typecheck.HasPointers(reflect.TypeFor[T]()) {
		return Value(v)
	}
	return v
}
