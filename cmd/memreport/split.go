package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// A span is where one good record lies in the input: data[start:end].
type span struct{ start, end int }

// A badRecord is the first record that memreport skipped: the line it
// starts on and why it is malformed.
type badRecord struct {
	Line   int    `json:"line"`
	Offset int64  `json:"offset"`
	Error  string `json:"error"`
}

// errNotJSON reports an input whose first significant byte opens neither
// an array nor an object.
var errNotJSON = errors.New("not JSON: neither a JSON array of objects nor JSON Lines")

// A splitter cuts the input into records as it is read: the elements of one
// JSON array, or objects one after another (JSON Lines, or concatenated
// JSON such as `go list -json` writes). It validates each record with the
// module's scanner, which accepts exactly what encoding/json accepts, and
// feeds the good ones to the key statistics; a malformed record is skipped
// and counted, or stops the input with -strict.
//
// It is called again each time more of the input has been read (data grows,
// eof tells whether it is whole): a step that runs into the end of data
// before the end of input changes nothing and waits for more.
type splitter struct {
	data  []byte
	eof   bool
	pos   int // where the next step starts
	limit int // the most records to keep; 0 for all
	// strict makes the first malformed record an error.
	strict bool

	started, array, done bool
	// between is set between an element of the array and the ',' or ']'
	// after it.
	between bool
	// resync is set after a malformed record of a stream: the scan resumes
	// at the next line that opens an object no more indented than it.
	resync, resyncLine bool
	resyncDepth        int

	recs []span
	// skipped counts the lines skipped: in a stream, the lines of each
	// malformed record and those passed over until the next object; in an
	// array, each element skipped.
	skipped int
	first   *badRecord
	// line counts the newlines before lineAt, for the line numbers of
	// skipped records.
	line, lineAt int

	stats *keyStats
	rec   recordScratch
}

// errMore is the result of a step that needs more of the input.
var errMore = errors.New("more input needed")

