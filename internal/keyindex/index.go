package keyindex

import (
	"fmt"
	"hash/maphash"
	"math/bits"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// linearMax is the largest key sequence that an Index searches linearly:
// comparing up to eight keys in order costs less than hashing one key
// (slotdict's BenchmarkGet). String keys are compared through fingerprints
// first (see fingerprint), so that keys of equal length, which make every
// string comparison read bytes, do not slow the search down
// (BenchmarkGetEqualLength).
const linearMax = 8

// An Index finds the position of a key among the first len(Keys) keys of a
// [Family], with the family's hash table as it was when the Index was made.
// The zero Index is empty. An Index is a value: copies of it are the same
// index.
//
// Above linearMax keys the table is open addressing over uint32 slots, each
// holding an 8-bit tag of the key's hash and the key's position plus one (0
// marks an empty slot), at most half full: a lookup hashes the key, compares
// tags, and compares a key only on a tag match. A slot costs 4 bytes where a
// map entry costs several times a key, which matters because slotdict's
// schemas are many (one per distinct key layout of decoded records) and live
// as long as their records. The key is one more load away from its slot than
// in a map, which string keys make up for with a cheaper hash (StringHash).
type Index[K comparable] struct {
	// Keys are the keys in order. They belong to the family: never
	// modify them.
	Keys []K
	// slots is the hash table above linearMax keys, shared with the longer
	// views of the family and read atomically, since the family may be
	// adding slots for them. Up to linearMax keys it holds the fingerprint
	// of each key if K is a string type, and is nil otherwise.
	slots []uint32
}

const (
	posBits = 24
	posMask = 1<<posBits - 1
)

// MaxKeys is the most keys a Family holds: positions plus one fit in 24
// bits.
const MaxKeys = posMask - 1

// seed hashes keys for every index of the process.
var seed = maphash.MakeSeed()

// Hash returns the hash of k in an index's table.
//
// Keys of string types are hashed by StringHash. Asking reflect for K's kind
// compiles to a constant comparison, where a flag would cost every index a
// word, and a type assertion (any(k).(string)) would make k escape: a JSON
// key unquoted into a stack buffer would move to the heap (slotdict's
// TestDecodeJSONAllocations). The kind check is written out rather than put
// in a generic helper, which the compiler does not inline.
func Hash[K comparable](k K) uint64 {
	if reflect.TypeFor[K]().Kind() == reflect.String {
		return StringHash(*asString(&k))
	}
	return maphash.Comparable(seed, k)
}

// asString returns k as a pointer to the string it is; K must be a string
// type.
func asString[K comparable](k *K) *string { return (*string)(unsafe.Pointer(k)) }

// fingerprint is a summary of s that equal strings share: its length and
// its first, middle and last bytes. Keys of one sequence that differ in
// length or in one of those bytes (field names usually do: "id", "name",
// "created_at"; and numbered ones: "field_1", "field_2") have different
// fingerprints, so a linear search of string keys compares bytes only at
// the key it finds. It reads three bytes of s, where hashing reads all.
func fingerprint(s string) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint32(n)&0xff | uint32(s[0])<<8 | uint32(s[n/2])<<16 | uint32(s[n-1])<<24
}

// Position returns the position of k, or -1.
func (x *Index[K]) Position(k K) int {
	n := len(x.Keys)
	if n <= linearMax {
		if x.slots == nil {
			for i, key := range x.Keys {
				if key == k {
					return i
				}
			}
			return -1
		}
		// Only string types have fingerprints (see Family.Add). The view
		// holds as many as keys; slicing the keys to the fingerprints'
		// length lets the compiler drop the bounds check in the loop.
		fp := fingerprint(*asString(&k))
		keys := x.Keys[:len(x.slots)]
		for i, f := range x.slots {
			if f == fp && keys[i] == k {
				return i
			}
		}
		return -1
	}
	h := Hash(k)
	tag := uint32(h>>56) << posBits
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := atomic.LoadUint32(&x.slots[i])
		if s == 0 {
			return -1
		}
		// A slot of a position beyond this view belongs to a longer one:
		// its key is not k, or k is not in this view.
		if s&^posMask == tag {
			if p := int(s&posMask) - 1; p < n && x.Keys[p] == k {
				return p
			}
		}
	}
}

