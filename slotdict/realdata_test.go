package slotdict_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// The real data: the ARM64 instruction table vendored in the Go
// distribution, 1218 records of 6 string fields.
var (
	instPath = filepath.Join("src", "cmd", "vendor", "golang.org", "x", "arch", "arm64", "arm64asm", "inst.json")
	instKeys = []string{"Name", "Bits", "Arch", "Syntax", "Code", "Alias"}
)

const instRecords = 1218

// instJSON returns the contents of $(go env GOROOT)/<instPath>, or skips tb.
func instJSON(tb testing.TB) []byte {
	tb.Helper()
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		tb.Skipf("skipping: no go command to find GOROOT: %v", err)
	}
	path := filepath.Join(strings.TrimSpace(string(goroot)), instPath)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Skipf("skipping: the real-data file is absent: %v", err)
	}
	return data
}

func decodeInst(tb testing.TB, data []byte, opts ...slotdict.Option) []*slotdict.Dict[string, string] {
	recs, err := slotdict.DecodeAll[string, string](bytes.NewReader(data), slotdict.NewSchema(instKeys...), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

func decodeInstWithEncodingJSON(tb testing.TB, data []byte) []map[string]any {
	var recs []map[string]any
	if err := json.Unmarshal(data, &recs); err != nil {
		tb.Fatal(err)
	}
	return recs
}

func TestInstJSONDecode(t *testing.T) {
	data := instJSON(t)
	want := decodeInstWithEncodingJSON(t, data)
	for name, opts := range map[string][]slotdict.Option{"plain": nil, "interned": {slotdict.WithIntern(newCountingIntern().intern)}} {
		got := decodeInst(t, data, opts...)
		if len(got) != instRecords || len(want) != instRecords {
			t.Fatalf("%s: %d records, encoding/json %d; want %d", name, len(got), len(want), instRecords)
		}
		for i := range want {
			if got[i].Len() != len(want[i]) {
				t.Fatalf("%s: record %d is %v, encoding/json gives %v", name, i, got[i], want[i])
			}
			for k, v := range got[i].All() {
				if want[i][k] != v {
					t.Fatalf("%s: record %d: %s = %q, encoding/json gives %q", name, i, k, v, want[i][k])
				}
			}
		}
	}
}

// instBytesPerRecord returns the live bytes per record of the table decoded
// with encoding/json into []map[string]any, and into Dicts without and with
// interning.
//
// The interned figure uses a pool made for the decode and dropped after it,
// so it counts each distinct string once and nothing for the pool: the
// steady state of a weak interner such as the intern package's Bytes, which
// keeps nothing for strings that only the records hold. (These tests do not
// use the unique package: it drops its entries asynchronously, some time
// after a collection, and memory it frees in the middle of a measurement
// would be subtracted from it.)
func instBytesPerRecord(tb testing.TB, data []byte) (encodingJSON, plain, interned float64) {
	encodingJSON = memsize.PerObject(instRecords, func() any { return decodeInstWithEncodingJSON(tb, data) })
	plain = memsize.PerObject(instRecords, func() any { return decodeInst(tb, data) })
	interned = memsize.PerObject(instRecords, func() any {
		return decodeInst(tb, data, slotdict.WithIntern(newCountingIntern().intern))
	})
	// data must outlive the measurements: if it died during the last one,
	// its release would be subtracted from it.
	runtime.KeepAlive(data)
	return encodingJSON, plain, interned
}

// TestInstJSONMemory bounds the memory of the decoded table against
// encoding/json's []map[string]any, and logs what a Dict of Go strings cannot
// go below: a record with no string bytes at all (the pointer to it, its
// header and storage of six string headers) plus each distinct string's
// bytes once. Bits and Syntax are distinct in almost every record (logged
// below), so interning cannot share them.
//
// The interned figure models a weak interner such as the intern package's
// Bytes, which keeps nothing for strings that only the records hold. A
// strong pool kept alive with the records (the intern package's Pool) adds
// its map, logged below.
func TestInstJSONMemory(t *testing.T) {
	data := instJSON(t)
	base, plain, interned := instBytesPerRecord(t, data)
	t.Logf("per record: encoding/json []map[string]any %.1f B; Dicts %.1f B (%.3f×); Dicts, interned %.1f B (%.3f×)",
		base, plain, plain/base, interned, interned/base)
	if interned/base > 0.43 {
		t.Errorf("interned Dicts cost %.3f× encoding/json's maps, want ≤ 0.43×", interned/base)
	}
	if plain/base > 0.5 {
		t.Errorf("Dicts cost %.3f× encoding/json's maps, want ≤ 0.5×", plain/base)
	}

	s := slotdict.NewSchema(instKeys...)
	empty := memsize.PerObject(instRecords, func() any {
		recs := make([]*slotdict.Dict[string, string], instRecords)
		for i := range recs {
			recs[i] = slotdict.New[string, string](s)
		}
		return recs
	})
	pooled := memsize.PerObject(instRecords, func() any {
		pool := newCountingIntern()
		return []any{decodeInst(t, data, slotdict.WithIntern(pool.intern)), pool}
	})
	distinct := map[string]map[string]bool{}
	distinctBytes := 0
	seen := map[string]bool{}
	for _, r := range decodeInst(t, data) {
		for k, v := range r.All() {
			if distinct[k] == nil {
				distinct[k] = map[string]bool{}
			}
			distinct[k][v] = true
			if !seen[v] {
				seen[v] = true
				distinctBytes += len(v)
			}
		}
	}
	perRecord := float64(distinctBytes) / instRecords
	floor := empty + perRecord
	t.Logf("distinct values per key: Name %d, Bits %d, Arch %d, Syntax %d, Code %d, Alias %d; distinct string bytes %.1f B per record",
		len(distinct["Name"]), len(distinct["Bits"]), len(distinct["Arch"]), len(distinct["Syntax"]), len(distinct["Code"]), len(distinct["Alias"]), perRecord)
	t.Logf("per record: without string bytes %.1f B; floor %.1f B (%.3f×); interned with the pool kept %.1f B (%.3f×)",
		empty, floor, floor/base, pooled, pooled/base)
}

// BenchmarkInstJSON decodes the whole table: with encoding/json into
// []map[string]any (impl=map), and into Dicts without and with interning
// (through a pool, newCountingIntern). B/record is live memory, as
// TestInstJSONMemory measures it.
func BenchmarkInstJSON(b *testing.B) {
	data := instJSON(b)
	base, plain, interned := instBytesPerRecord(b, data)
	for _, bm := range []struct {
		name   string
		perRec float64
		decode func(testing.TB)
	}{
		{"impl=map", base, func(tb testing.TB) { decodeInstWithEncodingJSON(tb, data) }},
		{"impl=Dict", plain, func(tb testing.TB) { decodeInst(tb, data) }},
		{"impl=Dict+intern", interned, func(tb testing.TB) { decodeInst(tb, data, slotdict.WithIntern(newCountingIntern().intern)) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for range b.N {
				bm.decode(b)
			}
			b.ReportMetric(bm.perRec, "B/record")
		})
	}
}
