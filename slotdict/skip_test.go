package slotdict_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// corruptedLines returns n JSON Lines records {"id":i,"n":…} of which about
// one in a hundred is corrupted at random (truncated, binary garbage, a
// value of the wrong type, an unknown key), the ids of the good ones in
// order, and the 1-based lines of the bad ones.
func corruptedLines(n int, seed uint64) (in string, good []int, bad []int) {
	rng := rand.New(rand.NewPCG(seed, 0))
	var b strings.Builder
	for i := range n {
		line := fmt.Sprintf(`{"id":%d,"n":%d}`, i, rng.IntN(1000))
		if rng.IntN(100) == 0 {
			switch rng.IntN(4) {
			case 0: // truncated
				line = line[:1+rng.IntN(len(line)-1)]
			case 1: // binary garbage, without a newline
				g := make([]byte, 1+rng.IntN(30))
				for k := range g {
					if g[k] = byte(rng.IntN(256)); g[k] == '\n' {
						g[k] = 0
					}
				}
				g[0] = byte(rng.IntN(8)) // a control character: no value starts with it, and it is not whitespace
				line = string(g)
			case 2: // a value of the wrong type
				line = fmt.Sprintf(`{"id":%d,"n":"x"}`, i)
			case 3: // an unknown key
				line = fmt.Sprintf(`{"id":%d,"nn":1}`, i)
			}
			bad = append(bad, i+1)
		} else {
			good = append(good, i)
		}
		b.WriteString(line + "\n")
	}
	return b.String(), good, bad
}

// TestSkipBadLinesKeepsEveryGoodLine: with WithSkipBadLines, DecodeAll of
// 10,000 lines of which 1% are corrupted returns every good line, in order,
// and reports every bad one with its line, read whole or in small pieces.
func TestSkipBadLinesKeepsEveryGoodLine(t *testing.T) {
	s := slotdict.NewSchema("id", "n")
	for seed := range uint64(3) {
		in, good, bad := corruptedLines(10_000, seed)
		for how, r := range readers(in) {
			if how == "one byte" && seed > 0 {
				continue // slow; once is enough
			}
			t.Run(fmt.Sprintf("seed=%d/%s", seed, how), func(t *testing.T) {
				var skipped []int
				dicts, err := slotdict.DecodeAll[string, int](r, s, slotdict.WithSkipBadLines(func(e *slotdict.DecodeError) {
					skipped = append(skipped, e.Line)
				}))
				if err != nil {
					t.Fatal(err)
				}
				if len(dicts) != len(good) {
					t.Fatalf("%d records, want the %d good lines", len(dicts), len(good))
				}
				for i, d := range dicts {
					if id, _ := d.Get("id"); id != good[i] {
						t.Fatalf("record %d has id %d, want %d: a good line is lost or out of order", i, id, good[i])
					}
				}
				if fmt.Sprint(skipped) != fmt.Sprint(bad) {
					t.Errorf("skipped lines %v, want %v", skipped, bad)
				}
			})
		}
	}
}

// TestSkipBadLinesInArray: in a JSON array, the elements of the wrong
// shape are skipped (and reported with their errors), and a syntax error
// still ends the stream, returning what was decoded before it.
func TestSkipBadLinesInArray(t *testing.T) {
	s := slotdict.NewSchema("id", "n")
	const in = `[{"id":1}, {"id":"x"}, {"zz":2}, {"id":3,"id":3}, [4], {"id":5}, {"id":6 "n":1}, {"id":7}]`
	var errs []error
	dicts, err := slotdict.DecodeAll[string, int](strings.NewReader(in), s, slotdict.WithSkipBadLines(func(e *slotdict.DecodeError) { errs = append(errs, e) }))
	if !errors.Is(err, slotdict.ErrSyntax) || len(dicts) != 2 {
		t.Fatalf("%d records, %v; want 2 and the syntax error", len(dicts), err)
	}
	if id, _ := dicts[1].Get("id"); id != 5 {
		t.Errorf("the second record has id %d, want 5", id)
	}
	if len(errs) != 4 || !errors.Is(errs[1], slotdict.ErrUnknownKey) || !errors.Is(errs[2], slotdict.ErrDuplicateKey) || !errors.Is(errs[3], slotdict.ErrNotObject) {
		t.Errorf("skipped %v, want a wrong type, an unknown key, a duplicate key and a non-object", errs)
	}
}

// TestDecoderSkipsBadLines: a Decoder with WithSkipBadLines (a nil report)
// returns the good records one by one, then io.EOF.
func TestDecoderSkipsBadLines(t *testing.T) {
	dec := slotdict.NewDecoder[string, int](strings.NewReader("{\"id\":1}\nnope\n{\"id\":2}\n"), slotdict.NewSchema("id"), slotdict.WithSkipBadLines(nil))
	var ids []int
	for {
		d, err := dec.Decode()
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		id, _ := d.Get("id")
		ids = append(ids, id)
	}
	if fmt.Sprint(ids) != "[1 2]" {
		t.Errorf("decoded ids %v, want [1 2]", ids)
	}
}
