package main

import (
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// A Report is everything memreport measured, as written by -json.
type Report struct {
	Go          string       `json:"go"`
	Experiments []Experiment `json:"experiments"`
	// Empty lists the inputs that hold no records (or no tokens), for
	// which nothing was measured.
	Empty []string `json:"empty,omitempty"`
	// TooFew lists the inputs whose records are too few for a measurement
	// of their memory to mean anything.
	TooFew []Sample `json:"too_few,omitempty"`
}

// A Sample is an input and how many objects it holds.
type Sample struct {
	Path    string `json:"path"`
	Objects int    `json:"objects"`
	Unit    string `json:"unit"`
}

// An Experiment holds the same data the way each approach stores it.
type Experiment struct {
	Name    string `json:"name"`
	Source  string `json:"source"` // where the data came from
	Unit    string `json:"unit"`   // what one object is: "token", "record"
	Objects int    `json:"objects"`
	// Facts are counts that explain the figures: distinct tokens, schemas.
	Facts      []Fact     `json:"facts,omitempty"`
	Approaches []Approach `json:"approaches"` // the baseline first
	// Schemas lists the most common key sets, for records of varying keys.
	Schemas []SchemaUse `json:"schemas,omitempty"`
}

// A Fact is a named count.
type Fact struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
}

// An Approach is one way of holding the experiment's objects.
type Approach struct {
	Name string `json:"name"`
	// BytesPer is the live heap per object, everything the approach
	// retains included (shared tables, schemas, interned strings).
	BytesPer float64 `json:"bytes_per_object"`
	// Ratio is BytesPer over the baseline's (the first approach).
	Ratio float64 `json:"ratio"`
	// Time is how long building (decoding, interning) all objects took.
	Time time.Duration `json:"time_ns"`
}

// A SchemaUse is a key set and how many records have it.
type SchemaUse struct {
	Keys    []string `json:"keys"`
	Records int      `json:"records"`
}

// A way is an approach before it is measured: build holds all n objects in
// memory and returns what keeps them alive.
type way struct {
	name  string
	build func() (any, error)
}

// measure builds each way's objects once, measuring live bytes per object
// and build time, and fills in ratios against the first way.
func measure(p *progress, e *Experiment, ways []way) error {
	for _, w := range ways {
		p.step(e.Name + ": " + w.name)
		var elapsed time.Duration
		var err error
		bytes := memsize.Live(func() any {
			t0 := time.Now()
			var v any
			v, err = w.build()
			elapsed = time.Since(t0)
			return v
		})
		if err != nil {
			return err
		}
		a := Approach{Name: w.name, BytesPer: float64(bytes) / float64(max(e.Objects, 1)), Time: elapsed}
		if len(e.Approaches) > 0 && e.Approaches[0].BytesPer > 0 {
			a.Ratio = a.BytesPer / e.Approaches[0].BytesPer
		} else {
			a.Ratio = 1
		}
		e.Approaches = append(e.Approaches, a)
	}
	return nil
}
