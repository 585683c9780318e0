package flyweight

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// A kind is the JSON kind of a value held by a column.
type kind uint8

const (
	kNull kind = iota
	kFalse
	kTrue
	kString // text: the string's value
	kNumber // text: the number as written
	kNested // text: the compact JSON of an array or object
	kList   // an array of strings only: text as kNested, and its elements
	kTagged // of a textStore whose values have different kinds
)

// A cell is one value on its way into a column: its kind, its text, and
// what decoding learnt about it. Its slices are views (of the input, or of
// scratch space) valid until the row is stored.
type cell struct {
	kind    kind
	text    []byte
	elems   [][]byte // the strings of a kList
	i64     int64    // a number's value, if isInt
	f64     float64  // a number's value, if isFloat (and for every number outside UseNumber)
	isInt   bool     // the text is an int64 as strconv.FormatInt writes it
	isFloat bool     // the text is a float64 as strconv.FormatFloat(f, 'f', -1, 64) writes it
}

// classify sets the number fields of v, a kNumber; needFloat asks for the
// (costlier) float check of a number that is not an integer.
func classify(v *cell, needFloat bool) {
	s := unsafe.String(unsafe.SliceData(v.text), len(v.text))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && s != "-0" {
		v.isInt, v.i64, v.f64 = true, n, float64(n)
		v.isFloat = -1<<53 <= n && n <= 1<<53
		return
	}
	v.isInt = false
	if !needFloat {
		v.isFloat = false
		return
	}
	f, err := strconv.ParseFloat(s, 64)
	var buf [32]byte
	v.f64, v.isFloat = f, err == nil && string(strconv.AppendFloat(buf[:0], f, 'f', -1, 64)) == s
}

// A store holds the values of a column (nulls apart), in one encoding.
type store interface {
	// add appends v, or returns errMismatch if the encoding cannot hold
	// it (its kind, or a number that it would not hold exactly), or an
	// ErrLimit error.
	add(v *cell) error
	len() int
	// get returns value i as encoding/json decodes it into an any.
	get(i int, o *jsonscan.Options) any
	// str returns value i if it is a string.
	str(i int) (string, bool)
	appendJSON(dst []byte, i int) []byte
	// cell returns value i as a cell, its text appended to buf, for
	// another encoding to add.
	cell(i int, buf []byte) (cell, []byte)
	clip()
	encoding() string
}

var errMismatch = errors.New("flyweight: value does not fit the column's encoding")

// dictStore: the dictionary encoding, an id per value.
type dictStore struct {
	d   dictionary
	ids idVec
}

func (s *dictStore) add(v *cell) error {
	id, ok := s.d.id(v.kind, v.text)
	if !ok {
		return errMismatch // full: the column moves to a plain encoding
	}
	s.ids.push(id)
	return nil
}

func (s *dictStore) len() int { return s.ids.len() }

func (s *dictStore) get(i int, o *jsonscan.Options) any {
	return s.d.get(int(s.ids.at(i)), o)
}

// get returns entry id as encoding/json decodes it: strings and numbers as
// interfaces that point into the dictionary, which allocate nothing.
func (d *dictionary) get(id int, o *jsonscan.Options) any {
	switch d.kind(id) {
	case kString:
		return box(stringType, d.texts.ptr(id))
	case kNumber:
		if o.UseNumber {
			return box(numberType, d.texts.ptr(id))
		}
		return box(floatType, d.nums.ptr(id))
	case kTrue:
		return true
	case kFalse:
		return false
	}
	return decodeNested(d.text(id), o)
}

func (s *dictStore) str(i int) (string, bool) {
	id := int(s.ids.at(i))
	return s.d.text(id), s.d.kind(id) == kString
}

func (s *dictStore) appendJSON(dst []byte, i int) []byte {
	id := int(s.ids.at(i))
	return appendText(dst, s.d.kind(id), s.d.text(id))
}

func (s *dictStore) cell(i int, buf []byte) (cell, []byte) {
	id := int(s.ids.at(i))
	start := len(buf)
	buf = append(buf, s.d.text(id)...)
	c := cell{kind: s.d.kind(id), text: buf[start:]}
	if c.kind == kList {
		c.elems = listElems(c.text)
	}
	return c, buf
}

// listElems returns the strings of text, the compact JSON of an array of
// strings.
func listElems(text []byte) [][]byte {
	sc := jsonscan.Scanner{Data: text}
	var elems [][]byte
	i, more, _ := sc.OpenArray(0)
	for more {
		str, _ := sc.Quoted(i)
		elems = append(elems, sc.Unquote(str, nil))
		i, more, _ = sc.NextElement(str.End)
	}
	return elems
}

