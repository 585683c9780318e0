package flyweight

import (
	"hash/maphash"
	"strconv"
	"unsafe"
)

// A dictionary holds the distinct values of a column once each, numbered
// from 0 in order of arrival: a value's text (a string's value, a number's
// text, the compact JSON of an array or object) and, once it holds values
// other than strings, each value's kind and a number's float64. Its hash
// table is open addressing over uint32 slots holding an id plus one, at
// most seven eighths full, hashing a value's text: far smaller than a map
// from strings, since the text is stored once, in the entries.
//
// Entry texts live in chunks that are never reallocated, so the strings of
// the entries (views of the chunks) stay valid as the dictionary grows, and
// an interface can point at one (see box). A packed dictionary, which never
// hands out its strings, keeps its texts in one slab with the end of each
// instead: four bytes an entry where a string header takes sixteen.
type dictionary struct {
	texts  vec[string] // the text of each entry, unless packed
	packed bool
	slab   []byte       // the texts one after another, if packed
	ends   vec[uint32]  // the end of each in slab, if packed
	mixed  bool         // kinds and nums are kept: not every entry is a string
	kinds  vec[kind]    // the kind of each entry, if mixed
	nums   vec[float64] // the value of a number entry (0 for others), if mixed
	table  []uint32
	chunk  []byte // the chunk being filled
	bytes  int    // the length of every entry's text
}

// Chunks of entry texts: an eighth of the texts so far, so that the spare
// room of the last one is a small part of the whole, but at least minChunk
// and at most maxChunk bytes (or the one text, if it is longer).
const (
	minChunk = 256
	maxChunk = 64 << 10
)

var dictSeed = maphash.MakeSeed()

func dictHash(k kind, b []byte) uint64 {
	return maphash.Bytes(dictSeed, b) ^ uint64(k)*0x9E3779B97F4A7C15
}

func (d *dictionary) len() int {
	if d.packed {
		return d.ends.len()
	}
	return d.texts.len()
}

// text returns the text of entry id: for a packed dictionary, a view of its
// slab valid until the next entry is added.
func (d *dictionary) text(id int) string {
	if !d.packed {
		return d.texts.at(id)
	}
	start := uint32(0)
	if id > 0 {
		start = d.ends.at(id - 1)
	}
	t := d.slab[start:d.ends.at(id)]
	return unsafe.String(unsafe.SliceData(t), len(t))
}

// kind returns the kind of entry id.
func (d *dictionary) kind(id int) kind {
	if !d.mixed {
		return kString
	}
	return d.kinds.at(id)
}

// id returns the id of the value (k, b), adding it if it is new; b is
// copied. ok is false if the dictionary is full (maxDictionary entries).
func (d *dictionary) id(k kind, b []byte) (id uint32, ok bool) {
	if 8*(d.len()+1) > 7*len(d.table) {
		d.grow()
	}
	h := dictHash(k, b)
	mask := uint64(len(d.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := d.table[i]
		if s == 0 {
			if d.len() == maxDictionary || d.packed && len(d.slab)+len(b) > maxSpan {
				return 0, false
			}
			id := uint32(d.len())
			d.table[i] = id + 1
			d.add(k, b)
			return id, true
		}
		if d.text(int(s-1)) == string(b) && d.kind(int(s-1)) == k {
			return s - 1, true
		}
	}
}

func (d *dictionary) add(k kind, b []byte) {
	if d.packed { // of strings only
		d.slab = append(d.slab, b...)
		d.ends.push(uint32(len(d.slab)))
		d.bytes += len(b)
		return
	}
	if len(d.chunk)+len(b) > cap(d.chunk) {
		size := min(max(d.bytes/8, minChunk), maxChunk)
		d.chunk = make([]byte, 0, max(size, len(b)))
	}
	start := len(d.chunk)
	d.chunk = append(d.chunk, b...)
	text := d.chunk[start:]
	if k != kString && !d.mixed {
		for range d.len() {
			d.kinds.push(kString)
			d.nums.push(0)
		}
		d.mixed = true
	}
	d.texts.push(unsafe.String(unsafe.SliceData(text), len(text)))
	if d.mixed {
		var f float64
		if k == kNumber {
			f, _ = strconv.ParseFloat(string(b), 64) // out of range: only with UseNumber, never read as a float
		}
		d.kinds.push(k)
		d.nums.push(f)
	}
	d.bytes += len(b)
}

func (d *dictionary) grow() {
	size := max(16, 2*len(d.table))
	if d.table == nil && d.len() > 0 {
		for 8*(d.len()+1) > 7*size {
			size *= 2
		}
	}
	d.table = make([]uint32, size)
	mask := uint64(size - 1)
	for id := range d.len() {
		text := d.text(id)
		h := dictHash(d.kind(id), unsafe.Slice(unsafe.StringData(text), len(text)))
		i := h & mask
		for d.table[i] != 0 {
			i = (i + 1) & mask
		}
		d.table[i] = uint32(id) + 1
	}
}

func (d *dictionary) clip() {
	d.slab = clipped(d.slab)
	d.ends.clip()
	d.kinds.clip()
	d.texts.clip()
	d.nums.clip()
}

// An idVec holds the dictionary ids of a column's values, one, two or four
// bytes each: the fewest that hold every id so far. Widening rewrites the
// ids, which happens at most twice, so it costs O(1) amortized per value.
type idVec struct {
	width uint8
	b1    vec[uint8]
	b2    vec[uint16]
	b4    vec[uint32]
}

func (v *idVec) len() int { return v.b1.len() + v.b2.len() + v.b4.len() }

func (v *idVec) at(i int) uint32 {
	switch v.width {
	case 0:
		return uint32(v.b1.at(i))
	case 1:
		return uint32(v.b2.at(i))
	}
	return v.b4.at(i)
}

func (v *idVec) push(id uint32) {
	switch {
	case v.width == 0 && id > 0xff:
		for i := range v.b1.len() {
			v.b2.push(uint16(v.b1.at(i)))
		}
		v.b1, v.width = vec[uint8]{}, 1
	case v.width == 1 && id > 0xffff:
		for i := range v.b2.len() {
			v.b4.push(uint32(v.b2.at(i)))
		}
		v.b2, v.width = vec[uint16]{}, 2
	}
	switch v.width {
	case 0:
		v.b1.push(uint8(id))
	case 1:
		v.b2.push(uint16(id))
	default:
		v.b4.push(id)
	}
}

// bytes is the size of one id.
func (v *idVec) bytes() int { return 1 << v.width }

func (v *idVec) clip() {
	v.b1.clip()
	v.b2.clip()
	v.b4.clip()
}
