package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// An approach is one way of holding an input's records, a row of the
// report. The table approaches lists them in the order they are measured
// and printed; a representation that lands later is a row more.
type approach struct {
	name   string // in -approach and in the JSON report; a variant adds +pool
	family string // the -approach name that selects it
	label  string // in the text report
	// weak marks approaches that make weak pointers or cleanups (the
	// schema registries): the runtime's records of them (MemStats.OtherSys
	// and GCSys) are counted with their heap.
	weak bool
	// stream marks approaches that decode input.stream() rather than the
	// records one by one.
	stream bool
	// applies says why the approach does not fit the input ("" if it does).
	applies func(pl *plan) string
	// build decodes every record and returns what holds them.
	build func(in *input, pl *plan) (any, error)
	// encodings, if set, returns the encoding that what build returned
	// chose for each key, for the key table.
	encodings func(held any) map[string]string
}

var approaches = []approach{
	{name: "maps", family: "maps", label: "[]map[string]any", build: buildMaps},
	{name: "struct", family: "struct", label: "[]struct (reflect.StructOf)", applies: structApplies, build: buildStruct},
	{name: "dict", family: "dict", label: "[]*slotdict.Dict", weak: true, applies: dictApplies, build: typed(false, decodeDicts[string], decodeDicts[any])},
	{name: "dict+pool", family: "dict", label: "[]*slotdict.Dict + intern.Pool", weak: true, applies: both(dictApplies, poolApplies), build: typed(true, decodeDicts[string], decodeDicts[any])},
	{name: "record", family: "record", label: "[]*flyweight.Record", weak: true, stream: true, build: typed(false, decodeRecords[string], decodeRecords[any])},
	{name: "record+pool", family: "record", label: "[]*flyweight.Record + intern.Pool", weak: true, stream: true, applies: poolApplies, build: typed(true, decodeRecords[string], decodeRecords[any])},
	// A Frame has no +pool variant: its columns hold each distinct string
	// of a low-cardinality key once already (dictionary coding).
	{name: "frame", family: "frame", label: "*flyweight.Frame", stream: true, build: buildFrame, encodings: frameEncodings},
}

// selectApproaches returns the approaches that list (comma-separated
// families or names, "" for all available ones) selects, maps always
// first: every ratio is to it.
func selectApproaches(list string) ([]approach, error) {
	if list == "" {
		return approaches, nil
	}
	want := map[string]bool{"maps": true}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if !slices.ContainsFunc(approaches, func(a approach) bool { return a.name == n || a.family == n }) {
			var names []string
			for _, a := range approaches {
				if a.name == a.family {
					names = append(names, a.name)
				}
			}
			return nil, fmt.Errorf("-approach: unknown approach %q (want a comma-separated list of %s)", n, strings.Join(names, ","))
		}
		want[n] = true
	}
	var out []approach
	for _, a := range approaches {
		if want[a.name] || want[a.family] {
			out = append(out, a)
		}
	}
	return out, nil
}

func buildMaps(in *input, _ *plan) (any, error) {
	out := make([]map[string]any, len(in.recs))
	for i := range out {
		if err := json.Unmarshal(in.record(i), &out[i]); err != nil {
			return nil, recordError(in, i, err)
		}
	}
	return out, nil
}

// recordError says which record an approach failed on.
func recordError(in *input, i int, err error) error {
	return fmt.Errorf("the record at byte %s: %w", group(in.recs[i].start), err)
}

func dictApplies(pl *plan) string {
	if pl.coverage < dictCoverage {
		return fmt.Sprintf("no key set covers %.0f%% of the records (the most common covers %.1f%%)", dictCoverage*100, pl.coverage*100)
	}
	return ""
}

// dictCoverage is the share of records that the most common key set must
// cover for Dicts over it to be measured.
const dictCoverage = 0.95

func poolApplies(pl *plan) string {
	if len(pl.interned) == 0 {
		return "interning pays for no key"
	}
	return ""
}

