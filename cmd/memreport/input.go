package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"slices"
)

// An input is one file or standard input, read and split into records.
type input struct {
	path string
	data []byte // the whole input, decompressed
	recs []span // the good records, in order
	// skipped counts malformed records, first is the first of them.
	skipped int
	first   *badRecord
	stats   *keyStats
	// joined is the good records one after another, for approaches that
	// decode a stream; made by prepareStream.
	joined []byte
}

// record returns the bytes of the i-th good record.
func (in *input) record(i int) []byte {
	s := in.recs[i]
	return in.data[s.start:s.end]
}

// stream returns the good records as JSON Lines (the input itself, if it
// is JSON Lines with nothing skipped), for approaches that decode a whole
// stream. prepareStream must have been called.
func (in *input) stream() io.Reader { return bytes.NewReader(in.joined) }

// prepareStream makes what stream returns, before any measurement, so that
// no approach is charged for it.
func (in *input) prepareStream() {
	if in.joined != nil || len(in.recs) == 0 {
		return
	}
	first, last := in.recs[0], in.recs[len(in.recs)-1]
	if in.skipped == 0 && in.data[first.start] == '{' && bytes.IndexByte(in.data[:first.start], '[') < 0 {
		in.joined = in.data[first.start:last.end]
		return
	}
	n := 0
	for _, s := range in.recs {
		n += s.end - s.start + 1
	}
	in.joined = make([]byte, 0, n)
	for i := range in.recs {
		in.joined = append(append(in.joined, in.record(i)...), '\n')
	}
}

// readOptions are the flags that govern reading.
type readOptions struct {
	sample int  // the most records to read; 0 for all
	strict bool // stop at the first malformed record
}

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// readInput reads the file name ("-" for standard input), gunzipping it if
// it starts with gzip's magic bytes, and splits it into records.
func readInput(name string, stdin io.Reader, opts readOptions, p *progress) (*input, error) {
	var r io.Reader = stdin
	size := int64(0)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(len(gzipMagic)); bytes.Equal(magic, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		r, size = zr, 0 // the size of the file is not the size of its contents
	} else {
		r = br
	}
	in, err := split(name, r, size, opts, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return in, nil
}

// readChunk is how much split reads at a time (more while one record is
// longer), so that the progress line moves and -sample stops early.
const readChunk = 1 << 20

// split reads r, of size bytes if known, and splits it as it goes.
func split(name string, r io.Reader, size int64, opts readOptions, p *progress) (*input, error) {
	sp := &splitter{limit: opts.sample, strict: opts.strict, stats: newKeyStats()}
	buf := make([]byte, 0, max(size+1, 4<<10))
	p.start("reading " + name)
	for !sp.done {
		want := max(readChunk, len(buf)-sp.pos) // a long record: as much again
		if cap(buf) == len(buf) {
			buf = slices.Grow(buf, want)
		}
		n, err := io.ReadFull(r, buf[len(buf):len(buf)+min(want, cap(buf)-len(buf))])
		buf = buf[:len(buf)+n]
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			sp.eof = true
		default:
			return nil, err
		}
		sp.data = buf
		if err := sp.scan(); err != nil {
			return nil, err
		}
		p.reading(len(sp.recs), int64(len(buf)))
		if sp.eof && !sp.done {
			panic("memreport: the splitter stopped before the end of its input")
		}
	}
	p.end()
	sp.stats.done()
	return &input{path: name, data: buf, recs: sp.recs, skipped: sp.skipped, first: sp.first, stats: sp.stats}, nil
}
