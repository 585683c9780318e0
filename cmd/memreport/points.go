package main

import (
	"fmt"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

type point3D struct{ X, Y, Z int }

// pointExperiment is the classic experiment of __slots__ and PyPy's maps: n
// points {x, y, z} as maps (the baseline), slotdict Dicts, flyweight
// Records and Go structs, each held through a slice of pointers (of values,
// for structs, the cheapest way Go can hold them).
func pointExperiment(p *progress, n int) (*Experiment, error) {
	e := &Experiment{Name: "Point3D", Source: fmt.Sprintf("%s generated points {x, y, z}", group(n)), Unit: "point", Objects: n}
	schema := slotdict.NewSchema("x", "y", "z")
	ways := []struct {
		name  string
		build func() (any, error)
	}{
		{"map[string]int", func() (any, error) {
			out := make([]map[string]int, n)
			for i := range out {
				out[i] = map[string]int{"x": i, "y": i + 1, "z": i + 2}
			}
			return out, nil
		}},
		{"slotdict.Dict", func() (any, error) {
			out := make([]*slotdict.Dict[string, int], n)
			for i := range out {
				d := slotdict.New[string, int](schema)
				for j, k := range []string{"x", "y", "z"} {
					if err := d.Set(k, i+j); err != nil {
						return nil, err
					}
				}
				out[i] = d
			}
			return out, nil
		}},
		{"flyweight.Record", func() (any, error) {
			out := make([]*flyweight.Record[int], n)
			for i := range out {
				r := new(flyweight.Record[int])
				r.Set("x", i)
				r.Set("y", i+1)
				r.Set("z", i+2)
				out[i] = r
			}
			return out, nil
		}},
		{"struct", func() (any, error) {
			out := make([]point3D, n)
			for i := range out {
				out[i] = point3D{i, i + 1, i + 2}
			}
			return out, nil
		}},
	}
	for _, w := range ways {
		p.step("Point3D: measuring " + w.name)
		s, err := measureBuild(w.build)
		if err != nil {
			return nil, err
		}
		r := DemoResult{Name: w.name, BytesPer: float64(s.heap) / float64(n), Ratio: 1, Time: s.elapsed}
		if len(e.Approaches) > 0 && e.Approaches[0].BytesPer > 0 {
			r.Ratio = r.BytesPer / e.Approaches[0].BytesPer
		}
		e.Approaches = append(e.Approaches, r)
	}
	return e, nil
}
