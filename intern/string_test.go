package intern_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unique"
	"unsafe"
	"weak"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// key generates strings from a small alphabet, so that equal strings recur,
// of every length around the front's limit of 256 bytes.
var key = rapid.OneOf(
	rapid.StringOfN(rapid.RuneFrom([]rune("ab")), 0, 4, -1),
	rapid.StringOfN(rapid.RuneFrom([]rune("abcé")), 0, 40, -1),
	rapid.Map(rapid.IntRange(250, 262), func(n int) string { return strings.Repeat("x", n) }),
)

func same(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestStringProperty: equal inputs give identical strings, across garbage
// collections, as long as a result is held (the test holds every result),
// and different inputs never collide.
func TestStringProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		results := map[string]string{}
		t.Repeat(map[string]func(*rapid.T){
			"String": func(t *rapid.T) {
				s := key.Draw(t, "s")
				check(t, results, s, intern.String(s))
			},
			"Bytes": func(t *rapid.T) {
				s := key.Draw(t, "s")
				b := []byte(s)
				got := intern.Bytes(b)
				for i := range b {
					b[i] = '!'
				}
				check(t, results, s, got)
			},
			"GC": func(t *rapid.T) {
				gctest.Collect(t)
			},
		})
	})
}

func check(t *rapid.T, results map[string]string, s, got string) {
	if got != s {
		t.Fatalf("interning %q returned %q", s, got)
	}
	if prev, ok := results[s]; ok && !same(prev, got) {
		t.Fatalf("interning %q twice returned two copies", s)
	}
	results[s] = got
	for other, r := range results {
		if other != s && len(s) > 0 && same(r, got) {
			t.Fatalf("%q and %q share bytes", s, other)
		}
	}
}

// TestStringIdentitySurvivesCollections: a program that keeps interned
// strings (and nothing else: no handles) gets the same copies back after any
// number of collections, whichever of String and Bytes it asks.
func TestStringIdentitySurvivesCollections(t *testing.T) {
	held := make([]string, 2000)
	for i := range held {
		held[i] = intern.String(fmt.Sprintf("kept-%d", i))
	}
	for range 3 {
		gctest.Collect(t)
	}
	for i, h := range held {
		k := fmt.Sprintf("kept-%d", i)
		if got := intern.String(k); !same(got, h) {
			t.Fatalf("String(%q) after collections returned a new copy", k)
		}
		if got := intern.Bytes([]byte(k)); !same(got, h) {
			t.Fatalf("Bytes(%q) after collections returned a new copy", k)
		}
	}
	// A substring of a held result keeps its entry too.
	tail := held[7][len("kept-"):]
	held = nil
	gctest.Collect(t)
	if got := intern.String("kept-7"); unsafe.Pointer(unsafe.StringData(got)) != unsafe.Add(unsafe.Pointer(unsafe.StringData(tail)), -len("kept-")) {
		t.Fatal("the entry of a string whose substring is in use was dropped")
	}
}

func TestBytesSurvivesMutation(t *testing.T) {
	for _, n := range []int{5, 40, 300} { // front, front, beyond the front
		b := []byte(strings.Repeat("k", n))
		s := intern.Bytes(b)
		if unsafe.StringData(s) == &b[0] {
			t.Fatalf("len %d: Bytes returned the caller's memory", n)
		}
		for i := range b {
			b[i] = 'z'
		}
		if s != strings.Repeat("k", n) {
			t.Fatalf("len %d: result changed with its source: %q", n, s)
		}
	}
}

// TestStringDoesNotPinBuffer: interning a small substring of a large buffer
// must not keep the buffer alive.
func TestStringDoesNotPinBuffer(t *testing.T) {
	s, w := internTail()
	gctest.Until(t, "the 1 MiB buffer to be collected while its interned substring lives", func() bool {
		return w.Value() == nil
	})
	if s != "a-substring-to-keep!" {
		t.Fatalf("interned substring = %q", s)
	}
}

// internTail interns the last 20 bytes of a 1 MiB string and returns the
// result and a weak pointer to the string's buffer.
func internTail() (string, weak.Pointer[byte]) {
	buf := make([]byte, 1<<20)
	copy(buf[len(buf)-20:], "a-substring-to-keep!")
	big := unsafe.String(&buf[0], len(buf)) // a large string without a copy
	return intern.String(big[len(big)-20:]), weak.Make(&buf[0])
}

// TestStringEntriesReclaimed: once nothing uses an interned string, its
// bytes are freed (the front lets go of it at the next collection) and its
// entry is removed.
func TestStringEntriesReclaimed(t *testing.T) {
	const n = 1000
	ws := make([]weak.Pointer[byte], n)
	for i := range ws {
		// 32 bytes: not a tiny allocation, which might share a block
		// with a live object and never be freed.
		s := intern.String(strings.Repeat("r", 28) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)) + "!")
		ws[i] = weak.Make(unsafe.StringData(s))
	}
	gctest.Until(t, "all interned strings to be reclaimed", func() bool {
		for _, w := range ws {
			if w.Value() != nil {
				return false
			}
		}
		return true
	})
}

func TestStringConcurrentProperty(t *testing.T) {
	keys := make([]string, 512)
	held := make([]string, len(keys))
	for i := range keys {
		keys[i] = strings.Repeat("c", i%40) + string(rune('A'+i%50)) + strings.Repeat("d", i/50)
		held[i] = intern.String(keys[i])
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := make([]byte, 0, 64)
			for r := range 20_000 {
				i := (r*7 + g*13) % len(keys)
				var got string
				if r%2 == 0 {
					got = intern.String(keys[i])
				} else {
					got = intern.Bytes(append(b[:0], keys[i]...))
				}
				if !same(got, held[i]) {
					errs <- "goroutine got a different copy of " + keys[i]
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestValueSharesStrings(t *testing.T) {
	type route struct{ method, path string }
	a := intern.Value(route{"GET", strings.Clone("/index.html")})
	b := intern.Value(route{"GET", strings.Clone("/index.html")})
	h := unique.Make(route{"GET", "/index.html"}) // pins the canonical copy
	if a != b || !same(a.path, b.path) || !same(a.path, h.Value().path) {
		t.Fatal("Value returned copies that do not share their strings")
	}
}

// TestBytesHitAllocatesNothing: Bytes of an interned value allocates
// nothing, whether the front holds it or the weak set has to find it (a
// collection empties the front).
func TestBytesHitAllocatesNothing(t *testing.T) {
	b := []byte("content-type")
	held := intern.Bytes(b) // keeps the entry interned throughout
	if n := testing.AllocsPerRun(1000, func() { sink = intern.Bytes(b) }); n != 0 {
		t.Fatalf("Bytes of an interned value: %v allocations, want 0", n)
	}
	for range 5 {
		// A collection empties the front: the lookup goes to the weak set.
		gctest.Collect(t)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		sink = intern.Bytes(b)
		runtime.ReadMemStats(&after)
		if n := after.Mallocs - before.Mallocs; n != 0 {
			t.Fatalf("Bytes of an interned value after a collection: %d allocations, want 0", n)
		}
	}
	runtime.KeepAlive(held)
}

var sink string
