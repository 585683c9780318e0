package intern_test

import (
	"strings"
	"sync"
	"testing"
	"unsafe"
	"weak"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// poolModel is what a Pool must behave like: a map of the strings it
// returned, and the counters Stats must report.
type poolModel struct {
	pooled map[string]string
	stats  intern.Stats
	maxLen int // -1: no limit
}

// intern records that the pool returned got for in, whose bytes the caller
// had at src.
func (m *poolModel) intern(t *rapid.T, in, got string, src *byte) {
	if got != in {
		t.Fatalf("pool returned %q for %q", got, in)
	}
	if len(in) > 0 && unsafe.StringData(got) == src {
		t.Fatalf("pool returned the caller's memory for %q", in)
	}
	if m.maxLen >= 0 && len(in) > m.maxLen {
		m.stats.Misses++
		return
	}
	if prev, ok := m.pooled[in]; ok {
		if !same(prev, got) {
			t.Fatalf("pool returned a second copy of %q", in)
		}
		m.stats.Hits++
		return
	}
	m.pooled[in] = got
	m.stats.Misses++
	m.stats.Entries++
	m.stats.Bytes += int64(len(in))
}

// TestPoolModel checks every Pool operation against poolModel, with inputs
// that are substrings of larger buffers and byte slices reused afterwards.
func TestPoolModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &poolModel{pooled: map[string]string{}, maxLen: -1}
		var p *intern.Pool
		if rapid.Bool().Draw(t, "limited") {
			m.maxLen = rapid.IntRange(0, 30).Draw(t, "maxLen")
			p = intern.NewPool(intern.WithMaxLen(m.maxLen))
		} else {
			p = new(intern.Pool) // the zero Pool is ready to use
		}
		p.Stats() // hits are counted from the first Stats on
		t.Repeat(map[string]func(*rapid.T){
			"String": func(t *rapid.T) {
				s := key.Draw(t, "s")
				in := ("prefix" + s)[len("prefix"):] // a substring of a larger buffer
				m.intern(t, s, p.String(in), unsafe.StringData(in))
			},
			"Bytes": func(t *rapid.T) {
				s := key.Draw(t, "s")
				b := []byte(s)
				got := p.Bytes(b)
				m.intern(t, s, got, unsafe.SliceData(b))
				for i := range b {
					b[i] = '!'
				}
				if got != s {
					t.Fatalf("result changed with its source: %q, want %q", got, s)
				}
			},
			"Lookup": func(t *rapid.T) {
				s := key.Draw(t, "s")
				got, ok := p.Lookup(s)
				want, wantOK := m.pooled[s]
				if ok != wantOK || !same(got, want) {
					t.Fatalf("Lookup(%q) = %q, %v; want %q, %v", s, got, ok, want, wantOK)
				}
			},
			"": func(t *rapid.T) {
				if p.Len() != len(m.pooled) {
					t.Fatalf("Len() = %d, want %d", p.Len(), len(m.pooled))
				}
				if got := p.Stats(); got != m.stats {
					t.Fatalf("Stats() = %+v, want %+v", got, m.stats)
				}
			},
		})
	})
}

// TestPoolConcurrentProperty: goroutines interning overlapping strings into
// one Pool all get the same copy of each, and the counters add up.
func TestPoolConcurrentProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := intern.NewPool(intern.WithMaxLen(30))
		p.Stats() // hits are counted from the first Stats on
		work := rapid.SliceOfN(rapid.SliceOfN(key, 1, 50), 2, 6).Draw(t, "work")
		results := make([][]string, len(work))
		var wg sync.WaitGroup
		for g, keys := range work {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i, k := range keys {
					if i%2 == 0 {
						results[g] = append(results[g], p.String(k))
					} else {
						results[g] = append(results[g], p.Bytes([]byte(k)))
					}
				}
			}()
		}
		wg.Wait()

		distinct, calls, oversize := map[string]bool{}, 0, 0
		for g, keys := range work {
			for i, k := range keys {
				calls++
				got := results[g][i]
				if got != k {
					t.Fatalf("got %q for %q", got, k)
				}
				if len(k) > 30 {
					oversize++
					if _, ok := p.Lookup(k); ok {
						t.Fatalf("a string longer than the limit was pooled: %q", k)
					}
					continue
				}
				distinct[k] = true
				if canon, ok := p.Lookup(k); !ok || !same(canon, got) {
					t.Fatalf("a goroutine got a copy of %q that is not the pool's", k)
				}
			}
		}
		st := p.Stats()
		if p.Len() != len(distinct) || st.Entries != len(distinct) {
			t.Fatalf("Len() = %d, Entries = %d, want %d", p.Len(), st.Entries, len(distinct))
		}
		if st.Hits+st.Misses != uint64(calls) || st.Misses != uint64(len(distinct)+oversize) {
			t.Fatalf("Stats() = %+v after %d calls, %d distinct, %d over the limit", st, calls, len(distinct), oversize)
		}
	})
}

// TestPoolCollectable: a pool and the strings only it holds are collected
// once the pool is unreachable; nothing registers it globally.
func TestPoolCollectable(t *testing.T) {
	wp, ws := fillPool()
	gctest.Until(t, "the dropped Pool and its strings to be collected", func() bool {
		return wp.Value() == nil && ws.Value() == nil
	})
}

func fillPool() (weak.Pointer[intern.Pool], weak.Pointer[byte]) {
	p := intern.NewPool()
	for i := range 1000 {
		p.String(strings.Repeat("p", i%64))
	}
	s := p.String(strings.Repeat("q", 32)) // not a tiny allocation
	return weak.Make(p), weak.Make(unsafe.StringData(s))
}

func TestWithMaxLenPanicsOnNegative(t *testing.T) {
	defer func() {
		if r := recover(); r != "intern: WithMaxLen(-1): negative length" {
			t.Fatalf("recover() = %v", r)
		}
	}()
	intern.WithMaxLen(-1)
}

func TestZeroOptionChangesNothing(t *testing.T) {
	p := intern.NewPool(intern.Option{})
	long := strings.Repeat("z", 1000)
	p.String(long)
	if _, ok := p.Lookup(long); !ok || p.Len() != 1 {
		t.Fatalf("a pool made with the zero Option did not keep a %d-byte string", len(long))
	}
}

func TestPoolBytesHitAllocatesNothing(t *testing.T) {
	p := intern.NewPool()
	b := []byte("application/json")
	p.Bytes(b)
	if n := testing.AllocsPerRun(1000, func() { sink = p.Bytes(b) }); n != 0 {
		t.Fatalf("Pool.Bytes hit: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() { sink, _ = p.Lookup("application/json") }); n != 0 {
		t.Fatalf("Pool.Lookup hit: %v allocations, want 0", n)
	}
}
