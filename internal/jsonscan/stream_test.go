package jsonscan_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// readers returns the ways the tests feed a stream: whole, one byte per
// Read, and in halves with a data-bearing io.EOF.
func readers(in string) map[string]io.Reader {
	return map[string]io.Reader{
		"whole":    strings.NewReader(in),
		"one byte": iotest.OneByteReader(strings.NewReader(in)),
		"halves":   iotest.DataErrReader(iotest.HalfReader(strings.NewReader(in))),
	}
}

// element is one element that readAll scanned: its text and the stream
// offset its Scanner said it starts at.
type element struct {
	text   string
	offset int64
}

// readAll scans every element of the stream in r as a value, and returns
// them with the error that ended the stream (io.EOF at a clean end).
func readAll(r io.Reader) ([]element, error) {
	st := jsonscan.NewStream(r)
	var out []element
	for {
		sc, err := st.Next()
		if err != nil {
			return out, err
		}
		end, err := sc.Value(0, 0)
		if err != nil {
			return out, err
		}
		out = append(out, element{string(sc.Data[:end]), sc.Base})
		st.Advance(end)
	}
}

// scanAll is readAll through Stream.Scan.
func scanAll(r io.Reader) ([]element, error) {
	st := jsonscan.NewStream(r)
	var out []element
	for {
		var e element // the last call's: Scan may call scan twice
		err := st.Scan(func(sc *jsonscan.Scanner) (int, error) {
			end, err := sc.Value(0, 0)
			if err == nil {
				e = element{string(sc.Data[:end]), sc.Base}
			}
			return end, err
		})
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

// TestStreamScanAgreesWithNext: Scan, which scans an element before it
// knows where it ends, finds the elements and the errors that Next and
// Advance find, however the input is cut into reads, in long streams whose
// elements straddle the ends of the buffer, valid or not.
func TestStreamScanAgreesWithNext(t *testing.T) {
	long := func(sep, elem, last string) string {
		var b strings.Builder
		for k := 0; b.Len() < 2*jsonscan.MinRead; k++ {
			fmt.Fprintf(&b, elem+sep, k)
		}
		return b.String() + last
	}
	boom := errors.New("boom")
	inputs := []string{
		"", "[]", "[1, 2]", "1 23", `{"a": 1} {"b": [true, null]}`, `[{"a": 1} {"b": 2}]`,
		`{"a": 1`, `[1,`, `{"a": "\u12`, `12345678901234567890e-1 7`,
		long(" ", `{"id": %d, "name": "x\n"}`, ""),
		long(",", `{"id": %d, "v": [1.5e3, "y"]}`, `{"bad": tru}`),
		"[" + long(",", `{"id": %d, "long": "`+strings.Repeat("z", 1000)+`"}`, `{"end": 1}]`),
		"[" + long(",", `%d`, `0]`),
		"[" + long(",", `{"id": %d}`, `{"a" 1}]`),
		long("\n", `{"id": %d, "s": "a\u00e9b"}`, `{"id": -}`),
	}
	for k, in := range inputs {
		for name, r := range readers(in) {
			want, werr := readAll(r)
			for rname, r2 := range readers(in) {
				if rname != name {
					continue
				}
				got, err := scanAll(r2)
				if fmt.Sprint(err) != fmt.Sprint(werr) || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("input %d read %s: Scan found %d elements and %v; Next %d and %v", k, name, len(got), err, len(want), werr)
				}
			}
		}
		want, werr := readAll(io.MultiReader(strings.NewReader(in[:len(in)/2]), iotest.ErrReader(boom)))
		got, err := scanAll(io.MultiReader(strings.NewReader(in[:len(in)/2]), iotest.ErrReader(boom)))
		if fmt.Sprint(err) != fmt.Sprint(werr) || len(got) != len(want) {
			t.Errorf("input %d cut by a read error: Scan found %d elements and %v; Next %d and %v", k, len(got), err, len(want), werr)
		}
	}
}

func TestStreamForms(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string
	}{
		{"array", `[{"id": 1}, {"id": 2}]`, []string{`{"id": 1}`, `{"id": 2}`}},
		{"array with whitespace", " \n[ 1 ,\n\"a\" , [] ]\n\t", []string{`1`, `"a"`, `[]`}},
		{"empty array", `[]`, nil},
		{"array of arrays", `[[1, [2]], []]`, []string{`[1, [2]]`, `[]`}},
		{"JSON lines", "{\"id\": 1}\n{\"name\": \"b\"}\n", []string{`{"id": 1}`, `{"name": "b"}`}},
		{"concatenated", `{"id":1}{"id":2}  {"id":3}`, []string{`{"id":1}`, `{"id":2}`, `{"id":3}`}},
		{"scalars", "1 -2.5e3\ttrue \"x\" null\n\"}\"", []string{`1`, `-2.5e3`, `true`, `"x"`, `null`, `"}"`}},
		{"scalars against brackets", `1[2]"a"{}null`, []string{`1`, `[2]`, `"a"`, `{}`, `null`}},
		{"empty input", "", nil},
		{"only whitespace", " \n ", nil},
		{"brackets in strings", `{"name": "}{]["}` + "\n" + `{"name": "\"}"}`, []string{`{"name": "}{]["}`, `{"name": "\"}"}`}},
	} {
		for how, r := range readers(tt.in) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				got, err := readAll(r)
				if err != io.EOF {
					t.Fatalf("the stream ended with %v, want io.EOF", err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("%d elements %q, want %q", len(got), got, tt.want)
				}
				for i, e := range got {
					if e.text != tt.want[i] || tt.in[e.offset:int(e.offset)+len(e.text)] != e.text {
						t.Errorf("element %d = %q at offset %d, want %q (input there: %q)", i, e.text, e.offset, tt.want[i], tt.in[e.offset:])
					}
				}
			})
		}
	}
}