func (s *dictStore) clip() {
	s.d.clip()
	s.ids.clip()
}

func (s *dictStore) encoding() string {
	return "dictionary/" + strconv.Itoa(s.ids.bytes())
}

// textStore: the plain encoding of strings, number texts and compact JSON,
// packed into one byte slab per block of values, with the end of each
// value's text in the slab, two bytes each while the slab is shorter than
// 64 KiB, four bytes beyond. A column of mixed kinds is a kTagged
// textStore, whose values each start with their kind.
type textStore struct {
	kind   kind
	blocks []textBlock
	n      int
}

type textBlock struct {
	data   []byte   // the texts of the block's values, one after another
	ends16 []uint16 // the end of each value's text, while data is short
	ends32 []uint32 // the same, once it is not
}

func (b *textBlock) end(j int) int {
	if b.ends32 != nil {
		return int(b.ends32[j])
	}
	return int(b.ends16[j])
}

func (b *textBlock) clip() {
	b.data = clipped(b.data)
	b.ends16 = clipped(b.ends16)
	b.ends32 = clipped(b.ends32)
}

// clipped returns s without spare room, copying it if it has much.
func clipped[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/8 {
		return append([]T(nil), s...)
	}
	return s
}

func (s *textStore) add(v *cell) error {
	k := v.kind
	if k == kList {
		k = kNested
	}
	if s.kind != kTagged && s.kind != k {
		return errMismatch
	}
	if s.n&blockMask == 0 {
		if n := len(s.blocks); n > 0 {
			s.blocks[n-1].clip()
		}
		s.blocks = append(s.blocks, textBlock{})
	}
	b := &s.blocks[len(s.blocks)-1]
	end := len(b.data) + len(v.text)
	if s.kind == kTagged {
		end++
	}
	if end > maxSpan {
		return jsonscan.Errorf(0, ErrLimit, "the values of %d rows of a column hold more than %d bytes", blockLen, maxSpan)
	}
	if s.kind == kTagged {
		b.data = append(b.data, byte(v.kind))
	}
	b.data = append(b.data, v.text...)
	switch {
	case b.ends32 != nil:
		b.ends32 = append(b.ends32, uint32(end))
	case end > math.MaxUint16:
		b.ends32 = make([]uint32, len(b.ends16), blockLen)
		for j, e := range b.ends16 {
			b.ends32[j] = uint32(e)
		}
		b.ends16 = nil
		b.ends32 = append(b.ends32, uint32(end))
	default:
		b.ends16 = append(b.ends16, uint16(end))
	}
	s.n++
	return nil
}

// value returns the text of value i, and its kind.
func (s *textStore) value(i int) (kind, []byte) {
	b := &s.blocks[i>>blockShift]
	j := i & blockMask
	start := 0
	if j > 0 {
		start = b.end(j - 1)
	}
	t := b.data[start:b.end(j)]
	if s.kind == kTagged {
		return kind(t[0]), t[1:]
	}
	return s.kind, t
}

func (s *textStore) len() int { return s.n }

func (s *textStore) get(i int, o *jsonscan.Options) any {
	k, t := s.value(i)
	str := unsafe.String(unsafe.SliceData(t), len(t))
	switch k {
	case kString:
		return str
	case kNumber:
		if o.UseNumber {
			return json.Number(str)
		}
		f, _ := strconv.ParseFloat(str, 64) // in range: checked by Decode
		return f
	case kTrue:
		return true
	case kFalse:
		return false
	}
	return decodeNested(str, o)
}

func (s *textStore) str(i int) (string, bool) {
	k, t := s.value(i)
	return unsafe.String(unsafe.SliceData(t), len(t)), k == kString
}

func (s *textStore) appendJSON(dst []byte, i int) []byte {
	k, t := s.value(i)
	return appendText(dst, k, unsafe.String(unsafe.SliceData(t), len(t)))
}

func (s *textStore) cell(i int, buf []byte) (cell, []byte) {
	k, t := s.value(i)
	start := len(buf)
	buf = append(buf, t...)
	return cell{kind: k, text: buf[start:]}, buf
}

func (s *textStore) clip() {
	if n := len(s.blocks); n > 0 {
		s.blocks[n-1].clip()
	}
	s.blocks = clipped(s.blocks)
}

func (s *textStore) encoding() string {
	switch s.kind {
	case kString:
		return "bytes"
	case kNumber:
		return "number-text"
	case kNested:
		return "json"
	}
	return "mixed"
}

// intStore: numbers that are all int64s written as strconv.FormatInt
// writes them.
type intStore struct{ v vec[int64] }

func (s *intStore) add(v *cell) error {
	if v.kind != kNumber || !v.isInt {
		return errMismatch
	}
	s.v.push(v.i64)
	return nil
}

