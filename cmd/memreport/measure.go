package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/memsize"
)

// A sample is one measurement of one build.
type sample struct {
	heap    int64 // live heap bytes while the result is held
	runtime int64 // growth of MemStats.OtherSys + GCSys over the build
	elapsed time.Duration
	held    any // the result, while the caller still needs it
}

// measureBuild runs build with the heap settled before and after (by
// internal/memsize, which collects until the heap is stable, each
// collection's cleanups run), and returns what it retains. What was live
// before, such as the input, is not counted. The result is returned in
// sample.held so that the caller can read it (keep holds it until then).
func measureBuild(build func() (any, error)) (sample, error) {
	var s sample
	var err error
	s.heap, s.runtime = memsize.LiveAndRuntime(func() any {
		t0 := time.Now()
		s.held, err = build()
		s.elapsed = time.Since(t0)
		return s.held
	})
	return s, err
}

// measureInput measures each approach on the input, count times in rounds
// (each round measures every approach once, one after another, holding one
// representation at a time), and returns the medians, the approaches that
// were not measured and why, and the encodings reported for the keys.
func measureInput(in *input, pl *plan, as []approach, count int, p *progress) ([]ApproachResult, []NotMeasured, map[string]string, error) {
	var run []approach
	var skipped []NotMeasured
	for _, a := range as {
		var why string
		if a.applies != nil {
			why = a.applies(pl)
		}
		if why != "" {
			skipped = append(skipped, NotMeasured{a.name, why})
			continue
		}
		if a.stream {
			in.prepareStream()
		}
		run = append(run, a)
	}
	samples := make([][]sample, len(run))
	encodings := map[string]string{}
	for round := range count {
		for i, a := range run {
			p.step(fmt.Sprintf("%s: measuring %s (%d/%d)", in.path, a.name, round*len(run)+i+1, count*len(run)))
			s, err := measureBuild(func() (any, error) { return a.build(in, pl) })
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s: %w", a.name, err)
			}
			if a.encodings != nil && round == 0 {
				for k, e := range a.encodings(s.held) {
					encodings[k] = e
				}
			}
			s.held = nil
			samples[i] = append(samples[i], s)
		}
	}
	n := float64(len(in.recs))
	out := make([]ApproachResult, len(run))
	for i, a := range run {
		var bytes, ns []float64
		var rt []int64
		for _, s := range samples[i] {
			total := s.heap
			if a.weak {
				total += s.runtime
				rt = append(rt, s.runtime)
			}
			bytes = append(bytes, float64(total))
			ns = append(ns, float64(s.elapsed.Nanoseconds())/n)
		}
		total := median(bytes)
		out[i] = ApproachResult{
			Name:              a.name,
			BytesPerRecord:    total / n,
			TotalBytes:        int64(total),
			DecodeNsPerRecord: median(ns),
			Runs:              count,
			BytesRange:        [2]float64{slices.Min(bytes) / n, slices.Max(bytes) / n},
			DecodeNsRange:     [2]float64{slices.Min(ns), slices.Max(ns)},
		}
		if len(rt) > 0 {
			out[i].RuntimeBytes = medianInt(rt)
		}
		if out[0].TotalBytes > 0 {
			out[i].VsMaps = total / float64(out[0].TotalBytes)
		}
	}
	return out, skipped, encodings, nil
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianInt(xs []int64) int64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}
