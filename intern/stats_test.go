package intern_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// TestReadStatsCountsTheProcessInterner: entries and bytes follow the
// strings in use, and hits and misses every call once ReadStats was called.
func TestReadStatsCountsTheProcessInterner(t *testing.T) {
	intern.ReadStats() // counting on
	before := intern.ReadStats()
	held := []string{
		intern.String(strings.Repeat("s", 20) + "-stats-a"),
		intern.Bytes([]byte(strings.Repeat("s", 20) + "-stats-b")),
	}
	for range 3 {
		intern.String(strings.Repeat("s", 20) + "-stats-a")
	}
	after := intern.ReadStats()
	if d := after.Misses - before.Misses; d < 2 {
		t.Errorf("misses grew by %d over two new strings", d)
	}
	if d := after.Hits - before.Hits; d < 3 {
		t.Errorf("hits grew by %d over three repeats", d)
	}
	if after.Entries < 2 || after.Entries != intern.Len() && after.Entries > intern.Len()+100 {
		t.Errorf("Entries = %d, Len = %d", after.Entries, intern.Len())
	}
	if d := after.Bytes - before.Bytes; d < 56 {
		t.Errorf("bytes grew by %d over two strings of 28 bytes", d)
	}
	runtime.KeepAlive(held)
	held = nil
	// Dropped strings leave: their entries, and their bytes.
	gctest.Until(t, "the entries of two dropped strings to go", func() bool {
		s := intern.ReadStats()
		return s.Entries <= after.Entries-2 && s.Bytes <= after.Bytes-56
	})
}

func TestHitsAreCountedFromTheFirstStatsCall(t *testing.T) {
	p := intern.NewPool()
	p.String("a")
	p.String("a") // not counted: nobody asked yet
	if s := p.Stats(); s.Hits != 0 || s.Misses != 1 {
		t.Fatalf("Stats() = %v before any hit was counted", s)
	}
	p.String("a")
	if s := p.Stats(); s.Hits != 1 {
		t.Fatalf("Stats() = %v after one counted hit", s)
	}
}

func TestStatsStringAndJSON(t *testing.T) {
	s := intern.Stats{Hits: 3, Misses: 2, Entries: 2, Bytes: 7}
	if got, want := s.String(), "entries=2 bytes=7 hits=3 misses=2"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"hits":3,"misses":2,"entries":2,"bytes":7}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var back intern.Stats
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("JSON read back as %v, %v", back, err)
	}
}

func TestTableStats(t *testing.T) {
	var tab intern.Table[string]
	tab.Stats()
	tab.ID("ab")
	tab.IDBytes([]byte("cde"))
	tab.ID("ab")
	tab.IDBytes([]byte("ab"))
	if s, want := tab.Stats(), (intern.Stats{Hits: 2, Misses: 2, Entries: 2, Bytes: 5}); s != want {
		t.Errorf("Stats() = %v, want %v", s, want)
	}
	var ints intern.Table[int]
	ints.ID(1)
	if s := ints.Stats(); s.Bytes != 0 || s.Misses != 1 || s.Entries != 1 {
		t.Errorf("Table[int].Stats() = %v", s)
	}
}

// TestTableBytes: IDBytes and LookupBytes agree with ID and Lookup, keep no
// alias of the caller's bytes, and allocate nothing on a hit.
func TestTableBytes(t *testing.T) {
	type name string
	var tab intern.Table[name]
	b := []byte("content-type")
	id := tab.IDBytes(b)
	copy(b, "XXXXXXXXXXXX")
	if got := tab.Value(id); got != "content-type" {
		t.Fatalf("the table kept the caller's bytes: Value = %q", got)
	}
	if got := tab.ID("content-type"); got != id {
		t.Fatalf("ID = %d, IDBytes gave %d", got, id)
	}
	if _, ok := tab.LookupBytes(b); ok {
		t.Fatal("LookupBytes found a value never added")
	}
	copy(b, "content-type")
	if got, ok := tab.LookupBytes(b); !ok || got != id {
		t.Fatalf("LookupBytes = %d, %v; want %d", got, ok, id)
	}
	if n := testing.AllocsPerRun(100, func() {
		tab.IDBytes(b)
		tab.LookupBytes(b)
	}); n != 0 {
		t.Fatalf("IDBytes and LookupBytes of a held value: %v allocations", n)
	}
	if tab.Len() != 1 {
		t.Fatalf("Len = %d", tab.Len())
	}
}

func TestTableBytesOfNonStringsPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "intern: Table.IDBytes on a Table[int]") {
			t.Fatalf("recover() = %v", r)
		}
	}()
	new(intern.Table[int]).IDBytes([]byte("1"))
}