func (s *intStore) len() int { return s.v.len() }

func (s *intStore) get(i int, o *jsonscan.Options) any {
	if o.UseNumber {
		return json.Number(strconv.FormatInt(s.v.at(i), 10))
	}
	return float64(s.v.at(i))
}

func (s *intStore) str(int) (string, bool) { return "", false }

func (s *intStore) appendJSON(dst []byte, i int) []byte {
	return strconv.AppendInt(dst, s.v.at(i), 10)
}

func (s *intStore) cell(i int, buf []byte) (cell, []byte) {
	start := len(buf)
	buf = strconv.AppendInt(buf, s.v.at(i), 10)
	c := cell{kind: kNumber, text: buf[start:]}
	classify(&c, false)
	return c, buf
}

func (s *intStore) clip() { s.v.clip() }

func (s *intStore) encoding() string { return "int64" }

// floatStore: numbers that are all float64s written as
// strconv.FormatFloat(f, 'f', -1, 64) writes them.
type floatStore struct{ v vec[float64] }

func (s *floatStore) add(v *cell) error {
	if v.kind != kNumber || !v.isFloat {
		return errMismatch
	}
	s.v.push(v.f64)
	return nil
}

func (s *floatStore) len() int { return s.v.len() }

func (s *floatStore) get(i int, o *jsonscan.Options) any {
	if o.UseNumber {
		return json.Number(strconv.FormatFloat(s.v.at(i), 'f', -1, 64))
	}
	return box(floatType, s.v.ptr(i))
}

func (s *floatStore) str(int) (string, bool) { return "", false }

func (s *floatStore) appendJSON(dst []byte, i int) []byte {
	return strconv.AppendFloat(dst, s.v.at(i), 'f', -1, 64)
}

func (s *floatStore) cell(i int, buf []byte) (cell, []byte) {
	start := len(buf)
	buf = strconv.AppendFloat(buf, s.v.at(i), 'f', -1, 64)
	c := cell{kind: kNumber, text: buf[start:]}
	classify(&c, true)
	return c, buf
}

func (s *floatStore) clip() { s.v.clip() }

func (s *floatStore) encoding() string { return "float64" }

// listStore: arrays of strings, their elements dictionary-coded: the ids
// of every array's elements one after another, and where each array ends.
// The dictionary is the Frame's, shared by all its arrays of strings,
// whose columns often hold the same strings (the import paths of a
// package's imports and of its dependencies, say).
type listStore struct {
	d     *dictionary
	ends  vec[uint32]
	elems idVec
}

func (s *listStore) add(v *cell) error {
	if v.kind != kList {
		return errMismatch
	}
	if s.elems.len()+len(v.elems) > maxSpan {
		return jsonscan.Errorf(0, ErrLimit, "a column's arrays hold more than %d strings", maxSpan)
	}
	for _, e := range v.elems {
		id, ok := s.d.id(kString, e)
		if !ok {
			return jsonscan.Errorf(0, ErrLimit, "a Frame's arrays hold more than %d distinct strings, or more than %d bytes of them", maxDictionary, maxSpan)
		}
		s.elems.push(id)
	}
	s.ends.push(uint32(s.elems.len()))
	return nil
}

func (s *listStore) len() int { return s.ends.len() }

func (s *listStore) span(i int) (start, end int) {
	if i > 0 {
		start = int(s.ends.at(i - 1))
	}
	return start, int(s.ends.at(i))
}

func (s *listStore) get(i int, _ *jsonscan.Options) any {
	start, end := s.span(i)
	out := make([]any, end-start)
	for j := range out {
		out[j] = strings.Clone(s.d.text(int(s.elems.at(start + j))))
	}
	return out
}

func (s *listStore) str(int) (string, bool) { return "", false }

func (s *listStore) appendJSON(dst []byte, i int) []byte {
	start, end := s.span(i)
	dst = append(dst, '[')
	for j := start; j < end; j++ {
		if j > start {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s.d.text(int(s.elems.at(j))))
	}
	return append(dst, ']')
}

func (s *listStore) cell(i int, buf []byte) (cell, []byte) {
	start, end := s.span(i)
	c := cell{kind: kList, elems: make([][]byte, 0, end-start)}
	for j := start; j < end; j++ {
		t := s.d.text(int(s.elems.at(j)))
		c.elems = append(c.elems, unsafe.Slice(unsafe.StringData(t), len(t)))
	}
	at := len(buf)
	buf = s.appendJSON(buf, i)
	c.text = buf[at:]
	return c, buf
}

func (s *listStore) clip() {
	s.d.clip()
	s.ends.clip()
	s.elems.clip()
}

func (s *listStore) encoding() string { return "string-list" }
