package flyweight_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

var keys3 = []string{"x", "y", "z"}

var (
	sinkInt    int
	sinkRecord *flyweight.Record[int]
	sinkMap    map[string]int
	sinkPoint  *point3D
)

// BenchmarkPoint3D compares a Record[int] with a map[string]int and a
// struct holding the same three coordinates: reading a key, writing a
// present key, and building a point from nothing.
func BenchmarkPoint3D(b *testing.B) {
	r := new(flyweight.Record[int])
	m := map[string]int{}
	for i, k := range keys3 {
		r.Set(k, i)
		m[k] = i
	}
	b.Run("impl=Record/Get", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			v, _ := r.Get(keys3[i%3])
			sinkInt += v
		}
	})
	b.Run("impl=Record/Set", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			r.Set(keys3[i%3], i)
		}
	})
	b.Run("impl=Record/Build", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			r := new(flyweight.Record[int])
			r.Set("x", i)
			r.Set("y", i)
			r.Set("z", i)
			sinkRecord = r
		}
	})
	b.Run("impl=map/Get", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			sinkInt += m[keys3[i%3]]
		}
	})
	b.Run("impl=map/Set", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			m[keys3[i%3]] = i
		}
	})
	b.Run("impl=map/Build", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			m := map[string]int{}
			m["x"] = i
			m["y"] = i
			m["z"] = i
			sinkMap = m
		}
	})
	b.Run("impl=struct/Build", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			sinkPoint = &point3D{i, i, i}
		}
	})
}

// mutexCache is what a Factory replaces: a map of strong pointers behind a
// mutex, which never forgets an instance.
type mutexCache struct {
	mu sync.Mutex
	m  map[int]*style
}

func (c *mutexCache) Get(k int) (*style, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[k]; ok {
		return s, nil
	}
	s := styleOf(k)
	c.m[k] = &s
	return &s, nil
}

// BenchmarkFactoryGet compares getting a shared, live instance from a
// Factory with a strong map behind a mutex, serially and in parallel.
func BenchmarkFactoryGet(b *testing.B) {
	f := flyweight.NewFactory(func(k int) (*style, error) {
		s := styleOf(k)
		return &s, nil
	})
	held := make([]*style, 100)
	for i := range held {
		held[i], _ = f.Get(i)
	}
	mc := &mutexCache{m: map[int]*style{}}
	impls := []struct {
		name string
		get  func(int) (*style, error)
	}{{"Factory", f.Get}, {"mutex-map", mc.Get}}
	for _, impl := range impls {
		b.Run("impl="+impl.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				impl.get(i % 100)
			}
		})
		b.Run("impl="+impl.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					impl.get(i % 100)
				}
			})
		})
	}
	sinkHeld = held
}

var sinkHeld []*style

// BenchmarkWideRecordSet measures building a wide record by Set, key by
// key, per key, beside a map: with the keys every other record of the
// benchmark has too (shared=true: the schemas are found, not made), and
// with keys no record had before (shared=false). Amortized O(1) per key
// shows as the same ns/key at 1000 and 8000 keys.
func BenchmarkWideRecordSet(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		for _, shared := range []bool{true, false} {
			keys := make([]string, n)
			fill := func(prefix string) {
				for i := range keys {
					keys[i] = wideKey(prefix, i)
				}
			}
			fill("k")
			perKey := func(b *testing.B, build func()) {
				b.ReportAllocs()
				for i := range b.N {
					if !shared {
						b.StopTimer()
						fill(fmt.Sprint("k", i))
						b.StartTimer()
					}
					build()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
			}
			name := fmt.Sprintf("/keys=%d/shared=%t", n, shared)
			b.Run("impl=Record"+name, func(b *testing.B) {
				perKey(b, func() {
					r := new(flyweight.Record[int])
					for i, k := range keys {
						r.Set(k, i)
					}
					sinkRecord = r
				})
			})
			b.Run("impl=map"+name, func(b *testing.B) {
				perKey(b, func() {
					m := map[string]int{}
					for i, k := range keys {
						m[k] = i
					}
					sinkMap = m
				})
			})
		}
	}
}