// both returns the reason of the first of a and b that does not apply.
func both(a, b func(*plan) string) func(*plan) string {
	return func(pl *plan) string {
		if why := a(pl); why != "" {
			return why
		}
		return b(pl)
	}
}

// newPool returns a Pool for a +pool variant, nil for a plain one: it
// holds the distinct values of the keys where interning pays, as a user who
// read the key table would intern them. Only those: a Pool entry for a
// value seen once costs more than it saves.
func newPool(pool bool, pl *plan) *intern.Pool {
	if !pool {
		return nil
	}
	p := intern.NewPool()
	for _, s := range pl.seeds {
		p.Bytes([]byte(s)) // a copy of its own, made here, counted here
	}
	return p
}

// pooled returns the intern function of a decoder that takes the strings
// that p holds from it, and copies the others.
func pooled(p *intern.Pool) func(b []byte) string {
	return func(b []byte) string {
		if s, ok := p.Lookup(string(b)); ok {
			return s
		}
		return string(b)
	}
}

// internValues sets the string values of the keys where interning pays
// again, from p, for a decoder without an intern option.
func internValues[V any](p *intern.Pool, keys []string, get func(string) (V, bool), set func(string, V)) {
	for _, k := range keys {
		v, ok := get(k)
		if s, isString := any(v).(string); ok && isString {
			set(k, any(p.String(s)).(V))
		}
	}
}

// A decode holds the records of in one way, with string values through p
// if it is not nil.
type decode func(in *input, pl *plan, p *intern.Pool) (any, error)

// typed returns the build that decodes with ofStrings, the instance of a
// decode for string values, when every value is a string, and with ofAnys
// otherwise; with a Pool if pool is set.
func typed(pool bool, ofStrings, ofAnys decode) func(*input, *plan) (any, error) {
	return func(in *input, pl *plan) (any, error) {
		if pl.allStrings {
			return ofStrings(in, pl, newPool(pool, pl))
		}
		return ofAnys(in, pl, newPool(pool, pl))
	}
}

// decodeDicts holds Dicts over the most common key set; the few records
// with keys outside the set are held as maps.
func decodeDicts[V any](in *input, pl *plan, p *intern.Pool) (any, error) {
	schema := slotdict.NewSchema(pl.schema...)
	var opts []slotdict.Option
	if p != nil {
		opts = append(opts, slotdict.WithIntern(pooled(p)))
	}
	out := make([]*slotdict.Dict[string, V], 0, len(in.recs))
	var rest []map[string]any
	for i := range in.recs {
		if !pl.covered[in.stats.setOf[i]] {
			var m map[string]any
			if err := json.Unmarshal(in.record(i), &m); err != nil {
				return nil, recordError(in, i, err)
			}
			rest = append(rest, m)
			continue
		}
		d := slotdict.New[string, V](schema)
		if err := d.DecodeJSON(in.record(i), opts...); err != nil {
			return nil, recordError(in, i, err)
		}
		out = append(out, d)
	}
	return []any{schema, out, rest, p}, nil
}

// decodeRecords holds flyweight Records, decoded from the stream of good
// records by flyweight.DecodeRecords.
func decodeRecords[V any](in *input, pl *plan, p *intern.Pool) (any, error) {
	out, err := flyweight.DecodeRecords[V](in.stream())
	if err != nil {
		return nil, err
	}
	if p != nil {
		for _, r := range out {
			internValues(p, pl.interned, r.Get, r.Set)
		}
	}
	return []any{out, p}, nil
}

// buildFrame decodes the stream of good records into a Frame.
func buildFrame(in *input, _ *plan) (any, error) {
	return flyweight.DecodeFrame(in.stream())
}

// frameEncodings returns the encoding of each column of a Frame.
func frameEncodings(held any) map[string]string {
	return maps.Collect(held.(*flyweight.Frame).Columns())
}
