package intern_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// TestStress churns every interner from several goroutines while another
// forces collections, bounded by a count and a time limit. The canonical
// copies of the hot keys are held: every goroutine must get that one copy,
// from String and Bytes alike, across every collection; cold keys are
// interned once and dropped, so that the front and the weak set keep
// changing underneath. Pool and
// Table must agree on every key. Afterwards the goroutines are gone and the
// heap is back near where it was.
func TestStress(t *testing.T) {
	check := gctest.LeakCheck(t, 1<<20)
	const (
		workers = 4
		ops     = 50_000
		limit   = 2 * time.Second
	)
	hot := make([]string, 64)
	held := make([]string, len(hot))
	for i := range hot {
		hot[i] = fmt.Sprintf("hot-key-%02d", i)
		held[i] = intern.String(hot[i])
	}
	pool := intern.NewPool()
	tab := new(intern.Table[string])
	errs := gctest.Stress(workers, ops, limit, func(w int) func(int) error {
		buf := make([]byte, 0, 64)
		return func(i int) error {
			k := (i*7 + w) % len(hot)
			var got string
			if i%2 == 0 {
				got = intern.String(hot[k])
			} else {
				got = intern.Bytes(append(buf[:0], hot[k]...))
			}
			if !same(got, held[k]) {
				return fmt.Errorf("worker %d: a second live copy of %q", w, hot[k])
			}
			intern.String(fmt.Sprintf("cold-%d-%d", w, i)) // dropped at once
			p := pool.String(hot[k])
			if c, ok := pool.Lookup(hot[k]); !ok || !same(c, p) {
				return fmt.Errorf("worker %d: the pool gave two copies of %q", w, hot[k])
			}
			if id := tab.ID(hot[k]); tab.Value(id) != hot[k] {
				return fmt.Errorf("worker %d: Sym %d of %q is %q", w, id, hot[k], tab.Value(id))
			}
			return nil
		}
	})
	for _, err := range errs {
		t.Error(err)
	}
	if pool.Len() != len(hot) || tab.Len() != len(hot) {
		t.Errorf("pool has %d strings, table %d; want %d", pool.Len(), tab.Len(), len(hot))
	}
	runtime.KeepAlive(held)
	check()
}
