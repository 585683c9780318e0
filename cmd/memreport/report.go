package main

import "time"

// A Report is everything memreport measured, as -json writes it (doc.go
// documents the schema).
type Report struct {
	Go     string      `json:"go"`
	Inputs []Input     `json:"inputs"`
	Demo   *Experiment `json:"demo,omitempty"`
}

// An Input is the report on one input.
type Input struct {
	Path         string     `json:"path"`
	Records      int        `json:"records"`
	Skipped      int        `json:"skipped"`
	FirstSkipped *badRecord `json:"first_skipped,omitempty"`
	InputBytes   int64      `json:"input_bytes"`
	// Warning says why the figures may mislead: too few records.
	Warning     string           `json:"warning,omitempty"`
	Approaches  []ApproachResult `json:"approaches"`
	NotMeasured []NotMeasured    `json:"not_measured,omitempty"`
	Keys        []KeyReport      `json:"keys"`
	KeySetCount int              `json:"key_set_count"`
	KeySets     []KeySetReport   `json:"key_sets"`
	// Recommendation is nil when there is nothing to recommend: no
	// records, or too few to measure.
	Recommendation *Recommendation `json:"recommendation,omitempty"`
}

// An ApproachResult is one approach measured on an input: the median of
// -count runs, and their range.
type ApproachResult struct {
	Name           string  `json:"name"`
	BytesPerRecord float64 `json:"bytes_per_record"`
	TotalBytes     int64   `json:"total_bytes"`
	// RuntimeBytes is the part of TotalBytes that the runtime's records of
	// weak pointers and cleanups take (MemStats.OtherSys and GCSys), for
	// the approaches that make them.
	RuntimeBytes      int64      `json:"runtime_bytes"`
	DecodeNsPerRecord float64    `json:"decode_ns_per_record"`
	VsMaps            float64    `json:"vs_maps"`
	Runs              int        `json:"runs"`
	BytesRange        [2]float64 `json:"bytes_per_record_range"`
	DecodeNsRange     [2]float64 `json:"decode_ns_per_record_range"`
}

// A NotMeasured is an approach that was asked for and not measured.
type NotMeasured struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// A KeyReport is what the records hold under one key.
type KeyReport struct {
	Key        string   `json:"key"`
	Present    float64  `json:"present"` // share of records, 0 to 1
	Distinct   int      `json:"distinct"`
	Types      []string `json:"types"`
	ValueBytes int64    `json:"value_bytes"`
	// DistinctRatio is distinct string values over the values that are
	// strings; interning pays when it is below InternThreshold.
	DistinctRatio   float64 `json:"distinct_ratio"`
	InternThreshold float64 `json:"intern_threshold"`
	InternPays      bool    `json:"intern_pays"`
	Encoding        string  `json:"encoding,omitempty"`
}

// A KeySetReport is a key set and how many records have it.
type KeySetReport struct {
	Keys    []string `json:"keys"`
	Records int      `json:"records"`
}

// A Recommendation is the verdict on an input.
type Recommendation struct {
	Approach   string `json:"approach"`
	SavedBytes int64  `json:"saved_bytes"`
	Reason     string `json:"reason"`
}

// An Experiment is the demonstration of -demo: the same objects held the
// way each approach holds them.
type Experiment struct {
	Name       string       `json:"name"`
	Source     string       `json:"source"`
	Unit       string       `json:"unit"`
	Objects    int          `json:"objects"`
	Approaches []DemoResult `json:"approaches"` // the baseline first
}

// A DemoResult is one approach of the demonstration.
type DemoResult struct {
	Name     string        `json:"name"`
	BytesPer float64       `json:"bytes_per_object"`
	Ratio    float64       `json:"ratio"` // to the first approach
	Time     time.Duration `json:"time_ns"`
}
