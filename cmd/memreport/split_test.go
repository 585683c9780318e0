package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

// splitAll feeds data to a splitter in pieces of the sizes that piece
// draws, as reads would, and returns it done.
func splitAll(data []byte, piece func() int, sp *splitter) (*splitter, error) {
	if sp.stats == nil {
		sp.stats = newKeyStats()
	}
	n := 0
	for !sp.done {
		n = min(len(data), n+piece())
		sp.data, sp.eof = data[:n], n == len(data)
		if err := sp.scan(); err != nil {
			return sp, err
		}
		if sp.eof && !sp.done {
			return sp, errors.New("the splitter is not done at the end of its input")
		}
	}
	return sp, nil
}

func genRecord(t *rapid.T, label string) string {
	m := map[string]any{}
	for _, k := range rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"a", "b", "c", `q"uote`, "é", "long key name"}), 0, 5, rapid.ID).Draw(t, label+" keys") {
		m[k] = rapid.OneOf[any](
			rapid.Just[any](nil), rapid.Bool().AsAny(), rapid.Float64Range(-1e9, 1e9).AsAny(),
			rapid.StringN(0, 12, -1).AsAny(), rapid.SliceOfN(rapid.IntRange(0, 9), 0, 3).AsAny(),
		).Draw(t, label+" "+k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSplitKeepsEveryGoodLineProperty: JSON Lines with some lines
// corrupted (cut short, garbage, a valid value that is not an object), read
// in pieces of any size: every good line is a record, in order, each
// corrupted line is one skip, and the first skip names its line.
func TestSplitKeepsEveryGoodLineProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "lines")
		var data bytes.Buffer
		var good []string
		corrupted, firstBad := 0, 0
		for i := range n {
			line := genRecord(t, "record")
			if rapid.IntRange(0, 4).Draw(t, "corrupt") == 0 {
				switch rapid.IntRange(0, 2).Draw(t, "how") {
				case 0: // cut short: a proper prefix of an object is never valid
					line = line[:rapid.IntRange(1, len(line)-1).Draw(t, "cut")]
				case 1:
					if i == 0 { // a first byte that opens nothing is "not JSON"
						line = "{" + "\x00\xff"
					} else {
						line = "\x00\xff garbage"
					}
				case 2:
					line = rapid.SampledFrom([]string{`{"a":`, `{"a" 1}`, `{"a":1,}`, `{"a":1,"a":2}`, `{"a":tru}`}).Draw(t, "bad")
				}
				corrupted++
				if firstBad == 0 {
					firstBad = i + 1
				}
			} else {
				good = append(good, line)
			}
			data.WriteString(line + "\n")
		}
		piece := func() int { return rapid.IntRange(1, 64).Draw(t, "piece") }
		sp, err := splitAll(data.Bytes(), piece, &splitter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(sp.recs) != len(good) || sp.skipped != corrupted {
			t.Fatalf("%d records and %d skipped, want %d and %d:\n%s", len(sp.recs), sp.skipped, len(good), corrupted, data.String())
		}
		for i, r := range sp.recs {
			if got := string(data.Bytes()[r.start:r.end]); got != good[i] {
				t.Fatalf("record %d is %q, want %q", i, got, good[i])
			}
		}
		if corrupted > 0 && sp.first.Line != firstBad {
			t.Fatalf("first skip at line %d, want %d (%s)", sp.first.Line, firstBad, sp.first.Error)
		}
	})
}

// TestSplitArrayProperty: the objects of an array are its records, its
// other elements are skipped, and the key counts agree with encoding/json.
func TestSplitArrayProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "elements")
		var elems []string
		var objects []map[string]any
		skipped := 0
		for range n {
			if rapid.IntRange(0, 5).Draw(t, "other") == 0 {
				elems = append(elems, rapid.SampledFrom([]string{`42`, `"s"`, `[1,{}]`, `null`}).Draw(t, "element"))
				skipped++
				continue
			}
			rec := genRecord(t, "record")
			elems = append(elems, rec)
			var m map[string]any
			if err := json.Unmarshal([]byte(rec), &m); err != nil {
				t.Fatal(err)
			}
			objects = append(objects, m)
		}
		data := []byte("[" + joinIndented(elems) + "]")
		sp, err := splitAll(data, func() int { return rapid.IntRange(1, 64).Draw(t, "piece") }, &splitter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(sp.recs) != len(objects) || sp.skipped != skipped {
			t.Fatalf("%d records and %d skipped, want %d and %d: %s", len(sp.recs), sp.skipped, len(objects), skipped, data)
		}
		present := map[string]int{}
		for _, m := range objects {
			for k := range m {
				present[k]++
			}
		}
		for _, k := range sp.stats.keys {
			if k.present != present[k.name] {
				t.Fatalf("key %q present %d times, want %d", k.name, k.present, present[k.name])
			}
			delete(present, k.name)
		}
		if len(present) > 0 {
			t.Fatalf("keys not counted: %v", present)
		}
	})
}

func joinIndented(elems []string) string {
	var b bytes.Buffer
	for i, e := range elems {
		if i > 0 {
			b.WriteString(",\n  ")
		}
		b.WriteString(e)
	}
	return b.String()
}

// TestSplitSample: -sample stops the splitter after N records, without
// reading the rest.
func TestSplitSample(t *testing.T) {
	data := bytes.Repeat([]byte(`{"a":1}`+"\n"), 100)
	sp, err := splitAll(data, func() int { return 16 }, &splitter{limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.recs) != 10 || len(sp.data) >= len(data) {
		t.Fatalf("%d records after reading %d of %d bytes", len(sp.recs), len(sp.data), len(data))
	}
}

// FuzzSplit: any input is split without a panic; every record kept is one
// JSON object that encoding/json decodes into a map.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{`{"a":1}` + "\n" + `{"b":[1,2]}`, `[{"a":1},2,{"b":"c"}]`, "{\"a\":\n{\"b\":1}\n", `[{"a":1},{`, "\xef\xbb\xbf{}", `{"a":1,"a":2}`} {
		f.Add([]byte(s), uint8(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		sp, err := splitAll(data, func() int { return int(step) + 1 }, &splitter{})
		if err != nil && !errors.Is(err, errNotJSON) {
			t.Fatal(err)
		}
		for _, r := range sp.recs {
			var m map[string]any
			if err := json.Unmarshal(data[r.start:r.end], &m); err != nil || m == nil {
				t.Fatalf("record %q: %v", data[r.start:r.end], err)
			}
		}
	})
}
