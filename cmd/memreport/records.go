package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/seed5da3ae9a/flyweight/flyweight"
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
		{"[]map[string]any", func() (any, error) { return decodeMaps(data) }},
		{"flyweight.Record", func() (any, error) { return flyweight.DecodeRecords[any](bytes.NewReader(data)) }},
	})
	return e, err
}

// decodeMaps decodes a JSON array or stream of objects as encoding/json
// users do.
func decodeMaps(data []byte) ([]map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if isArray(data) {
		var out []map[string]any
		return out, offsetError(dec.Decode(&out), dec)
	}
	var out []map[string]any
	for {
		var m map[string]any
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, offsetError(err, dec)
		}
		out = append(out, m)
	}
}

func isArray(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '['
}

// offsetError adds the byte offset to an error of encoding/json.
func offsetError(err error, dec *json.Decoder) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("byte offset %d: %w", dec.InputOffset(), err)
}
