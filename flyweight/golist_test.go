package flyweight_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// goList returns the output of `go list -json -deps std`: hundreds of real
// package records with varying key sets, nested objects and string arrays.
var goList = sync.OnceValues(func() ([]byte, error) {
	return exec.Command("go", "list", "-json", "-deps", "std").Output()
})

func goListOrSkip(tb testing.TB) []byte {
	data, err := goList()
	if err != nil {
		tb.Skipf("cannot run go list -json -deps std for real data: %v", err)
	}
	return data
}

// TestGoListRecords holds Records decoded from go list's output to at most
// 0.45 of the memory of encoding/json's maps, schemas included: nothing else
// holds the schemas while the Records are measured. (Their values are what
// encoding/json decodes: an array of strings is a []any, whose elements
// each need a boxed string header, shared by equal strings of a decode.)
func TestGoListRecords(t *testing.T) {
	skipMemory(t)
	data := goListOrSkip(t)
	n, schemas := checkGoListRecords(t, data)
	mapBytes := memsize.PerObject(n, func() any { m, _ := baseline.DecodeMaps(data); return m })
	recBytes := memsize.PerObject(n, func() any {
		r, _ := flyweight.DecodeRecords[any](bytes.NewReader(data))
		return r
	})
	t.Logf("go list -json -deps std: %d records, %d schemas; maps %.0f B/record, Records %.0f B/record: %.2f×",
		n, schemas, mapBytes, recBytes, recBytes/mapBytes)
	if recBytes/mapBytes > 0.45 {
		t.Errorf("Records take %.2f× the maps' memory; the bound is 0.45×", recBytes/mapBytes)
	}
}

// checkGoListRecords checks that Records decoded from data hold what
// encoding/json decodes, and returns how many there are and how many
// schemas they share.
func checkGoListRecords(t *testing.T, data []byte) (records, schemas int) {
	maps, err := baseline.DecodeMaps(data)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(maps) {
		t.Fatalf("%d records, %d maps", len(recs), len(maps))
	}
	shared := map[*slotdict.Schema[string]]bool{}
	for i, r := range recs {
		shared[r.Schema()] = true
		enc, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(enc, &back); err != nil || !jsonEqual(back, maps[i]) {
			t.Fatalf("record %d does not hold what encoding/json decoded: %v", i, err)
		}
	}
	return len(recs), len(shared)
}

// jsonEqual compares decoded JSON, as encoding/json decodes it.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
