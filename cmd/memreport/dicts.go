package main

import (
	"bytes"
	"encoding/json"

	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// inst is the Go struct for a record of arm64asm's inst.json.
type inst struct {
	Name, Bits, Arch, Syntax, Code, Alias string
}

// dictExperiment measures the records of a JSON array whose objects all
// have the same keys (inst.json) as encoding/json maps (the baseline), as
// slotdict Dicts over one schema with values shared through a Pool scoped to
// the decode, and as Go structs.
func dictExperiment(p *progress, source string, data []byte) (Experiment, error) {
	var probe []json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return Experiment{}, err
	}
	schema := slotdict.NewSchema("Name", "Bits", "Arch", "Syntax", "Code", "Alias")
	e := Experiment{
		Name: "slot dicts", Source: source, Unit: "record", Objects: len(probe),
		Facts: []Fact{{"keys per record", schema.Len()}},
	}
	err := measure(p, &e, []way{
		{"[]map[string]any", func() (any, error) {
			var out []map[string]any
			return out, json.Unmarshal(data, &out)
		}},
		{"slotdict.Dict+Pool", func() (any, error) {
			return slotdict.DecodeAll[string, string](bytes.NewReader(data), schema, slotdict.WithIntern(intern.NewPool().Bytes))
		}},
		{"struct", func() (any, error) {
			var out []inst
			return out, json.Unmarshal(data, &out)
		}},
	})
	return e, err
}
