package baseline_test

import (
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/baseline"
)

// TestKeysAreShortAndStable: 1024 keys of 6 to 40 bytes, 1007 of them
// distinct, the same on every call.
func TestKeysAreShortAndStable(t *testing.T) {
	keys, again := baseline.Keys(), baseline.Keys()
	seen := map[string]bool{}
	for i, k := range keys {
		if len(k) < 6 || len(k) > 40 || again[i] != k {
			t.Fatalf("key %d = %q, then %q", i, k, again[i])
		}
		seen[k] = true
	}
	if len(keys) != 1024 || len(seen) != 1007 {
		t.Fatalf("%d keys, %d distinct, want 1024 and 1007", len(keys), len(seen))
	}
}

// TestRunLoopsStayInRange: the loops of RunKeys and RunSeq call op only with
// indices of their sequence, and RunSeq calls it with every one.
func TestRunLoopsStayInRange(t *testing.T) {
	const n = 10
	var mu sync.Mutex
	keyIndex, seqIndex := map[int]bool{}, map[int]bool{}
	testing.Benchmark(func(b *testing.B) {
		baseline.RunKeys(b, "keys", func(i int) int {
			mu.Lock()
			keyIndex[i] = true
			mu.Unlock()
			return i
		})
		baseline.RunSeq(b, "seq", n, func(i int) int {
			mu.Lock()
			seqIndex[i] = true
			mu.Unlock()
			return i
		})
	})
	for i := range keyIndex {
		if i < 0 || i >= len(baseline.Keys()) {
			t.Errorf("RunKeys called op(%d)", i)
		}
	}
	for i := range seqIndex {
		if i < 0 || i >= n {
			t.Errorf("RunSeq called op(%d)", i)
		}
	}
	if len(seqIndex) != n || len(keyIndex) == 0 {
		t.Errorf("RunSeq called op with %d of %d indices, RunKeys with %d", len(seqIndex), n, len(keyIndex))
	}
}
