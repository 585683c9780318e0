package flyweight_test

import (
	"fmt"
	"testing"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// memObjects is the number of objects of each memory experiment.
const memObjects = 1_000_000

// The flyweight experiment: a million glyphs, each with extrinsic state (a
// position) and intrinsic state (a style: two strings and an int) that takes
// 100 distinct values. Naively every glyph holds its own copy of its style,
// strings included, as it would after decoding; shared, it holds a pointer
// to the one instance a Factory made.
type glyph struct {
	x, y  int32
	style style
}

type sharedGlyph struct {
	x, y  int32
	style *style
}

func styleOf(i int) style {
	return style{Font: fmt.Sprintf("font-%d", i%100/10), Color: fmt.Sprintf("#%06x", i%100*997), Size: 8 + i%100%10}
}

type point3D struct{ X, Y, Z int }

// memoryCases are the memory experiments of the package, measured by
// TestMemoryRatios and reported by BenchmarkMemory in bytes per object.
var memoryCases = []struct {
	family, name string
	build        func() any
}{
	{"Flyweight", "naive-copies", func() any {
		gs := make([]glyph, memObjects)
		for i := range gs {
			s := styleOf(i) // fresh strings, as decoding would make
			gs[i] = glyph{x: int32(i), y: int32(i), style: s}
		}
		return gs
	}},
	{"Flyweight", "Factory", func() any {
		f := flyweight.NewFactory(func(k int) (*style, error) {
			s := styleOf(k)
			return &s, nil
		})
		gs := make([]sharedGlyph, memObjects)
		for i := range gs {
			s, _ := f.Get(i % 100)
			gs[i] = sharedGlyph{x: int32(i), y: int32(i), style: s}
		}
		return gs
	}},
	{"Point3D", "map", func() any {
		ps := make([]map[string]int, memObjects)
		for i := range ps {
			ps[i] = map[string]int{"x": i, "y": i + 1, "z": i + 2}
		}
		return ps
	}},
	{"Point3D", "Record", func() any {
		ps := make([]*flyweight.Record[int], memObjects)
		for i := range ps {
			r := new(flyweight.Record[int])
			r.Set("x", i)
			r.Set("y", i+1)
			r.Set("z", i+2)
			ps[i] = r
		}
		return ps
	}},
	{"Point3D", "struct", func() any {
		ps := make([]point3D, memObjects)
		for i := range ps {
			ps[i] = point3D{i, i + 1, i + 2}
		}
		return ps
	}},
}

func measure(family, name string) float64 {
	for _, c := range memoryCases {
		if c.family == family && c.name == name {
			return memsize.PerObject(memObjects, c.build)
		}
	}
	panic("no memory case " + family + "/" + name)
}

func skipMemory(tb testing.TB) {
	gctest.SkipIfRace(tb)
	gctest.SkipIfCheckingFinalizers(tb, "makes every collection of a million objects slow")
}

// TestMemoryRatios holds the package to its memory claims: Factory-shared
// glyphs take at most 0.3 of naive copies; Point3D records at most 0.3 of
// maps and at most 2.5 times a struct.
func TestMemoryRatios(t *testing.T) {
	skipMemory(t)
	ratio := func(family, a, b string, limit float64) {
		x, y := measure(family, a), measure(family, b)
		t.Logf("%s: %s %.1f B/object, %s %.1f B/object: %.2f×", family, a, x, b, y, x/y)
		if x/y > limit {
			t.Errorf("%s: %s takes %.2f× %s; the bound is %.2f×", family, a, x/y, b, limit)
		}
	}
	ratio("Flyweight", "Factory", "naive-copies", 0.3)
	ratio("Point3D", "Record", "map", 0.3)
	ratio("Point3D", "Record", "struct", 2.5)
}

// BenchmarkMemory reports the bytes per object (B/object) of every memory
// experiment; run it with -benchtime=1x.
func BenchmarkMemory(b *testing.B) {
	skipMemory(b)
	for _, c := range memoryCases {
		b.Run(c.family+"/impl="+c.name, func(b *testing.B) {
			gctest.Measure(b, "B/object", func() float64 { return measure(c.family, c.name) })
		})
	}
}
