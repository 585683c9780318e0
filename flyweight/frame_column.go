package flyweight

import "github.com/seed5da3ae9a/flyweight/internal/jsonscan"

// A column holds the values of one key, for the rows that have it, in row
// order: their nulls as unmarked rows of bits, the others in a store, whose
// encoding the column chooses from the values it has seen.
//
// Every column starts as a dictionary, which any value fits. Once it holds
// a block of values (and again at every power of two, and when a Decode
// ends),
// the column compares the dictionary's size with that of the plain
// encoding of the kinds it has seen, and moves to the plain one if that is
// smaller: values that are mostly distinct go to packed bytes or numbers.
// A value that its store cannot hold (a string in a column of numbers, a
// fraction among integers, a number whose text a float64 would not give
// back) moves the column to the plain encoding of every kind seen so far.
// Kinds seen only accumulate, and the encodings are tried from narrow to
// wide, so a column changes its encoding a bounded number of times; each
// change rewrites its values once, which keeps decoding O(total input).
type column struct {
	key   string
	first int      // the first row that has the key
	next  int      // one past the last row that was given a value or a null
	bits  *rowBits // nil while every row of [first, next) has a non-null value
	store store
	strs  *dictionary // the Frame's dictionary of the strings in arrays

	kinds    uint8 // 1<<kind for every kind seen
	notInt   bool  // a number that is not an exact int64 was seen
	notFloat bool  // a number that is not an exact float64 was seen
	text     int   // the length of every value's text
	// The number of values and of distinct ones at the last mark (every
	// half block of values), from which choose estimates how often a
	// value is new.
	markValues, markDistinct int
	touched                  bool // given a value by the Decode running
}

func newColumn(key string, row int, strs *dictionary) *column {
	return &column{key: key, first: row, next: row, store: new(dictStore), strs: strs}
}

// add stores v as the value of row, a row beyond every row stored before.
func (c *column) add(row int, v *cell) error {
	if c.bits == nil && (row != c.next || v.kind == kNull) {
		// The first row of the column without a value: from now on, the
		// rows that have one are marked.
		c.bits = new(rowBits)
		for r := range c.next - c.first {
			c.bits.mark(r)
		}
	}
	c.next = row + 1
	if v.kind == kNull {
		return nil
	}
	c.kinds |= 1 << v.kind
	c.text += len(v.text)
	if v.kind == kNumber && !(c.notInt && c.notFloat) {
		classify(v, !c.notFloat)
		c.notInt = c.notInt || !v.isInt
		c.notFloat = c.notFloat || !v.isFloat
	}
	err := c.store.add(v)
	if err == errMismatch {
		if err = c.convert(c.plain()); err == nil {
			err = c.store.add(v)
		}
	}
	if err != nil {
		return err
	}
	if c.bits != nil {
		c.bits.mark(row - c.first)
	}
	if n := c.store.len(); n >= blockLen/2 && n&(n-1) == 0 {
		// At 1024 values and every power of two beyond, from how often
		// values were new since the half.
		if n >= blockLen {
			if err := c.choose(); err != nil {
				return err
			}
		}
		if d, ok := c.store.(*dictStore); ok {
			c.markValues, c.markDistinct = n, d.d.len()
		}
	}
	return nil
}

// plain returns an empty store of the plain encoding that fits every kind
// seen.
func (c *column) plain() store {
	switch c.kinds {
	case 1 << kString:
		return &textStore{kind: kString}
	case 1 << kNumber:
		switch {
		case !c.notInt:
			return new(intStore)
		case !c.notFloat:
			return new(floatStore)
		}
		return &textStore{kind: kNumber}
	case 1 << kList:
		return &listStore{d: c.strs}
	case 1<<kList | 1<<kNested, 1 << kNested:
		return &textStore{kind: kNested}
	}
	return &textStore{kind: kTagged}
}

// Estimated bytes of a dictionary entry beyond its text: its kind, its
// string header, its float and its share of the hash table.
const dictEntryBytes = 1 + 16 + 8 + 8

// choose moves a dictionary column to the plain encoding if that costs
// less for the values to come: a value costs the plain encoding its text
// and its end (or its number), and the dictionary its id and, as often as
// values are new, an entry. How often is estimated from the values since
// the last mark, or all of them if those are few.
func (c *column) choose() error {
	d, ok := c.store.(*dictStore)
	if !ok {
		return nil
	}
	n := d.len()
	if n == 0 {
		return nil
	}
	values, distinct := n-c.markValues, d.d.len()-c.markDistinct
	if values < 64 {
		values, distinct = n, d.d.len()
	}
	avg := float64(c.text) / float64(n)
	dictCost := float64(d.ids.bytes()) + float64(distinct)/float64(values)*(dictEntryBytes+avg)
	var plainCost float64
	switch p := c.plain().(type) {
	case *intStore, *floatStore:
		plainCost = 8
	case *listStore:
		// Its elements are dictionary-coded too: a dictionary of whole
		// arrays is smaller only if they repeat.
		plainCost = 4 + avg/4
	case *textStore:
		plainCost = 4 + avg
		if p.kind == kTagged {
			plainCost++
		}
	}
	if plainCost < dictCost {
		return c.convert(c.plain())
	}
	return nil
}

// convert rewrites the column's values into to, which holds every kind
// seen; only a limit of to can fail it, and then the column is unchanged.
func (c *column) convert(to store) error {
	var buf []byte
	for i := range c.store.len() {
		var v cell
		v, buf = c.store.cell(i, buf[:0])
		if v.kind == kNumber {
			classify(&v, true)
		}
		if err := to.add(&v); err != nil {
			return err
		}
	}
	c.store = to
	return nil
}

// slot returns the position in the store of the value of row, a row that
// has the key, and false if the value is null.
func (c *column) slot(row int) (int, bool) {
	r := row - c.first
	if c.bits == nil {
		return r, true
	}
	return c.bits.rank(r)
}

// finish ends a Decode: the column settles its encoding and trims the
// spare room of its storage.
func (c *column) finish() error {
	err := c.choose()
	c.store.clip()
	if c.bits != nil {
		c.bits.clip()
	}
	return err
}

func (c *column) get(row int, o *jsonscan.Options) any {
	i, ok := c.slot(row)
	if !ok {
		return nil
	}
	return c.store.get(i, o)
}
