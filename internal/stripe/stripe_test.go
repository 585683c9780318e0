package stripe_test

import (
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/stripe"
)

func TestIndexInRange(t *testing.T) {
	for _, n := range []int{1, 2, 8, 256} {
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i := stripe.Index(n); i < 0 || i >= n {
					t.Errorf("Index(%d) = %d", n, i)
				}
			}()
		}
		wg.Wait()
	}
}

// TestIndexSpreadsGoroutines: goroutines alive at once land on many
// stripes. Each goroutine stays alive until all have picked, so that no two
// share a stack one after the other.
func TestIndexSpreadsGoroutines(t *testing.T) {
	const n = 64
	seen := map[int]bool{}
	var mu sync.Mutex
	var picked, done sync.WaitGroup
	release := make(chan struct{})
	for range n {
		picked.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			i := stripe.Index(n)
			mu.Lock()
			seen[i] = true
			mu.Unlock()
			picked.Done()
			<-release
		}()
	}
	picked.Wait()
	close(release)
	done.Wait()
	// 64 goroutines over 64 stripes at random would cover about 40; far
	// fewer means the addresses are not being mixed.
	if len(seen) < n/4 {
		t.Fatalf("%d goroutines used only %d of %d stripes", n, len(seen), n)
	}
}

func TestCount(t *testing.T) {
	c := stripe.Count()
	if c < 8 || c > 256 || c&(c-1) != 0 {
		t.Fatalf("Count() = %d, want a power of two in [8, 256]", c)
	}
}
