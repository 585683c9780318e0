package main

import (
	"bytes"
	"slices"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// topSchemas is how many key sets a records experiment lists.
const topSchemas = 5

// recordExperiment measures a JSON array or stream of objects with varying
// keys as encoding/json maps (the baseline) and as flyweight Records, and
// reports the key sets the Records share. Malformed input is an error that
// gives the byte offset.
func recordExperiment(p *progress, source string, data []byte) (Experiment, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte order mark, as editors write
	p.step(source + ": decoding")
	recs, err := flyweight.DecodeRecords[any](bytes.NewReader(data))
	if err != nil {
		return Experiment{}, err
	}
	uses := map[*slotdict.Schema[string]]int{}
	for _, r := range recs {
		uses[r.Schema()]++
	}
	e := Experiment{
		Name: "records", Source: source, Unit: "record", Objects: len(recs),
		Facts: []Fact{{"distinct key sets (shared schemas)", len(uses)}},
	}
	for s, n := range uses {
		e.Schemas = append(e.Schemas, SchemaUse{Keys: slices.Collect(s.Keys()), Records: n})
	}
	slices.SortFunc(e.Schemas, func(a, b SchemaUse) int {
		if a.Records != b.Records {
			return b.Records - a.Records
		}
		return slices.Compare(a.Keys, b.Keys)
	})
	e.Schemas = e.Schemas[:min(len(e.Schemas), topSchemas)]
	err = measure(p, &e, []way{
		{"[]map[string]any", func() (any, error) { return baseline.DecodeMaps(data) }},
		{"flyweight.Record", func() (any, error) { return flyweight.DecodeRecords[any](bytes.NewReader(data)) }},
	})
	return e, err
}