func TestStreamErrors(t *testing.T) {
	for _, tt := range []struct {
		in     string
		count  int // elements before the error
		offset int64
		detail string
	}{
		{`[1 2]`, 1, 3, `invalid character '2' after array element`},
		{`[1, 2`, 2, 5, `unexpected end of input`},
		{`[1,`, 1, 3, `unexpected end of input`},
		{`[1,]`, 1, 3, `invalid character ']' looking for beginning of value`},
		{`[`, 0, 1, `unexpected end of input`},
		{`[1] 2`, 1, 4, `invalid character '2' after top-level value`},
		{`{"a": 1} {"a": `, 1, 15, `unexpected end of input`},
		{`{"a": 1} }`, 1, 9, `invalid character '}' looking for beginning of value`},
	} {
		for how, r := range readers(tt.in) {
			t.Run(tt.in+"/"+how, func(t *testing.T) {
				got, err := readAll(r)
				if len(got) != tt.count {
					t.Errorf("%d elements before the error, want %d", len(got), tt.count)
				}
				checkError(t, err, tt.offset, tt.detail)
			})
		}
	}
}

// TestStreamLong reads a stream much longer than the read buffer, with an
// element bigger than it, and checks the offsets of the elements and of an
// error at the end.
func TestStreamLong(t *testing.T) {
	var b strings.Builder
	const n = 5000
	for i := range n {
		fmt.Fprintf(&b, "{\"id\": %d, \"name\": \"record %d\"}\n", i, i)
	}
	big := fmt.Sprintf("[%q]", strings.Repeat("x", 200_000))
	bigAt := b.Len()
	b.WriteString(big + "\n")
	badAt := b.Len() + 3
	b.WriteString(`[1, }`)
	in := b.String()
	for how, r := range readers(in) {
		t.Run(how, func(t *testing.T) {
			got, err := readAll(r)
			checkError(t, err, int64(badAt+1), "looking for beginning of value")
			if len(got) != n+1 {
				t.Fatalf("%d elements, want %d", len(got), n+1)
			}
			for i, e := range got {
				if in[e.offset:int(e.offset)+len(e.text)] != e.text {
					t.Fatalf("element %d is not at offset %d", i, e.offset)
				}
			}
			if got[n].text != big || got[n].offset != int64(bigAt) {
				t.Errorf("the big element: %d bytes at offset %d, want %d at %d", len(got[n].text), got[n].offset, len(big), bigAt)
			}
		})
	}
}

