package flyweight

import (
	"bytes"
	"encoding/binary"
	"io"
	"slices"
	"strconv"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
)

// DecodeFrame decodes the records of r, a JSON array of objects or a
// stream of objects separated by white space (JSON Lines, or the output of
// `go list -json`), into a new Frame, which later calls of [Frame.Decode]
// decode with the same options: [WithUseNumber], [WithAllowDuplicates]
// and [WithNestedRecords] (nested objects then come back from
// [Frame.Get] as *Record[any]).
//
// Decoding follows the rules of the module's stream decoders (see
// [DecodeRecords]): an element that is not an object is an error matching
// [ErrNotObject], a duplicate key one matching [ErrDuplicateKey] unless
// [WithAllowDuplicates] is given, and on an error DecodeFrame returns the
// Frame of the records before it, with the error: a *[DecodeError] whose
// offset counts from the start of r, or the reader's error. With
// [WithSkipBadLines] it skips the bad records instead, as DecodeRecords
// does.
//
// Decoding reads r once, in chunks, and takes time linear in its length:
// each value is scanned once and copied into its column; the storage grows
// by blocks of rows, not by value. The Frame keeps no reference to what it
// read. The limits are [MaxFrameRows] rows; [slotdict.MaxKeys] keys in a
// record, and as many distinct keys in the Frame; for the arrays of
// strings, 2³²−2 distinct strings in all the Frame's arrays, together less
// than 4 GiB, and 2³²−1 strings in the arrays of one column; and less than
// 4 GiB of text in each block of 1024 values of a column, counted from its
// first. Reaching one is an error matching [ErrLimit] at the offset of the
// record (of its first key beyond the limit, for a record with too many
// keys), never a panic or a wrapped count; of them, [WithSkipBadLines]
// skips only a record with too many keys of its own. A limit of a column
// reached while a record is stored leaves the records before it, and the
// Frame then refuses to decode more, returning the same error. Layouts
// (the rows' key sequences) have no limit of their own, and a column whose
// dictionary fills moves to a plain encoding, as it does once plain
// values cost less.
func DecodeFrame(r io.Reader, opts ...Option) (*Frame, error) {
	f := &Frame{d: newFrameData(jsonscan.Configure(opts, Option.setting))}
	return f, f.d.decode(r)
}

// Decode appends the records of r to f, as [DecodeFrame] decodes them,
// with the options f was made with (none for the zero Frame). On an error,
// f holds the records of r before it. Decode must not run at the same time
// as any other use of f.
func (f *Frame) Decode(r io.Reader) error {
	if f.d == nil {
		f.d = newFrameData(jsonscan.Options{})
	}
	return f.d.decode(r)
}

// UnmarshalJSON replaces the records of f with those of b, a JSON array of
// objects (or objects one after another), decoded as [Frame.Decode]
// decodes them. On an error f is unchanged; JSON null leaves f unchanged,
// as for any Go value. The copies of f keep its former records.
func (f *Frame) UnmarshalJSON(b []byte) error {
	sc := jsonscan.Scanner{Data: b}
	if null, err := sc.Null(sc.Space(0)); null {
		return err
	}
	var opts jsonscan.Options
	if f.d != nil {
		opts = f.d.scan
	}
	d := newFrameData(opts)
	if err := d.decode(bytes.NewReader(b)); err != nil {
		return err
	}
	f.d = d
	return nil
}

// newFrameData returns an empty Frame's data decoding with opts.
func newFrameData(opts jsonscan.Options) *frameData {
	d := &frameData{
		layouts: map[string]*layout{},
		strs:    dictionary{packed: true},
		scan:    jsonscan.Options{UseNumber: opts.UseNumber, AllowDuplicates: opts.AllowDuplicates, NestedRecords: opts.NestedRecords, SkipBadLines: opts.SkipBadLines},
	}
	d.opts = d.scan
	if opts.NestedRecords {
		d.opts.Object = nestedRecord(d.scan)
	}
	return d
}

