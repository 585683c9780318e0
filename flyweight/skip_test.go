package flyweight_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// TestSkipBadLinesKeepsEveryGoodLine: with WithSkipBadLines, DecodeRecords
// of 10,000 lines of which 1% are corrupted at random (truncated, binary
// garbage, a value of the wrong type, a duplicate key) returns every good
// line, in order, and reports every bad one with its line.
func TestSkipBadLinesKeepsEveryGoodLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	var good, bad []int
	kinds := map[int]int{}
	for i := range 10_000 {
		line := fmt.Sprintf(`{"id":%d,"n":%d}`, i, rng.IntN(1000))
		if rng.IntN(100) == 0 {
			kind := rng.IntN(4)
			kinds[kind]++
			switch kind {
			case 0:
				line = line[:1+rng.IntN(len(line)-1)]
			case 1:
				g := make([]byte, 1+rng.IntN(30))
				for k := range g {
					if g[k] = byte(rng.IntN(256)); g[k] == '\n' {
						g[k] = 0
					}
				}
				g[0] = byte(rng.IntN(8)) // no value starts with a control character, and it is not whitespace
				line = string(g)
			case 2:
				line = fmt.Sprintf(`{"id":%d,"n":"x"}`, i)
			case 3:
				line = fmt.Sprintf(`{"id":%d,"n":1,"n":2}`, i)
			}
			bad = append(bad, i+1)
		} else {
			good = append(good, i)
		}
		b.WriteString(line + "\n")
	}
	if len(kinds) != 4 {
		t.Fatalf("corruptions of kinds %v: want all four", kinds)
	}
	var skipped []int
	recs, err := flyweight.DecodeRecords[int](iotest.HalfReader(strings.NewReader(b.String())), flyweight.WithSkipBadLines(func(e *flyweight.DecodeError) {
		skipped = append(skipped, e.Line)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(good) {
		t.Fatalf("%d records, want the %d good lines", len(recs), len(good))
	}
	for i, r := range recs {
		if id, _ := r.Get("id"); id != good[i] {
			t.Fatalf("record %d has id %d, want %d: a good line is lost or out of order", i, id, good[i])
		}
	}
	if fmt.Sprint(skipped) != fmt.Sprint(bad) {
		t.Errorf("skipped lines %v, want %v", skipped, bad)
	}
}

// TestSkipBadLinesInArray: in a JSON array, the elements of the wrong
// shape are skipped, and a syntax error still ends the stream.
func TestSkipBadLinesInArray(t *testing.T) {
	const in = `[{"id":1}, {"id":"x"}, {"id":3,"id":3}, 4, {"id":5}, {"id":6 "n":1}, {"id":7}]`
	var errs []error
	recs, err := flyweight.DecodeRecords[int](strings.NewReader(in), flyweight.WithSkipBadLines(func(e *flyweight.DecodeError) { errs = append(errs, e) }))
	if !errors.Is(err, flyweight.ErrSyntax) || len(recs) != 2 {
		t.Fatalf("%d records, %v; want 2 and the syntax error", len(recs), err)
	}
	if id, _ := recs[1].Get("id"); id != 5 {
		t.Errorf("the second record has id %d, want 5", id)
	}
	if len(errs) != 3 || !errors.Is(errs[1], flyweight.ErrDuplicateKey) || !errors.Is(errs[2], flyweight.ErrNotObject) {
		t.Errorf("skipped %v, want a wrong type, a duplicate key and a non-object", errs)
	}
}

// TestStreamErrorsSayTheirLine: without the option, the error that ends a
// stream gives the line of its offset.
func TestStreamErrorsSayTheirLine(t *testing.T) {
	_, err := flyweight.DecodeRecords[any](strings.NewReader("{\"a\":1}\n{\"a\":2}\n{\"a\":}\n"))
	var de *flyweight.DecodeError
	if !errors.As(err, &de) || de.Line != 3 || de.Offset != 21 {
		t.Fatalf("%v, want a DecodeError at byte offset 21 on line 3", err)
	}
}