// A Family holds sequences of keys that extend one another: the views
// ([Family.View]) of its first n keys, for every n, share its key array and
// hash table instead of each holding a copy. A sequence that grows a key at
// a time then costs amortized O(1) time and memory per key, and its longest
// view holds no more than twice what an index of the same keys made at once
// holds (the spare capacity of the arrays).
//
// Keys are only ever appended, and a view reads no further than its length,
// so views need no lock; the table slots that appends write are read
// atomically (Index.Position). Growing an array or the table replaces it
// for later views and leaves the old one to the views that hold it. The
// zero Family is empty and ready to use. A Family must not be copied.
type Family[K comparable] struct {
	mu    sync.Mutex // serializes Extend
	keys  []K
	fps   []uint32 // fingerprints of the first linearMax keys (string K only)
	slots []uint32 // the table, once there are more than linearMax keys
	arena []byte   // where Own and Extend copy the bytes of string keys
}

// NewFamily returns a family of keys, which it keeps, and -1; or, if a key
// occurs twice, the position of its second occurrence. Its table is sized
// for keys alone, two to four slots a key, as for a sequence that will not
// grow. It panics if there are more than MaxKeys keys.
func NewFamily[K comparable](keys []K) (f *Family[K], dup int) {
	n := len(keys)
	if n > MaxKeys {
		panic(fmt.Sprintf("keyindex: %d keys: a family holds at most %d", n, MaxKeys))
	}
	f = &Family[K]{keys: keys}
	if n <= linearMax {
		for i, k := range keys {
			for _, prev := range keys[:i] {
				if prev == k {
					return f, i
				}
			}
		}
		if n > 0 && reflect.TypeFor[K]().Kind() == reflect.String {
			f.fps = make([]uint32, n, linearMax)
			for i := range keys {
				f.fps[i] = fingerprint(*asString(&keys[i]))
			}
		}
		return f, -1
	}
	f.slots = make([]uint32, 1<<bits.Len(uint(2*n-1))) // a power of two ≥ 2n
	mask := uint64(len(f.slots) - 1)
	for p, k := range keys {
		i := Hash(k) & mask
		for ; f.slots[i] != 0; i = (i + 1) & mask {
			if q := int(f.slots[i]&posMask) - 1; keys[q] == k {
				return f, p
			}
		}
		f.slots[i] = slot(k, p)
	}
	return f, -1
}

// Len returns the number of keys in f.
func (f *Family[K]) Len() int { return len(f.keys) }

// View returns the index of the first n keys of f.
func (f *Family[K]) View(n int) Index[K] {
	x := Index[K]{Keys: f.keys[:n:n]}
	switch {
	case n > linearMax:
		x.slots = f.slots
	case f.fps != nil:
		x.slots = f.fps[:n:n]
	}
	return x
}

// Extend appends k to f if f has exactly n keys, and returns the view of
// its first n+1 keys and true; otherwise, another key follows the first n,
// and it returns false. k must not be among the first n keys. A string k's
// bytes are copied, as Own copies them. Extend is safe for concurrent use
// with itself and with the use of f's views; it panics if f already holds
// MaxKeys keys.
func (f *Family[K]) Extend(n int, k K) (Index[K], bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.keys) != n {
		return Index[K]{}, false
	}
	f.Add(f.own(k, 0))
	return f.View(n + 1), true
}