// nestedRecord returns the hook that makes the nested objects of a Get
// *Record[any]s: each with a decoder of its own, since Gets may run at the
// same time.
func nestedRecord(opts jsonscan.Options) func(*jsonscan.Scanner, int, int) (any, int, error) {
	return func(sc *jsonscan.Scanner, i, depth int) (any, int, error) {
		d := &decoder{opts: opts}
		d.opts.Object = func(sc *jsonscan.Scanner, i, depth int) (any, int, error) {
			return decodeRecord[any](d, sc, i, depth)
		}
		return decodeRecord[any](d, sc, i, depth)
	}
}

// decodeNested decodes text, the compact JSON of a valid array or object,
// as encoding/json decodes it into an any.
func decodeNested(text string, o *jsonscan.Options) any {
	sc := jsonscan.Scanner{Data: unsafe.Slice(unsafe.StringData(text), len(text))}
	v, _, err := jsonscan.DecodeAny(&sc, 0, 1, o)
	if err != nil {
		panic("flyweight: a Frame holds JSON that does not decode: " + err.Error())
	}
	return v
}

// A frameDecoder holds what one Decode reuses from record to record.
type frameDecoder struct {
	d       *frameData
	names   keyindex.Family[string] // the keys of a record that fits no layout known
	keys    []string                // the keys of the record, views until stored
	cells   []cell                  // their values
	buf     []byte                  // unquoted strings and compact JSON of the record
	elems   [][]byte                // the strings of its arrays of strings
	last    *layout                 // the layout of the previous record
	touched []*column               // columns given values by this Decode
}

func (d *frameData) decode(r io.Reader) error {
	if d.err != nil {
		return d.err
	}
	dec := &frameDecoder{d: d}
	if n := len(d.runs); n > 0 {
		dec.last = d.runs[n-1].lay
	}
	err := dec.stream(jsonscan.NewStream(r))
	for _, c := range dec.touched {
		c.touched = false
		if ferr := c.finish(); ferr != nil && d.err == nil {
			d.err = ferr
		}
	}
	d.table.make(d.cols)
	if err == nil {
		err = d.err
	}
	return err
}

