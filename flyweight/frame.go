package flyweight

import (
	"fmt"
	"iter"
	"math"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// Frame holds many records decoded from JSON, in columns: a column per key,
// each encoded by its data (see [Frame.Columns]), and the rows' key
// sequences shared as layouts, so that a Frame of records with the same
// keys in the same order stores the keys once and pays nothing per row for
// them. It is
// for data that is decoded once and then read: [DecodeFrame] and
// [Frame.Decode] append records, and a record, once stored, does not
// change.
//
// A row answers [Frame.Get] for any key, as a map[string]any decoded by
// encoding/json would: a key that the row lacks reports false, and the
// values are what encoding/json gives, nested arrays and objects included
// (decoded anew by each Get). Each row keeps its keys in the order of its
// input ([Frame.Keys], [Frame.AppendJSON]).
//
// The zero Frame is empty and ready to use, and decodes with no options.
// A Frame is safe to copy, like a map header: copies share the same
// records, and a Decode through one of them shows in all (a copy of a
// zero Frame is a Frame of its own). Reading a Frame from many goroutines
// at once is safe; Decode, UnmarshalJSON and a read must not run at the
// same time on the same Frame or its copies, as for a map.
type Frame struct {
	d *frameData
}

// frameData is what the copies of a Frame share.
type frameData struct {
	rows    int
	runs    []layoutRun        // the layout of every row, by runs of rows
	layouts map[string]*layout // by the column ids of their keys, in order
	// keys holds every key of the Frame, at the position of its column in
	// cols; index is its view as of the last Decode.
	keys  keyindex.Family[string]
	index keyindex.Index[string]
	table keyTable // finds keys faster than index, made when a Decode ends
	cols  []*column
	strs  dictionary       // the strings in arrays of strings, of every column
	scan  jsonscan.Options // the options of decoding
	opts  jsonscan.Options // those of Get: scan, and the hook of WithNestedRecords
	err   error            // a limit reached while storing a row: no more rows
}

// A layout is a key sequence that rows share: the column of each of its
// keys, in order, and the columns' ids, sorted, to find whether it has a
// key. It costs a few bytes a key, however many rows share it.
type layout struct {
	cols []*column
	ids  []uint32
	all  bool // its ids are 0 to len(ids)-1: every column of the Frame as it was made
}

// has reports whether the layout has the column id. It is inlined into
// the reads, for the layout of uniform rows (all).
func (l *layout) has(id uint32) bool {
	if l.all {
		return id < uint32(len(l.ids))
	}
	return l.search(id)
}

// search is has for a layout of some of the Frame's columns.
//
//go:noinline
func (l *layout) search(id uint32) bool {
	ids := l.ids
	if len(ids) <= 16 {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	lo, hi := 0, len(ids)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if ids[mid] < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(ids) && ids[lo] == id
}

// A layoutRun says that the rows from start on, up to the next run, have
// layout lay.
type layoutRun struct {
	start int
	lay   *layout
}

// MaxFrameRows is the most rows a Frame holds: decoding a record beyond it
// is an error matching [ErrLimit].
const MaxFrameRows = 1<<31 - 1

// The limits of a Frame, as variables that the tests of the limits lower
// to reach them with little memory; nothing else changes them.
var (
	maxFrameRows = MaxFrameRows
	// maxFrameKeys is the most keys a Frame holds (its columns, numbered
	// in a keyindex.Family), and so the most of a record.
	maxFrameKeys = slotdict.MaxKeys
	// maxDictionary is the most entries a dictionary holds: ids fit in 32
	// bits.
	maxDictionary = 1<<32 - 2
	// maxSpan is the most a 32-bit offset or count of a column holds: the
	// bytes of a block's text or of a packed dictionary's slab, the
	// strings of a column's arrays.
	maxSpan = math.MaxUint32
)

// Len returns the number of rows of f.
func (f *Frame) Len() int {
	if f.d == nil {
		return 0
	}
	return f.d.rows
}

// layoutAt returns the layout of row; it panics if row is out of range.
func (f *Frame) layoutAt(row int) *layout {
	d := f.d
	if d == nil || uint(row) >= uint(d.rows) {
		f.outOfRange(row)
	}
	if runs := d.runs; len(runs) == 1 {
		return runs[0].lay
	}
	return d.layoutOf(row)
}

// outOfRange panics for a row out of f's range. It is not inlined, which
// keeps the reads that check their row small.
//
//go:noinline
func (f *Frame) outOfRange(row int) {
	panic(fmt.Sprintf("flyweight: row %d out of range of a Frame of %d rows", row, f.Len()))
}

// layoutOf returns the layout of row, one of d's rows, among several runs.
//
//go:noinline
func (d *frameData) layoutOf(row int) *layout {
	runs := d.runs
	lo, hi := 0, len(runs) // the run of row is the last one starting at or before it
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if runs[mid].start <= row {
			lo = mid
		} else {
			hi = mid
		}
	}
	return runs[lo].lay
}

// column returns the column of key in row, or nil if the row lacks it;
// it panics if row is out of range. It is the hot path of every read, and
// spells out what keyTable and layoutAt do, so that a read of uniform rows
// makes no call but for memequal on a key longer than 16 bytes.
func (f *Frame) column(row int, key string) *column {
	d := f.d
	if d == nil || uint(row) >= uint(d.rows) {
		f.outOfRange(row)
	}
	var id int
	if t := &d.table; len(t.slots) > 0 {
		head, tail := keyWords(key)
		s := &t.slots[slotOf(head, tail, len(key), t.mul, t.shift)&uint64(len(t.slots)-1)]
		if s.id == 0 || s.n != len(key) || s.head != head || s.tail != tail || len(key) > 16 && d.cols[s.id-1].key != key {
			return nil
		}
		id = int(s.id - 1)
	} else if id = d.index.Position(key); id < 0 {
		return nil
	}
	var lay *layout
	if runs := d.runs; len(runs) == 1 {
		lay = runs[0].lay
	} else {
		lay = d.layoutOf(row)
	}
	if !lay.has(uint32(id)) {
		return nil
	}
	return d.cols[id]
}

// Get returns the value of key in row, as encoding/json decodes it into a
// map[string]any (a json.Number with [WithUseNumber]), and whether the row
// has the key. A null value is (nil, true). Nested arrays and objects are
// decoded anew by each call, so the caller may keep and change them; strings
// and numbers held once by a dictionary column come back without an
// allocation, other strings and numbers with at most one (the interface's).
//
// Get takes time independent of the number of rows with the same layout;
// with many layouts, logarithmic in the number of runs of rows that share
// one. It panics if row is not in [0, f.Len()).
func (f *Frame) Get(row int, key string) (any, bool) {
	c := f.column(row, key)
	if c == nil {
		return nil, false
	}
	return c.get(row, &f.d.opts), true
}

// String returns the value of key in row if it is a JSON string, and
// false if the row lacks the key or its value is not a string (null
// included). The string shares the Frame's storage, so String allocates
// nothing. It panics if row is not in [0, f.Len()).
func (f *Frame) String(row int, key string) (string, bool) {
	c := f.column(row, key)
	if c == nil {
		return "", false
	}
	i := row - c.first // c.slot(row), spelled out: slot is not inlined
	if c.bits != nil {
		var ok bool
		if i, ok = c.bits.rank(i); !ok {
			return "", false
		}
	}
	if s, ok := c.store.str(i); ok {
		return s, true
	}
	return "", false
}

// Keys returns the keys of row in the order of its input. It panics if row
// is not in [0, f.Len()).
func (f *Frame) Keys(row int) iter.Seq[string] {
	lay := f.layoutAt(row)
	return func(yield func(string) bool) {
		for _, c := range lay.cols {
			if !yield(c.key) {
				return
			}
		}
	}
}

// All returns the keys of row in the order of its input, each with its
// value as [Frame.Get] returns it. It panics if row is not in
// [0, f.Len()).
func (f *Frame) All(row int) iter.Seq2[string, any] {
	lay := f.layoutAt(row)
	return func(yield func(string, any) bool) {
		for _, c := range lay.cols {
			if !yield(c.key, c.get(row, &f.d.opts)) {
				return
			}
		}
	}
}

// Columns returns the keys of f in the order in which they first appear,
// each with the name of the encoding its column holds its values in:
//
//   - "dictionary/1", "dictionary/2", "dictionary/4": each distinct value
//     stored once, a row holding its 1-, 2- or 4-byte id;
//   - "bytes": strings packed together, with the end of each;
//   - "int64", "float64": numbers whose text those types give back exactly;
//   - "number-text": numbers as written;
//   - "string-list": arrays of strings, their elements dictionary-coded;
//   - "json": arrays and objects as compact JSON text;
//   - "mixed": values of different kinds, each as text with its kind.
//
// Nulls and rows without the key take no room in any of them. A column's
// encoding is chosen by the data and may change as records are added.
func (f *Frame) Columns() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		if f.d == nil {
			return
		}
		for _, c := range f.d.cols {
			if !yield(c.key, c.store.encoding()) {
				return
			}
		}
	}
}
