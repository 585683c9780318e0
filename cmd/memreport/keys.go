package main

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// A kind is one of JSON's value types, as a bit of a set.
type kind uint8

const (
	kindString kind = 1 << iota
	kindNumber
	kindBool
	kindNull
	kindArray
	kindObject
)

var kindNames = []string{"string", "number", "bool", "null", "array", "object"}

// kindOf returns the kind of the valid value that starts with c.
func kindOf(c byte) kind {
	switch c {
	case '"':
		return kindString
	case 't', 'f':
		return kindBool
	case 'n':
		return kindNull
	case '[':
		return kindArray
	case '{':
		return kindObject
	}
	return kindNumber
}

// names lists the kinds of the set k, in JSON's order.
func (k kind) names() []string {
	var out []string
	for i, n := range kindNames {
		if k&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// A member is one key and value of the record being scanned.
type member struct {
	key  []byte // a view of recordScratch.keys
	kind kind
	size int    // bytes of the value: a string's decoded bytes, else its JSON text
	hash uint64 // of the kind and the value, for the count of distinct values
}

// recordScratch holds the members of the record being scanned, so that the
// statistics count a record only once it has turned out well formed.
type recordScratch struct {
	// keys is the record's key set as one string: each key after its
	// length, in the record's order, so that equal key sequences are equal
	// strings.
	keys    []byte
	members []member
	value   []byte // a string value's decoded bytes
	seen    map[string]struct{}
}

func (r *recordScratch) reset() {
	r.keys, r.members = r.keys[:0], r.members[:0]
	clear(r.seen)
}

// key appends the key str and returns its bytes.
func (r *recordScratch) key(sc *jsonscan.Scanner, str jsonscan.String) []byte {
	k := sc.Bytes(str)
	if !str.Verbatim {
		r.value = sc.Unquote(str, r.value[:0])
		k = r.value
	}
	r.keys = binary.AppendUvarint(r.keys, uint64(len(k)))
	start := len(r.keys)
	r.keys = append(r.keys, k...)
	return r.keys[start:len(r.keys):len(r.keys)]
}

// linearKeys is how many keys a record has before has looks them up in a
// map rather than comparing them one by one.
const linearKeys = 16

// has reports whether the record being scanned already has key k.
func (r *recordScratch) has(k []byte) bool {
	if len(r.members) < linearKeys {
		for _, m := range r.members {
			if bytes.Equal(m.key, k) {
				return true
			}
		}
		return false
	}
	if r.seen == nil {
		r.seen = map[string]struct{}{}
	}
	if len(r.seen) == 0 {
		for _, m := range r.members {
			r.seen[string(m.key)] = struct{}{}
		}
	}
	_, ok := r.seen[string(k)]
	return ok
}

var seed = maphash.MakeSeed()

// member adds the key k and the valid value data[v:end].
func (r *recordScratch) member(sc *jsonscan.Scanner, k []byte, v, end int) {
	m := member{key: k, kind: kindOf(sc.Data[v])}
	value := sc.Data[v:end]
	if m.kind == kindString {
		str, _ := sc.Quoted(v) // valid: Value scanned it
		if str.Verbatim {
			value = sc.Bytes(str)
		} else {
			r.value = sc.Unquote(str, r.value[:0])
			value = r.value
		}
	}
	m.size = len(value)
	m.hash = maphash.Bytes(seed, value) ^ uint64(m.kind)*0x9e3779b97f4a7c15
	if len(r.members) >= linearKeys && len(r.seen) > 0 {
		r.seen[string(k)] = struct{}{}
	}
	r.members = append(r.members, m)
}

// A keyStat is what the input holds under one key.
type keyStat struct {
	name       string
	present    int
	kinds      kind
	valueBytes int64
	// values holds the hash of every distinct value; it is dropped once
	// the input is read, leaving the counts.
	values               map[uint64]struct{}
	distinct             int
	strings, strDistinct int
	strBytes             int64
}

// A keySet is a sequence of keys that records have, and how many.
type keySet struct {
	keys    []string
	records int
	index   int // in keyStats.ordered
}

// keyStats counts keys, values and key sets over the good records.
type keyStats struct {
	byName map[string]*keyStat
	keys   []*keyStat // in the order first seen
	sets   map[string]*keySet
	// ordered lists the key sets in the order first seen; setOf gives each
	// record's, as an index into it.
	ordered []*keySet
	setOf   []uint32
}

func newKeyStats() *keyStats {
	return &keyStats{byName: map[string]*keyStat{}, sets: map[string]*keySet{}}
}

// add counts the record in r.
func (s *keyStats) add(r *recordScratch) {
	for _, m := range r.members {
		k := s.byName[string(m.key)]
		if k == nil {
			k = &keyStat{name: string(m.key), values: map[uint64]struct{}{}}
			s.byName[k.name] = k
			s.keys = append(s.keys, k)
		}
		k.present++
		k.kinds |= m.kind
		k.valueBytes += int64(m.size)
		if _, ok := k.values[m.hash]; !ok {
			k.values[m.hash] = struct{}{}
			k.distinct++
			if m.kind == kindString {
				k.strDistinct++
			}
		}
		if m.kind == kindString {
			k.strings++
			k.strBytes += int64(m.size)
		}
	}
	set := s.sets[string(r.keys)]
	if set == nil {
		set = &keySet{index: len(s.ordered)}
		for _, m := range r.members {
			set.keys = append(set.keys, string(m.key))
		}
		s.sets[string(r.keys)] = set
		s.ordered = append(s.ordered, set)
	}
	set.records++
	s.setOf = append(s.setOf, uint32(set.index))
}

// done drops the value hashes, which only counting needed.
func (s *keyStats) done() {
	for _, k := range s.keys {
		k.values = nil
	}
	s.byName, s.sets = nil, nil
}