func (dec *frameDecoder) stream(st *jsonscan.Stream) error {
	st.SkipBadLines(dec.d.scan.SkipBadLines)
	for {
		err := dec.next(st)
		if err == nil {
			continue
		}
		if err = st.Skip(err); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// next decodes the next element of st into a new row. The row is stored
// only once the element has passed the stream's checks (in JSON Lines read
// with WithSkipBadLines, nothing else on its line), so that a skipped
// element leaves no row behind.
func (dec *frameDecoder) next(st *jsonscan.Stream) error {
	var base int64
	var same bool
	err := st.Scan(func(sc *jsonscan.Scanner) (int, error) {
		if err := sc.Object(0, 0); err != nil {
			return 0, err
		}
		base = sc.Base
		end, s, err := dec.record(sc)
		same = s
		return end, err
	})
	if err != nil {
		return err
	}
	return dec.store(base, dec.keys, dec.cells, same)
}

// record decodes the object at the start of sc.Data into dec.keys and
// dec.cells, and returns the position after it, and whether its keys are
// those of the previous row.
func (dec *frameDecoder) record(sc *jsonscan.Scanner) (int, bool, error) {
	i, more, err := sc.OpenObject(0)
	if err != nil {
		return 0, false, err
	}
	keys, cells := dec.keys[:0], dec.cells[:0]
	dec.buf, dec.elems = dec.buf[:0], dec.elems[:0]
	// While the keys are those of the previous record, in its order, they
	// are neither looked up nor checked for duplicates.
	pred := dec.last
	match := pred != nil
	if !match {
		dec.names.Reset() // what a record that failed left
	}
	for more {
		key, err := sc.Key(i) // judged before the ':' after it, as the document orders errors
		if err != nil {
			return 0, false, err
		}
		name := keyName(sc, key)
		n, pos := len(keys), len(keys)
		if match && (n >= len(pred.cols) || pred.cols[n].key != name) {
			match = false
			dec.names.Reset()
			for _, k := range keys {
				dec.names.Add(k)
			}
		}
		if !match {
			x := dec.names.View(n)
			switch p := x.Position(name); {
			case p >= 0 && !dec.d.scan.AllowDuplicates:
				return 0, false, jsonscan.KeyError(sc.Base+int64(key.Start), name, ErrDuplicateKey)
			case p >= 0:
				pos = p
			case n == maxFrameKeys:
				return 0, false, jsonscan.TooManyKeys(sc.Base+int64(key.Start), maxFrameKeys)
			default:
				dec.names.Add(name)
			}
		}
		v, err := sc.Colon(key.End)
		if err != nil {
			return 0, false, err
		}
		var c cell
		if v, err = dec.value(sc, v, &c); err != nil {
			return 0, false, jsonscan.WithKey(err, name)
		}
		if pos == n {
			keys, cells = append(keys, name), append(cells, c)
		} else {
			cells[pos] = c
		}
		if i, more, err = sc.NextMember(v); err != nil {
			return 0, false, err
		}
	}
	dec.keys, dec.cells = keys, cells
	if !match {
		dec.names.Reset() // views of the input: let it go
	}
	return i, match && len(keys) == len(pred.cols), nil
}

// store appends the row of keys and cells; same says that they have the
// keys of the previous row.
func (dec *frameDecoder) store(offset int64, keys []string, cells []cell, same bool) error {
	d := dec.d
	if d.rows == maxFrameRows {
		return jsonscan.Errorf(offset, ErrLimit, "a Frame of more than %d rows", MaxFrameRows)
	}
	row := d.rows
	lay := dec.last
	if !same {
		var err error
		if lay, err = d.layoutFor(keys, row, offset); err != nil {
			return err
		}
	}
	for k, col := range lay.cols {
		if !col.touched {
			col.touched = true
			dec.touched = append(dec.touched, col)
		}
		if err := col.add(row, &cells[k]); err != nil {
			// A column has this row's value and others may not: the
			// Frame can take no more rows.
			if de, ok := err.(*DecodeError); ok {
				c := *de
				c.Offset = offset
				err = jsonscan.WithKey(&c, col.key)
			}
			d.err = err
			return err
		}
	}
	if n := len(d.runs); n == 0 || d.runs[n-1].lay != lay {
		d.runs = append(d.runs, layoutRun{start: row, lay: lay})
	}
	d.rows++
	dec.last = lay
	clear(cells) // let go of the views of the input
	return nil
}

// layoutFor returns the layout of keys, made for row if it is new, with
// the columns of the keys new to the Frame; offset is the row's, for the
// error of a Frame that would have more than maxFrameKeys keys.
func (d *frameData) layoutFor(keys []string, row int, offset int64) (*layout, error) {
	all := d.keys.View(d.keys.Len())
	var idBuf [64]byte
	ids := idBuf[:0]
	fresh := 0
	for _, k := range keys {
		id := all.Position(k)
		if id < 0 {
			id = d.keys.Len() + fresh
			fresh++
		}
		ids = binary.LittleEndian.AppendUint32(ids, uint32(id))
	}
	if lay, ok := d.layouts[string(ids)]; ok {
		return lay, nil
	}
	if d.keys.Len()+fresh > maxFrameKeys {
		return nil, jsonscan.Errorf(offset, ErrLimit, "a Frame of more than %d keys", maxFrameKeys)
	}
	lay := &layout{cols: make([]*column, len(keys)), ids: make([]uint32, len(keys))}
	for i, k := range keys {
		id := int(binary.LittleEndian.Uint32(ids[4*i:]))
		if id == len(d.cols) {
			n := d.keys.Len()
			d.keys.Add(k)
			d.keys.Own(n) // the key's bytes are the input's
			d.cols = append(d.cols, newColumn(d.keys.View(n + 1).Keys[n], row, &d.strs))
		}
		lay.cols[i], lay.ids[i] = d.cols[id], uint32(id)
	}
	slices.Sort(lay.ids)
	lay.all = len(lay.ids) == len(d.cols)
	d.layouts[string(ids)] = lay
	d.index = d.keys.View(d.keys.Len())
	return lay, nil
}

// value scans the value at i, a member of a record, into c, and returns
// the position after it. c's slices are views of sc.Data or of dec's
// scratch space.
func (dec *frameDecoder) value(sc *jsonscan.Scanner, i int, c *cell) (int, error) {
	data := sc.Data
	if i >= len(data) {
		return sc.Value(i, 1) // the error
	}
	switch data[i] {
	case '"':
		str, err := sc.Quoted(i)
		if err != nil {
			return 0, err
		}
		c.kind, c.text = kString, dec.unquote(sc, str)
		return str.End, nil
	case 't':
		c.kind = kTrue
		return sc.Literal(i, "true")
	case 'f':
		c.kind = kFalse
		return sc.Literal(i, "false")
	case 'n':
		c.kind = kNull
		return sc.Literal(i, "null")
	case '[', '{':
		return dec.nested(sc, i, c)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		return sc.Value(i, 1) // the error, as any decoder words it
	}
	end, err := sc.Number(i)
	if err != nil {
		return 0, err
	}
	c.kind, c.text = kNumber, data[i:end]
	if !dec.d.scan.UseNumber {
		// A number out of float64's range is encoding/json's error, as
		// DecodeAny reports it.
		if _, perr := strconv.ParseFloat(unsafe.String(unsafe.SliceData(c.text), len(c.text)), 64); perr != nil {
			_, _, err := jsonscan.DecodeAny(sc, i, 1, &dec.d.scan)
			return 0, err
		}
	}
	return end, nil
}

// unquote returns the value of str: a view of the input if it has no
// escapes, or else its bytes unquoted into dec.buf.
func (dec *frameDecoder) unquote(sc *jsonscan.Scanner, str jsonscan.String) []byte {
	if str.Verbatim {
		return sc.Bytes(str)
	}
	start := len(dec.buf)
	dec.buf = sc.Unquote(str, dec.buf)
	return dec.buf[start:len(dec.buf):len(dec.buf)]
}

// nested scans the array or object at i into c: an array of strings as a
// kList, with its elements; anything else as its compact JSON, after
// decoding it as encoding/json would (which finds its duplicate keys and
// numbers out of range).
func (dec *frameDecoder) nested(sc *jsonscan.Scanner, i int, c *cell) (int, error) {
	if end, ok := dec.stringList(sc, i, c); ok {
		return end, nil
	}
	_, end, err := jsonscan.DecodeAny(sc, i, 1, &dec.d.scan)
	if err != nil {
		return 0, err
	}
	start := len(dec.buf)
	dec.buf = appendCompact(dec.buf, sc.Data[i:end])
	c.kind, c.text = kNested, dec.buf[start:len(dec.buf):len(dec.buf)]
	return end, nil
}

// stringList scans the array of strings at i into c; it returns false,
// leaving dec's scratch space as it was, if the value is anything else or
// is not valid (which the caller then reports).
func (dec *frameDecoder) stringList(sc *jsonscan.Scanner, i int, c *cell) (int, bool) {
	i, more, err := sc.OpenArray(i)
	if err != nil {
		return 0, false
	}
	start, buf, elems := len(dec.elems), dec.buf, dec.elems
	for more {
		if i >= len(sc.Data) || sc.Data[i] != '"' {
			dec.buf, dec.elems = buf, elems
			return 0, false
		}
		str, err := sc.Quoted(i)
		if err != nil {
			dec.buf, dec.elems = buf, elems
			return 0, false
		}
		dec.elems = append(dec.elems, dec.unquote(sc, str))
		if i, more, err = sc.NextElement(str.End); err != nil {
			dec.buf, dec.elems = buf, elems
			return 0, false
		}
	}
	c.kind, c.elems = kList, dec.elems[start:len(dec.elems):len(dec.elems)]
	at := len(dec.buf)
	dec.buf = append(dec.buf, '[')
	for k, e := range c.elems {
		if k > 0 {
			dec.buf = append(dec.buf, ',')
		}
		dec.buf = appendString(dec.buf, unsafe.String(unsafe.SliceData(e), len(e)))
	}
	dec.buf = append(dec.buf, ']')
	c.text = dec.buf[at:len(dec.buf):len(dec.buf)]
	return i, true
}
