package flyweight

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
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

// UnmarshalJSON replaces the contents of r with the JSON object in data, its
// keys in the object's order. JSON null leaves r unchanged, as for any Go
// value.
//
// Keys are looked up where they are in data, and a schema keeps its own copy
// of each key, so decoding allocates no key strings once a key set has been
// seen (an escaped key aside), and records with the same keys in the same
// order share a schema. Values are decoded as encoding/json decodes the
// elements of a map[string]V, except that for V = string and V = any, equal
// string values share one copy (within one call; [DecodeRecords] shares them
// across its records), and for V = any, nested objects become *Record[any]
// and arrays whose elements are all strings become []string (half the memory
// of []any); other arrays become []any. (Other types of V are decoded by
// encoding/json, strings inside them included.)
//
// A key that occurs twice is an error (encoding/json would keep the last
// value). On any error r is unchanged, and the error is a *[DecodeError]
// with the byte offset that matches [ErrSyntax], [ErrDuplicateKey] or
// [ErrNotObject], or wraps the error of decoding a value into V.
func (r *Record[V]) UnmarshalJSON(data []byte) error {
	sc := jsonscan.Scanner{Data: data}
	i := sc.Space(0)
	if null, err := sc.Null(i); null {
		return decodeError(err, "")
	}
	var d decoder
	rec, end, err := decodeRecord[V](&d, &sc, i, 0)
	if err == nil {
		err = decodeError(sc.End(end), "")
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
// [Record.UnmarshalJSON] does. Records with the same keys in the same order
// share one schema, however their keys vary from record to record.
//
// Any element that is not an object is an error, and so is malformed input:
// DecodeRecords then returns no records and a *[DecodeError] whose offset
// counts from the start of the stream, or the reader's error.
func DecodeRecords[V any](rd io.Reader) ([]*Record[V], error) {
	st := jsonscan.NewStream(rd)
	var d decoder
	var out []*Record[V]
	for {
		sc, err := st.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, decodeError(err, "")
		}
		// Depth 0: each element is decoded as its own document, as
		// UnmarshalJSON would, in an array as in a stream of values.
		rec, end, err := decodeRecord[V](&d, sc, 0, 0)
		if err != nil {
			return nil, err
		}
		st.Advance(end)
		out = append(out, rec)
	}
}

// A decoder holds the scratch space that decoding reuses from object to
// object, so that the values of a record or the elements of an array are
// gathered without growing a new slice each time, and then copied once into
// storage of the right size. Objects and arrays being decoded at the same
// time are nested, each at its own depth, so one slice per depth will do.
type decoder struct {
	records []any                 // records[depth] is a *[]V: the values of a record
	names   [][]string            // names[depth]: the keys of that record (views: keyName)
	seen    []map[string]struct{} // seen[depth]: those keys, once there are many; cleared per record
	arrays  [][]any               // arrays[depth]: the elements of an array
	// values shares the string values of one decode: equal values get one
	// copy. It is a Pool, scoped to the decode, rather than intern.Bytes:
	// values are mostly distinct in real data (file names, descriptions),
	// and a process-wide weak entry costs about 100 bytes for as long as
	// its string lives, more than most strings save (TestGoListRecords).
	// Keys are views of the input until a schema copies them (keyName).
	values func(b []byte) string
}

// text returns the function that shares the string values of d's decode.
func (d *decoder) text() func(b []byte) string {
	if d.values == nil {
		d.values = intern.NewPool().Bytes
	}
	return d.values
}

// nameScratch returns the empty scratch slice for the keys of a record at
// depth.
func (d *decoder) nameScratch(depth int) []string {
	for len(d.names) <= depth {
		d.names = append(d.names, nil)
		d.seen = append(d.seen, nil)
	}
	clear(d.seen[depth])
	return d.names[depth][:0]
}

// duplicate reports whether name is among names, the keys decoded so far of
// the record at depth: by a scan while there are few, through a set beyond.
func (d *decoder) duplicate(depth int, names []string, name string) bool {
	const scanned = 16
	if len(names) < scanned {
		return slices.Contains(names, name)
	}
	seen := d.seen[depth]
	if seen == nil {
		seen = map[string]struct{}{}
		d.seen[depth] = seen
	}
	if len(seen) == 0 {
		for _, n := range names {
			seen[n] = struct{}{}
		}
	}
	if _, dup := seen[name]; dup {
		return true
	}
	seen[name] = struct{}{}
	return false
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

// arrayScratch returns the empty scratch slice for the elements of an
// array at depth.
func (d *decoder) arrayScratch(depth int) []any {
	for len(d.arrays) <= depth {
		d.arrays = append(d.arrays, nil)
	}
	return d.arrays[depth][:0]
}

// decodeRecord decodes the object at i, depth levels deep, into a new
// Record and returns it and the position after the object.
func decodeRecord[V any](d *decoder, sc *jsonscan.Scanner, i, depth int) (*Record[V], int, error) {
	if i >= len(sc.Data) || sc.Data[i] != '{' {
		return nil, 0, notObject(sc, i, depth)
	}
	if err := sc.Nest(i, depth); err != nil {
		return nil, 0, decodeError(err, "")
	}
	i, more, err := sc.OpenObject(i)
	if err != nil {
		return nil, 0, decodeError(err, "")
	}
	scratch := recordScratch[V](d, depth)
	vals := *scratch
	names := d.nameScratch(depth)
	for more {
		key, v, err := sc.Member(i)
		if err != nil {
			return nil, 0, decodeError(err, "")
		}
		name := keyName(sc, key)
		if d.duplicate(depth, names, name) {
			return nil, 0, &DecodeError{Offset: sc.Base + int64(key.Start), Key: strings.Clone(name), Err: ErrDuplicateKey}
		}
		names = append(names, name)
		var zero V
		vals = append(vals, zero)
		if v, err = decodeValue(d, sc, v, depth+1, &vals[len(vals)-1]); err != nil {
			return nil, 0, decodeError(err, name)
		}
		if i, more, err = sc.NextMember(v); err != nil {
			return nil, 0, decodeError(err, "")
		}
	}
	// The schema of the whole key sequence at once, rather than a With per
	// key as Set does: decoding then makes (and keeps alive) only the
	// schemas of whole records, not one for every prefix of their keys.
	schema := slotdict.NewSchema(names...)
	clear(names) // views of the input: let it go once decoded
	d.names[depth] = names[:0]
	rec := &Record[V]{schema: schema}
	if len(vals) > 0 {
		vs := make([]V, capacity(len(vals)))
		copy(vs, vals)
		rec.values = &vs[0]
	}
	clear(vals) // let the collector have what the scratch space held
	*scratch = vals[:0]
	return rec, i, nil
}

// keyName returns the text of key. A key without escapes is a view of the
// input, which allocates nothing: keys are only compared, looked up and
// passed to NewSchema, which copies those it keeps, and the errors that name
// one copy it (see decodeError). An escaped key is unquoted through the
// intern package, which allocates only the first time it sees a key.
func keyName(sc *jsonscan.Scanner, key jsonscan.String) string {
	if key.Verbatim {
		b := sc.Bytes(key)
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return sc.Text(key, intern.Bytes)
}

// notObject reports that the value at i is not an object: ErrNotObject if it
// is valid JSON, else the syntax error.
func notObject(sc *jsonscan.Scanner, i, depth int) error {
	if _, err := sc.Value(i, depth); err != nil {
		return decodeError(err, "")
	}
	return jsonscan.Errorf(sc.Base+int64(i), ErrNotObject, "found %s", kind(sc.Data[i]))
}

func kind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// decodeValue decodes the value at i into *p: through decodeAny for V = any,
// through jsonscan.DecodeValue with interned strings otherwise.
func decodeValue[V any](d *decoder, sc *jsonscan.Scanner, i, depth int, p *V) (int, error) {
	if pa, ok := any(p).(*any); ok {
		return decodeAny(d, sc, i, depth, pa)
	}
	return jsonscan.DecodeValue(sc, i, depth, p, &jsonscan.Options{Intern: d.text()})
}

// decodeAny decodes the value at i into *p, nested objects as *Record[any]
// and arrays as []string or []any.
func decodeAny(d *decoder, sc *jsonscan.Scanner, i, depth int, p *any) (int, error) {
	if i < len(sc.Data) {
		switch sc.Data[i] {
		case '{':
			rec, end, err := decodeRecord[any](d, sc, i, depth)
			if err != nil {
				return 0, err
			}
			*p = rec
			return end, nil
		case '[':
			return decodeArray(d, sc, i, depth, p)
		}
	}
	return jsonscan.DecodeValue(sc, i, depth, p, &jsonscan.Options{Intern: d.text()})
}

// decodeArray decodes the array at i into *p: a []string if every element
// is a string, else a []any.
func decodeArray(d *decoder, sc *jsonscan.Scanner, i, depth int, p *any) (int, error) {
	if err := sc.Nest(i, depth); err != nil {
		return 0, err
	}
	i, more, err := sc.OpenArray(i)
	if err != nil {
		return 0, err
	}
	elems := d.arrayScratch(depth)
	strs := true
	for more {
		var e any
		if i, err = decodeAny(d, sc, i, depth+1, &e); err != nil {
			return 0, err
		}
		_, isString := e.(string)
		strs = strs && isString
		elems = append(elems, e)
		if i, more, err = sc.NextElement(i); err != nil {
			return 0, err
		}
	}
	if strs && len(elems) > 0 {
		ss := make([]string, len(elems))
		for j, e := range elems {
			ss[j] = e.(string)
		}
		*p = ss
	} else {
		*p = append(make([]any, 0, len(elems)), elems...)
	}
	clear(elems)
	d.arrays[depth] = elems[:0]
	return i, nil
}
