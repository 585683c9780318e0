package flyweight

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// MarshalJSON encodes r as a JSON object with its keys in insertion order
// and its values encoded by encoding/json. It has a value receiver, so that
// a Record held by value (a struct field of type Record[V]) encodes as its
// contents too, not as an empty struct.
//
// A Record that holds itself, directly or through other values, cannot be
// encoded, and is not detected: as for any json.Marshaler whose output
// includes itself, encoding recurses until the stack overflows
// (encoding/json detects cycles only through its own maps, slices and
// pointers).
func (r Record[V]) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	buf.WriteByte('{')
	for k, v := range r.All() {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(':')
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("flyweight: encoding the value of key %q: %w", k, err)
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON is [Record.DecodeJSON] without options.
func (r *Record[V]) UnmarshalJSON(data []byte) error {
	return r.DecodeJSON(data)
}

// DecodeJSON replaces the contents of r with the JSON object in data, its
// keys in the object's order. JSON null leaves r unchanged, as for any Go
// value.
//
// Keys are looked up where they are in data, and a schema keeps its own copy
// of each key, so decoding allocates no key strings once a key set has been
// seen (an escaped key aside), and records with the same keys in the same
// order share a schema. Values are decoded as encoding/json decodes the
// elements of a map[string]V: for V = any, objects as map[string]any
// (*Record[any] with [WithNestedRecords]), arrays as []any, numbers as
// float64 (json.Number with [WithUseNumber]). For V = string and V = any,
// equal string values of one call share one copy ([DecodeRecords] shares
// them across its records); values of other types are decoded by
// encoding/json, strings inside them included. A key that occurs twice in
// an object, at any depth of a V = any, is an error unless
// [WithAllowDuplicates] is given.
//
// On any error r is unchanged, and the error is a *[DecodeError] with the
// byte offset that matches [ErrSyntax], [ErrDuplicateKey], [ErrNotObject] or
// [ErrLimit] (an object of more than [slotdict.MaxKeys] keys), or wraps the
// error of decoding a value into V.
func (r *Record[V]) DecodeJSON(data []byte, opts ...Option) error {
	sc := jsonscan.Scanner{Data: data}
	i := sc.Space(0)
	if null, err := sc.Null(i); null {
		return err
	}
	d := newDecoder[V](opts)
	if err := sc.Object(i, 0); err != nil {
		return err
	}
	rec, end, err := decodeRecord[V](d, &sc, i, 0)
	if err == nil {
		err = sc.End(end)
	}
	if err != nil {
		return err
	}
	*r = *rec
	return nil
}

// DecodeRecords decodes every object of a JSON array, or of a stream of
// JSON objects separated by white space (JSON Lines, or the output of
// `go list -json`), read from rd, each into a Record as
// [Record.DecodeJSON] does with the same options. Records with the same keys
// in the same order share one schema, however their keys vary from record
// to record.
//
// It follows the rules of slotdict's Decoder: each element is decoded as a
// document of its own; an element that is not an object is an error
// ([ErrNotObject]); and on an error DecodeRecords returns the records
// decoded before it, in order, with the error: a *[DecodeError] whose
// offset counts from the start of the stream, and whose Line is the line of
// that offset, or the reader's error. With [WithSkipBadLines] it skips the
// bad records instead, as far as the form of the stream allows.
func DecodeRecords[V any](rd io.Reader, opts ...Option) ([]*Record[V], error) {
	st := jsonscan.NewStream(rd)
	d := newDecoder[V](opts)
	st.SkipBadLines(d.opts.SkipBadLines)
	var out []*Record[V]
	for {
		rec, err := nextRecord[V](d, st)
		if err == nil {
			out = append(out, rec)
			continue
		}
		if err = st.Skip(err); err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
	}
}

// nextRecord decodes the next element of st into a Record.
func nextRecord[V any](d *decoder, st *jsonscan.Stream) (*Record[V], error) {
	var rec *Record[V]
	err := st.Scan(func(sc *jsonscan.Scanner) (int, error) {
		if err := sc.Object(0, 0); err != nil {
			return 0, err
		}
		// Depth 0: each element is decoded as its own document, as
		// DecodeJSON would, in an array as in a stream of values.
		r, end, err := decodeRecord[V](d, sc, 0, 0)
		rec = r
		return end, err
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// A decoder holds what decoding reuses from object to object: the options,
// and scratch space so that the values of a record are gathered without
// growing a new slice each time, and then copied once into storage of the
// right size. Objects being decoded at the same time are nested, each at its
// own depth, so one slice per depth will do.
type decoder struct {
	opts    jsonscan.Options
	records []any                      // records[depth] is a *[]V: the values of a record
	names   []*keyindex.Family[string] // names[depth]: the keys of that record (views: keyName)
}

// newDecoder returns the decoder of one call for records of V.
//
// String values are shared within the decode, through a Pool (or, for
// values going into an any, a map of boxed strings, so that the string
// header an interface needs is shared too) scoped to the decode, rather than
// through intern.Bytes: values are mostly distinct in real data (file names,
// descriptions), and a process-wide weak entry costs more than most strings
// save (TestGoListRecords). Keys are views of the input until a schema
// copies them (keyName).
func newDecoder[V any](opts []Option) *decoder {
	cfg := jsonscan.Configure(opts, Option.setting)
	d := &decoder{opts: cfg}
	switch any((*V)(nil)).(type) {
	case *string:
		d.opts.Intern = intern.NewPool().Bytes
	case *any:
		d.opts.InternAny = boxes{}.intern
	}
	if cfg.NestedRecords {
		d.opts.Object = func(sc *jsonscan.Scanner, i, depth int) (any, int, error) {
			return decodeRecord[any](d, sc, i, depth)
		}
	}
	return d
}

// boxes shares the strings that a decode stores in interfaces: each
// distinct string is boxed once.
type boxes map[string]any

func (b boxes) intern(s []byte) any {
	if v, ok := b[string(s)]; ok {
		return v
	}
	str := string(s)
	v := any(str)
	b[str] = v
	return v
}

// nameScratch returns the empty family for the keys of a record at depth:
// it finds a duplicate key in O(1), however many keys a record has.
func (d *decoder) nameScratch(depth int) *keyindex.Family[string] {
	for len(d.names) <= depth {
		d.names = append(d.names, new(keyindex.Family[string]))
	}
	f := d.names[depth]
	f.Reset()
	return f
}

// recordScratch returns the scratch slice for the values of a Record[V] at
// depth, emptied; the caller stores it back when done. It is held through a
// pointer, which goes into an interface without an allocation where a slice
// header would not.
func recordScratch[V any](d *decoder, depth int) *[]V {
	for len(d.records) <= depth {
		d.records = append(d.records, nil)
	}
	vals, ok := d.records[depth].(*[]V)
	if !ok {
		vals = new([]V)
		d.records[depth] = vals
	}
	*vals = (*vals)[:0]
	return vals
}

// decodeRecord decodes the object at i, depth levels deep, into a new
// Record and returns it and the position after the object.
func decodeRecord[V any](d *decoder, sc *jsonscan.Scanner, i, depth int) (*Record[V], int, error) {
	if err := sc.Nest(i, depth); err != nil {
		return nil, 0, err
	}
	i, more, err := sc.OpenObject(i)
	if err != nil {
		return nil, 0, err
	}
	scratch := recordScratch[V](d, depth)
	vals := *scratch
	names := d.nameScratch(depth)
	for more {
		key, err := sc.Key(i) // judged before the ':' after it, as the document orders errors
		if err != nil {
			return nil, 0, err
		}
		name := keyName(sc, key)
		n := names.Len()
		x := names.View(n)
		pos := x.Position(name)
		switch {
		case pos >= 0 && !d.opts.AllowDuplicates:
			return nil, 0, jsonscan.KeyError(sc.Base+int64(key.Start), name, ErrDuplicateKey)
		case pos < 0 && n == slotdict.MaxKeys:
			return nil, 0, jsonscan.TooManyKeys(sc.Base+int64(key.Start), slotdict.MaxKeys)
		case pos < 0:
			names.Add(name)
			pos = n
			var zero V
			vals = append(vals, zero)
		}
		v, err := sc.Colon(key.End)
		if err != nil {
			return nil, 0, err
		}
		if v, err = jsonscan.DecodeValue(sc, v, depth+1, &vals[pos], &d.opts); err != nil {
			return nil, 0, jsonscan.WithKey(err, name)
		}
		if i, more, err = sc.NextMember(v); err != nil {
			return nil, 0, err
		}
	}
	// The schema of the whole key sequence at once, rather than a With per
	// key as Set does: decoding then makes (and keeps alive) only the
	// schemas of whole records, not one for every prefix of their keys.
	schema := slotdict.NewSchema(names.View(names.Len()).Keys...)
	names.Reset() // views of the input: let it go once decoded
	rec := &Record[V]{schema: schema, values: newValues[V](len(vals))}
	copy(rec.slice(), vals)
	clear(vals) // let the collector have what the scratch space held
	*scratch = vals[:0]
	return rec, i, nil
}

// keyName returns the text of key. A key without escapes is a view of the
// input, which allocates nothing: keys are only compared, looked up and
// passed to NewSchema, which copies those it keeps, and the errors that name
// one copy it (jsonscan.WithKey). An escaped key is unquoted through the
// intern package, which allocates only the first time it sees a key.
func keyName(sc *jsonscan.Scanner, key jsonscan.String) string {
	if key.Verbatim {
		b := sc.Bytes(key)
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return sc.Text(key, intern.Bytes)
}
