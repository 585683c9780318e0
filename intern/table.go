package intern

import (
	"fmt"
	"iter"
	"reflect"
	"strings"
	"sync/atomic"
	"unsafe"

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
	// kind caches what ID and Lookup need to know of T: 0 until known,
	// then kindPlain, kindInterfaces (T can hold an interface, so ID and
	// Lookup check v's comparability, see checkComparable) or kindString
	// (T's underlying type is string, so IDBytes and LookupBytes can look
	// up a []byte). Asking reflect on every call would add its cost to
	// every hit (BenchmarkTable/op=ID measures a hit).
	kind atomic.Uint32

	hits   hitCounters
	misses atomic.Uint64
	bytes  atomic.Int64 // total length of the values, for a T of kind string
}

const (
	kindPlain = 1 + iota
	kindInterfaces
	kindString
)

// typeKind returns t.kind, working it out on first use.
func (t *Table[T]) typeKind() uint32 {
	k := t.kind.Load()
	if k == 0 {
		switch typ := reflect.TypeFor[T](); {
		case typ.Kind() == reflect.String:
			k = kindString
		case typecheck.HoldsInterfaces(typ):
			k = kindInterfaces
		default:
			k = kindPlain
		}
		t.kind.Store(k)
	}
	return k
}

// check panics, naming fn, if v holds an incomparable value behind an
// interface.
func (t *Table[T]) check(fn string, v T) {
	if t.typeKind() == kindInterfaces {
		checkComparable(fn, v)
	}
}

// ID returns the Sym of v, assigning the next one if v is new to the table.
func (t *Table[T]) ID(v T) Sym {
	t.check("Table.ID", v)
	h := hash(v)
	if id, _ := t.set.find(h, v); id != 0 {
		t.hits.add()
		return Sym(id)
	}
	return t.add(h, v)
}

// add assigns v, whose hash is h, its Sym, unless another goroutine did
// first.
func (t *Table[T]) add(h uint64, v T) Sym {
	id, added := t.set.insert(h, stored(v))
	if !added {
		t.hits.add()
		return Sym(id)
	}
	t.countAdded(v)
	return Sym(id)
}

// countAdded counts v, just added, in the table's Stats.
func (t *Table[T]) countAdded(v T) {
	t.misses.Add(1)
	if t.typeKind() == kindString {
		t.bytes.Add(int64(len(*(*string)(unsafe.Pointer(&v)))))
	}
}

// IDBytes is [Table.ID] of string(b), for a Table whose values are strings
// (T's underlying type is string): it does not allocate when the table
// holds string(b) already, and the table never keeps b's memory. It panics
// for any other T.
func (t *Table[T]) IDBytes(b []byte) Sym {
	v := t.bytesValue("Table.IDBytes", b)
	h := hash(v)
	if id, _ := t.set.find(h, v); id != 0 {
		t.hits.add()
		return Sym(id)
	}
	return t.add(h, v) // stored copies v, which is b's memory
}

// LookupBytes is [Table.Lookup] of string(b), for a Table whose values are
// strings: it never allocates and never assigns a Sym. It panics for any
// other T.
func (t *Table[T]) LookupBytes(b []byte) (Sym, bool) {
	v := t.bytesValue("Table.LookupBytes", b)
	id, _ := t.set.find(hash(v), v)
	return Sym(id), id != 0
}

// bytesValue returns b's memory as a T, whose underlying type is string, to
// look up and compare only; it panics, naming fn, for any other T.
func (t *Table[T]) bytesValue(fn string, b []byte) T {
	if t.typeKind() != kindString {
		panic(fmt.Sprintf("intern: %s on a Table[%v], whose values are not strings", fn, reflect.TypeFor[T]()))
	}
	s := unsafe.String(unsafe.SliceData(b), len(b))
	return *(*T)(unsafe.Pointer(&s))
}

// Stats returns the table's counters: every call of [Table.ID] or
// [Table.IDBytes] counts as a hit or a miss (one that assigned a Sym);
// Bytes is the total length of the values for a Table of strings, and 0
// for any other. Under concurrent use the counters are read one by one,
// not as an atomic snapshot.
func (t *Table[T]) Stats() Stats {
	return Stats{Hits: t.hits.sum(), Misses: t.misses.Load(), Entries: t.Len(), Bytes: t.bytes.Load()}
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