// Own copies the bytes of f's keys from position from on, if K is of a
// string kind, into memory that f keeps for them, and makes those keys
// refer to the copies: the keys of a long-lived sequence then keep nothing
// of the caller's alive, and lie packed together rather than each in an
// allocation of its own (where short ones would share the runtime's tiny
// blocks with whatever was allocated beside them, and keep those alive).
// Keys of other types, and strings inside them, are kept as given. f must
// be known to its caller only.
func (f *Family[K]) Own(from int) {
	if reflect.TypeFor[K]().Kind() != reflect.String {
		return
	}
	total := 0
	for i := range f.keys[from:] {
		total += len(*asString(&f.keys[from+i]))
	}
	if total > cap(f.arena)-len(f.arena) {
		f.arena = make([]byte, 0, max(total, minArena))
	}
	for i := range f.keys[from:] {
		f.keys[from+i] = f.own(f.keys[from+i], 0)
	}
}

// own returns k with its bytes copied into f's arena if K is of a string
// kind, growing the arena by chunks (up to maxArena at a time) for keys
// that come one by one; need is the room Own made for the keys to come.
func (f *Family[K]) own(k K, need int) K {
	if reflect.TypeFor[K]().Kind() != reflect.String {
		return k
	}
	p := asString(&k)
	if len(*p) == 0 {
		return k
	}
	if len(*p) > cap(f.arena)-len(f.arena) {
		f.arena = make([]byte, 0, max(len(*p), need, min(2*cap(f.arena), maxArena), minArena))
	}
	start := len(f.arena)
	f.arena = append(f.arena, *p...)
	*p = unsafe.String(&f.arena[start], len(*p))
	return k
}

// Arena chunks: at least minArena bytes, so that a chunk is never one of the
// runtime's tiny allocations (see own), and, for keys added one by one, at
// most maxArena at a time.
const (
	minArena = 16
	maxArena = 4 << 10
)

// Add appends k, which is not among f's keys, growing the key array as
// append does, and the table to keep it at most half full. It is for a
// family that only its caller knows (for the others, see Extend). It panics
// if f already holds MaxKeys keys.
func (f *Family[K]) Add(k K) {
	n := len(f.keys)
	if n == MaxKeys {
		panic(fmt.Sprintf("keyindex: a family holds at most %d keys", MaxKeys))
	}
	f.keys = append(f.keys, k)
	switch {
	case n < linearMax && reflect.TypeFor[K]().Kind() == reflect.String:
		f.fps = append(f.fps, fingerprint(*asString(&k)))
	case n == linearMax || n > linearMax && 2*(n+1) > len(f.slots):
		// The first table, or a bigger one: private until a view shares
		// it, so plain stores. It doubles each time (two to four slots a
		// key, as NewFamily's), so rebuilding costs amortized O(1) a key.
		// The first may reuse the table a Reset kept, which no view shares.
		if n > linearMax || 2*(n+1) > len(f.slots) {
			f.slots = make([]uint32, 1<<bits.Len(uint(2*(n+1)-1))) // a power of two ≥ 2(n+1)
		} else {
			clear(f.slots)
		}
		mask := uint64(len(f.slots) - 1)
		for p, key := range f.keys {
			i := Hash(key) & mask
			for ; f.slots[i] != 0; i = (i + 1) & mask {
			}
			f.slots[i] = slot(key, p)
		}
	case n+1 > linearMax:
		mask := uint64(len(f.slots) - 1)
		i := Hash(k) & mask
		for ; atomic.LoadUint32(&f.slots[i]) != 0; i = (i + 1) & mask {
		}
		atomic.StoreUint32(&f.slots[i], slot(k, n))
	}
}

// Reset empties f, which only its caller knows, keeping its arrays for the
// keys to come if they are small (clearing a big table for every short
// sequence after a long one would cost more than it saves). The views of f
// made before are no longer valid.
func (f *Family[K]) Reset() {
	const keep = 64 // keys, and four times as many slots
	if cap(f.keys) > keep || len(f.slots) > 4*keep {
		*f = Family[K]{}
		return
	}
	clear(f.keys)
	f.keys = f.keys[:0]
	f.fps = f.fps[:0]
	// The table is rebuilt from the keys when the next sequence outgrows
	// the linear search (see Add).
}

// slot returns the table slot of key k at position p.
func slot[K comparable](k K, p int) uint32 {
	return uint32(Hash(k)>>56)<<posBits | uint32(p+1)
}
