package flyweight_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// readFrame returns a Frame whose columns hold strings in every encoding
// that holds strings, by the names of the encodings: a dictionary of
// strings, one of strings among other kinds, packed strings, and mixed
// text; and numbers and booleans in a dictionary, int64s and float64s.
func readFrame(t *testing.T) *flyweight.Frame {
	t.Helper()
	var b strings.Builder
	for i := range 3000 {
		mixed := []string{fmt.Sprintf(`"m%d"`, i), fmt.Sprint(i), "true", "[1]"}[i%4]
		fmt.Fprintf(&b, `{"dictionary": "d%d", "dictionary-mixed": %s, "bytes": "s%d", "mixed": %s, "number": %d.5, "bool": %v, "int64": %d, "float64": %d.25}`+"\n",
			i%5, []string{`"x"`, `1.5`, `"y"`}[i%3], i, mixed, i%3, i%2 == 0, i*3, i)
	}
	f := must(flyweight.DecodeFrame(strings.NewReader(b.String())))
	want := map[string]string{
		"dictionary": "dictionary/1", "dictionary-mixed": "dictionary/1", "bytes": "bytes", "mixed": "mixed",
		"number": "dictionary/1", "bool": "dictionary/1", "int64": "int64", "float64": "float64",
	}
	for k, e := range want {
		if got := columnEncodings(f)[k]; got != e {
			t.Fatalf("column %s is %s, want %s", k, got, e)
		}
	}
	return f
}

// stringRow returns a row of f at which column key holds a string.
func stringRow(t *testing.T, f *flyweight.Frame, key string) int {
	t.Helper()
	for row := range f.Len() {
		if _, ok := f.String(row, key); ok {
			return row
		}
	}
	t.Fatalf("no row holds a string in %s", key)
	return 0
}

// TestFrameStringAllocatesNothing: String allocates nothing, whatever the
// encoding of the column.
func TestFrameStringAllocatesNothing(t *testing.T) {
	gctest.SkipIfRace(t)
	f := readFrame(t)
	for _, key := range []string{"dictionary", "dictionary-mixed", "bytes", "mixed"} {
		row := stringRow(t, f, key)
		if n := testing.AllocsPerRun(100, func() { sinkString, _ = f.String(row, key) }); n != 0 {
			t.Errorf("String of a %s column: %v allocations", key, n)
		}
	}
}

// TestFrameGetAllocations: Get of a value held once by a dictionary (a
// string, a number, a boolean) or of a float64 column allocates nothing;
// Get of a string from any other column allocates at most the interface.
func TestFrameGetAllocations(t *testing.T) {
	gctest.SkipIfRace(t)
	f := readFrame(t)
	for _, c := range []struct {
		key  string
		most float64
	}{
		{"dictionary", 0}, {"dictionary-mixed", 0}, {"number", 0}, {"bool", 0}, {"float64", 0},
		{"bytes", 1}, {"mixed", 1}, {"int64", 1},
	} {
		row := 0
		if c.key == "mixed" || c.key == "dictionary-mixed" {
			row = stringRow(t, f, c.key)
		}
		if n := testing.AllocsPerRun(100, func() { sinkAny, _ = f.Get(row, c.key) }); n > c.most {
			t.Errorf("Get of a %s column: %v allocations, want at most %v", c.key, n, c.most)
		}
	}
}

// TestFrameReadColumnsEncodings: the columns that the read benchmarks
// compare with maps have the encodings they are named by.
func TestFrameReadColumnsEncodings(t *testing.T) {
	enc := columnEncodings(readRows().f)
	for _, c := range readColumns {
		if got := enc[c.key]; !strings.HasPrefix(got, map[string]string{"dictionary": "dictionary/", "packed": "bytes"}[c.encoding]) {
			t.Errorf("the %s column of the read benchmarks is %s", c.key, got)
		}
	}
}

// TestFrameReadsFindEveryKeyAndNoOther: String and Get find each key of a
// Frame, and report false for every other, whatever the keys have in
// common: one length, the same first and last bytes, a shared long prefix
// and suffix, the empty key, more keys than fit a small table.
func TestFrameReadsFindEveryKeyAndNoOther(t *testing.T) {
	long := func(mid string) string { return strings.Repeat("p", 9) + mid + strings.Repeat("s", 9) }
	many := make([]string, 300)
	for i := range many {
		many[i] = fmt.Sprintf("k%03d", i)
	}
	for _, tt := range []struct {
		name         string
		keys, absent []string
	}{
		{"short keys", []string{"a", "b", "ab", "ba", "abc", "acc", "abcd", "abdd"}, []string{"c", "aa", "abb", "abce", "", "abcde"}},
		{"keys of 4 to 16 bytes", []string{"abcdefgh", "abcdXfgh", "abcdefghijklmnop", "abcdefghXjklmnop"}, []string{"abcdYfgh", "abcdefghijklmnoq", "abcdefg"}},
		{"a long key", []string{long("x"), "a"}, []string{long("z"), long("")}},
		{"long keys alike at both ends", []string{long("x"), long("y"), long("xy")}, []string{long("z"), long("yx"), long("")}},
		{"the empty key", []string{"", "a"}, []string{"b", " "}},
		{"many keys", many, []string{"k300", "k", "k0000"}},
	} {
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range tt.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%q", k, "v"+k)
		}
		b.WriteByte('}')
		f := must(flyweight.DecodeFrame(strings.NewReader(b.String())))
		for _, k := range tt.keys {
			if s, ok := f.String(0, k); !ok || s != "v"+k {
				t.Errorf("%s: String(0, %q) = %q, %v", tt.name, k, s, ok)
			}
			if v, ok := f.Get(0, k); !ok || v != "v"+k {
				t.Errorf("%s: Get(0, %q) = %v, %v", tt.name, k, v, ok)
			}
		}
		for _, k := range tt.absent {
			if s, ok := f.String(0, k); ok {
				t.Errorf("%s: String(0, %q) = %q, true for a key the Frame lacks", tt.name, k, s)
			}
			if v, ok := f.Get(0, k); ok {
				t.Errorf("%s: Get(0, %q) = %v, true for a key the Frame lacks", tt.name, k, v)
			}
		}
	}
}