// countingReader serves first, then the complete element rest over and over,
// up to limit bytes in all, counting what it served.
type countingReader struct {
	first, rest string
	limit, read int
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.limit {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.read+n < r.limit {
		var src string
		if at := r.read + n; at < len(r.first) {
			src = r.first[at:]
		} else {
			src = r.rest[(at-len(r.first))%len(r.rest):]
		}
		n += copy(p[n:], src)
	}
	n = min(n, r.limit-r.read)
	r.read += n
	return n, nil
}

// TestStreamMalformedElementFailsFast: an element that is malformed early
// (an object missing its '}', a control character in a string) is reported
// without reading the rest of the input, which its brackets alone would
// never end, in lines and in an array, read whole or in small pieces. A
// long valid element is still read whole.
func TestStreamMalformedElementFailsFast(t *testing.T) {
	const limit = 64 << 20
	for _, tt := range []struct {
		name, first, rest string
		offset            int64
		detail            string
	}{
		{"lines, no closing brace", "{\"id\": 1\n", "{\"id\": 2}\n", 9, "after object key:value pair"},
		{"lines, unterminated string", "{\"id\": \"a\n", "{\"id\": 2}\n", 9, "in string literal"},
		{"array, no closing bracket", "[[1, 2 {\"id\": 2}", ", {\"id\": 2}", 7, "after array element"},
	} {
		for how, wrap := range map[string]func(io.Reader) io.Reader{
			"whole":        func(r io.Reader) io.Reader { return r },
			"7-byte reads": func(r io.Reader) io.Reader { return io.LimitReader(iotest.HalfReader(r), limit) },
		} {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				r := &countingReader{first: tt.first, rest: tt.rest, limit: limit}
				_, err := readAll(wrap(r))
				checkError(t, err, tt.offset, tt.detail)
				if r.read > 1<<20 {
					t.Errorf("read %d bytes before reporting an error at byte %d", r.read, tt.offset)
				}
			})
		}
	}
}

// TestStreamMalformedElementOnOpenStream: on a stream that stays open (a
// pipe, a socket), a malformed element is reported with what has arrived.
func TestStreamMalformedElementOnOpenStream(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte("{\"id\": 1\n{\"id\": 2}\n")) // and then nothing, without closing
	done := make(chan error, 1)
	go func() {
		_, err := readAll(pr)
		done <- err
	}()
	select {
	case err := <-done:
		checkError(t, err, 9, "after object key:value pair")
	case <-time.After(time.Minute):
		t.Fatal("no error a minute after a malformed element arrived on a stream that stays open")
	}
}

// TestStreamBufferShrinks: the read buffer grows to hold a long element and
// goes back to its first size once the stream is past it, for arrays and
// for lines.
func TestStreamBufferShrinks(t *testing.T) {
	big := fmt.Sprintf("%q", strings.Repeat("x", 8*jsonscan.MinRead))
	const smalls = jsonscan.MinRead / 5 // several chunks of them
	for name, in := range map[string]string{
		"lines": big + strings.Repeat("\n{\"id\": 1}", smalls),
		"array": "[" + big + strings.Repeat(`, {"id": 1}`, smalls) + "]",
	} {
		t.Run(name, func(t *testing.T) {
			st := jsonscan.NewStream(strings.NewReader(in))
			maxCap := 0
			for {
				sc, err := st.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				end, err := sc.Value(0, 0)
				if err != nil {
					t.Fatal(err)
				}
				st.Advance(end)
				maxCap = max(maxCap, st.BufferCap())
			}
			if maxCap < len(big) {
				t.Fatalf("the buffer never held the long element: at most %d bytes", maxCap)
			}
			if got := st.BufferCap(); got != jsonscan.MinRead {
				t.Errorf("after the long element the buffer holds %d bytes, want %d", got, jsonscan.MinRead)
			}
		})
	}
}

func TestStreamReadErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct {
		name  string
		r     io.Reader
		count int
	}{
		{"between elements", io.MultiReader(strings.NewReader(`{"id": 1} `), iotest.ErrReader(boom)), 1},
		{"inside an element", io.MultiReader(strings.NewReader(`{"id": 1} {"id": 2, "na`), iotest.ErrReader(boom)), 1},
		{"inside a scalar", io.MultiReader(strings.NewReader(`1 23`), iotest.ErrReader(boom)), 1},
		{"inside an array", io.MultiReader(strings.NewReader(`[{"id": 1}, `), iotest.ErrReader(boom)), 1},
		{"after an array", io.MultiReader(strings.NewReader(`[{"id": 1}]`), iotest.ErrReader(boom)), 1},
		{"after an array element", io.MultiReader(strings.NewReader(`[{"id": 1}`), iotest.ErrReader(boom)), 1},
		{"at once", iotest.ErrReader(boom), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(tt.r)
			if err != boom || len(got) != tt.count {
				t.Errorf("%d elements, %v; want %d, boom", len(got), err, tt.count)
			}
		})
	}
	stuck := readerFunc(func([]byte) (int, error) { return 0, nil })
	if _, err := readAll(stuck); err != io.ErrNoProgress {
		t.Errorf("a reader that returns nothing: %v, want io.ErrNoProgress", err)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
