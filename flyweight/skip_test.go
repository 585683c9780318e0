package flyweight_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// TestSkipBadLinesKeepsEveryGoodLine: with WithSkipBadLines, DecodeRecords
// and DecodeFrame of 10,000 lines of which 1% are corrupted at random
// (truncated, binary garbage, a value of the wrong type, a duplicate key)
// return every good line, in order, and report every bad one with its line.
// A Frame holds any value, so a value of another type is good for it.
func TestSkipBadLinesKeepsEveryGoodLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	var good, bad, wrongType []int // ids of the good lines; line numbers of the bad; ids of the lines of the wrong type
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
				wrongType = append(wrongType, i)
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
	check := func(t *testing.T, ids []int, skipped []int, wantIDs []int, wantSkipped []int) {
		t.Helper()
		if len(ids) != len(wantIDs) {
			t.Fatalf("%d records, want the %d good lines", len(ids), len(wantIDs))
		}
		for i, id := range ids {
			if id != wantIDs[i] {
				t.Fatalf("record %d has id %d, want %d: a good line is lost or out of order", i, id, wantIDs[i])
			}
		}
		if fmt.Sprint(skipped) != fmt.Sprint(wantSkipped) {
			t.Errorf("skipped lines %v, want %v", skipped, wantSkipped)
		}
	}
	t.Run("DecodeRecords", func(t *testing.T) {
		var skipped []int
		recs, err := flyweight.DecodeRecords[int](iotest.HalfReader(strings.NewReader(b.String())), flyweight.WithSkipBadLines(func(e *flyweight.DecodeError) {
			skipped = append(skipped, e.Line)
		}))
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, r := range recs {
			id, _ := r.Get("id")
			ids = append(ids, id)
		}
		check(t, ids, skipped, good, bad)
	})
	t.Run("DecodeFrame", func(t *testing.T) {
		var skipped []int
		f, err := flyweight.DecodeFrame(iotest.HalfReader(strings.NewReader(b.String())), flyweight.WithSkipBadLines(func(e *flyweight.DecodeError) {
			skipped = append(skipped, e.Line)
		}))
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for row := range f.Len() {
			id, _ := f.Get(row, "id")
			ids = append(ids, int(id.(float64)))
		}
		frameGood := slices.Sorted(slices.Values(append(slices.Clone(good), wrongType...)))
		frameBad := slices.DeleteFunc(slices.Clone(bad), func(line int) bool { return slices.Contains(wrongType, line-1) })
		check(t, ids, skipped, frameGood, frameBad)
	})
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