// scan runs steps until it needs more input or the input is done. It
// returns an error only for an input that is not JSON, or under -strict.
func (sp *splitter) scan() error {
	for !sp.done {
		err := sp.step()
		if err == errMore {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (sp *splitter) full() bool { return sp.limit > 0 && len(sp.recs) >= sp.limit }

// step scans one record (or the framing of the input) from pos.
func (sp *splitter) step() error {
	sc := &jsonscan.Scanner{Data: sp.data}
	if sp.full() {
		sp.done = true
		return nil
	}
	if !sp.started {
		i := 0
		if bytes.HasPrefix(sp.data, []byte("\xef\xbb\xbf")) {
			i = 3 // a byte order mark, as editors write
		} else if !sp.eof && len(sp.data) < 3 && bytes.HasPrefix([]byte("\xef\xbb\xbf"), sp.data) {
			return errMore
		}
		i = sc.Space(i)
		if i == len(sp.data) {
			if sp.eof {
				sp.done = true // no records
				return nil
			}
			return errMore
		}
		switch sp.data[i] {
		case '{':
			sp.pos = i
		case '[':
			next, more, err := sc.OpenArray(i)
			if err != nil {
				return sp.need(err)
			}
			if !sp.eof && sc.Space(i+1) == len(sp.data) {
				return errMore // an empty array or not: the next byte tells
			}
			sp.array, sp.pos = true, next
			if !more {
				return sp.closeArray(next)
			}
		default:
			return errNotJSON
		}
		sp.started = true
		return nil
	}
	if sp.array {
		return sp.element(sc)
	}
	return sp.streamValue(sc)
}

// streamValue scans the next value of a stream.
func (sp *splitter) streamValue(sc *jsonscan.Scanner) error {
	i := sp.pos
	if sp.resyncLine {
		// Past the line the malformed record starts on, first.
		j := bytes.IndexByte(sp.data[i:], '\n')
		switch {
		case j >= 0:
			i, sp.resyncLine = i+j+1, false
		case sp.eof:
			sp.done = true
			return nil
		default:
			return errMore
		}
	}
	if sp.resync {
		var ok bool
		if i, ok = sp.nextObjectLine(i); !ok {
			sp.pos = i
			if sp.eof {
				sp.done = true
				return nil
			}
			return errMore
		}
		sp.resync = false
	}
	i = sc.Space(i)
	sp.pos = i
	if i == len(sp.data) {
		sp.pos = i
		if sp.eof {
			sp.done = true
			return nil
		}
		return errMore
	}
	end, err := sp.record(sc, i, 0)
	if err != nil {
		if err = sp.need(err); err == errMore {
			return err
		}
		if err := sp.skip(i, err); err != nil {
			return err
		}
		sp.resync, sp.resyncLine, sp.resyncDepth = true, true, sp.indent(i)
		sp.pos = i
		return nil
	}
	sp.pos = end
	return nil
}

// element scans the next element of the array, then what follows it.
func (sp *splitter) element(sc *jsonscan.Scanner) error {
	if !sp.between {
		if err := sp.arrayRecord(sc); err != nil || sp.done {
			return err
		}
	}
	next, more, err := sc.NextElement(sp.pos)
	if err != nil {
		if err = sp.need(err); err == errMore {
			return err
		}
		if sp.full() { // the sample is complete: what follows does not matter
			sp.done = true
			return nil
		}
		if err := sp.skip(sp.pos, err); err != nil {
			return err
		}
		sp.done = true
		return nil
	}
	sp.between = false
	if !more {
		return sp.closeArray(next)
	}
	sp.pos = next
	return nil
}

// arrayRecord scans the element at pos, and leaves pos after it.
func (sp *splitter) arrayRecord(sc *jsonscan.Scanner) error {
	i := sc.Space(sp.pos)
	sp.pos = i
	end, err := sp.record(sc, i, 1)
	if err != nil {
		if err = sp.need(err); err == errMore {
			return err
		}
		var de *jsonscan.DecodeError
		if errors.As(err, &de) && (errors.Is(err, jsonscan.ErrNotObject) || errors.Is(err, jsonscan.ErrDuplicateKey)) {
			// A valid element of the wrong shape: skip it and go on.
			if end, err = sc.Value(i, 1); err != nil {
				return sp.need(err)
			}
			if err := sp.skip(i, de); err != nil {
				return err
			}
		} else {
			// An array cannot resynchronise after a syntax error.
			if err := sp.skip(i, fmt.Errorf("%w (a JSON array cannot resume after a syntax error: the rest of it was not read)", err)); err != nil {
				return err
			}
			sp.done = true
			return nil
		}
	}
	sp.pos, sp.between = end, true
	return nil
}

// closeArray checks what follows the array's closing ']' at i: white space
// only.
func (sp *splitter) closeArray(i int) error {
	sc := &jsonscan.Scanner{Data: sp.data}
	if j := sc.Space(i); j == len(sp.data) && !sp.eof {
		sp.pos = j
		return errMore
	}
	sp.done = true
	if err := sc.End(i); err != nil {
		return sp.skip(sc.Space(i), err)
	}
	return nil
}

// need turns an error at the end of data into errMore while the input goes
// on: the record is cut by the end of what has been read, not malformed.
func (sp *splitter) need(err error) error {
	var de *jsonscan.DecodeError
	if !sp.eof && errors.As(err, &de) && de.Offset >= int64(len(sp.data)) {
		return errMore
	}
	return err
}

// record scans the object at i, depth arrays deep, and on success keeps it
// and counts its keys. It returns the position after it.
func (sp *splitter) record(sc *jsonscan.Scanner, i, depth int) (int, error) {
	if err := sc.Object(i, depth); err != nil {
		if !sp.eof && errors.Is(err, jsonscan.ErrNotObject) {
			// A value cut by the end of data may be longer: a number.
			if end, err2 := sc.Value(i, depth); err2 == nil && end == len(sp.data) {
				return 0, jsonscan.Errorf(int64(end), jsonscan.ErrSyntax, "unexpected end of input")
			}
		}
		return 0, err
	}
	r := &sp.rec
	r.reset()
	next, more, err := sc.OpenObject(i)
	for err == nil && more {
		var key jsonscan.String
		var v int
		if key, v, err = sc.Member(next); err != nil {
			break
		}
		k := r.key(sc, key)
		if r.has(k) {
			return 0, jsonscan.KeyError(int64(key.Start), string(k), jsonscan.ErrDuplicateKey)
		}
		var end int
		if end, err = sc.Value(v, depth+1); err != nil {
			err = jsonscan.WithKey(err, string(k))
			break
		}
		r.member(sc, k, v, end)
		next, more, err = sc.NextMember(end)
	}
	if err != nil {
		return 0, err
	}
	sp.recs = append(sp.recs, span{i, next})
	sp.stats.add(r)
	return next, nil
}

// skip counts a malformed record that starts at i, or returns it as the
// error under -strict.
func (sp *splitter) skip(i int, err error) error {
	var de *jsonscan.DecodeError
	offset := int64(i)
	if errors.As(err, &de) {
		offset = de.Offset
	}
	// The offset goes beside the line, not inside the message.
	msg := strings.Replace(err.Error(), fmt.Sprintf(" at byte offset %d", offset), "", 1)
	if sp.strict {
		return fmt.Errorf("line %s, byte %s: %s", group(sp.lineOf(i)), group(int(offset)), msg)
	}
	sp.skipped++
	if sp.first == nil {
		sp.first = &badRecord{Line: sp.lineOf(i), Offset: offset, Error: msg}
	}
	return nil
}

// lineOf returns the line number (from 1) of position i, counting on from
// the position asked for last.
func (sp *splitter) lineOf(i int) int {
	i = min(i, len(sp.data))
	if i < sp.lineAt {
		sp.line, sp.lineAt = 0, 0
	}
	sp.line += bytes.Count(sp.data[sp.lineAt:i], []byte("\n"))
	sp.lineAt = i
	return sp.line + 1
}

// indent returns the column of position i.
func (sp *splitter) indent(i int) int {
	return i - (bytes.LastIndexByte(sp.data[:i], '\n') + 1)
}

// nextObjectLine finds, from the line start i on, a line whose first byte
// that is not a space or tab is a '{' at a column no greater than the
// malformed record's. It returns that '{' and true, or where to look again
// once more has been read and false.
func (sp *splitter) nextObjectLine(i int) (int, bool) {
	for i < len(sp.data) {
		j := i
		for j < len(sp.data) && (sp.data[j] == ' ' || sp.data[j] == '\t') {
			j++
		}
		if j == len(sp.data) {
			break
		}
		if sp.data[j] == '{' && j-i <= sp.resyncDepth {
			return j, true
		}
		end := bytes.IndexByte(sp.data[j:], '\n')
		if end < 0 && !sp.eof {
			break
		}
		if sp.data[j] != '\n' && sp.data[j] != '\r' {
			sp.skipped++ // a line of the malformed record, or after it
		}
		if end < 0 {
			return len(sp.data), false
		}
		i = j + end + 1
	}
	return i, false
}

// group writes n with thousands separators: 1,204.
func group(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + group(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
