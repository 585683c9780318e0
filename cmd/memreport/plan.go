package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// A plan is what the approaches need to know of the input before they
// decode it: the key set for Dicts, the Go struct for structs, and the
// value type.
type plan struct {
	// allStrings is set when every value is a string: Dicts and Records
	// then hold string values, as a Go user would declare them, and
	// otherwise any.
	allStrings bool
	// schema is the most common key set, coverage the share of records
	// whose keys are all in it, covered which key sets (by index in
	// keyStats.ordered) those are.
	schema   []string
	coverage float64
	covered  []bool
	// structType is a struct with a field per key, or nil, and then
	// noStruct says why.
	structType reflect.Type
	noStruct   string
	// interned lists the keys whose strings are worth interning, for the
	// +pool variants, and seeds their distinct string values.
	interned []string
	seeds    []string
}

// maxStructFields is the most keys for which memreport builds a struct:
// beyond it, records of varying keys would make a struct mostly empty
// fields, and reflect.StructOf slow.
const maxStructFields = 1000

func newPlan(in *input) *plan {
	st := in.stats
	pl := &plan{allStrings: true}
	for _, k := range st.keys {
		if k.kinds != kindString {
			pl.allStrings = false
		}
		if _, _, pays := k.interning(); pays {
			pl.interned = append(pl.interned, k.name)
		}
	}
	if len(st.ordered) > 0 {
		top := slices.MaxFunc(st.ordered, func(a, b *keySet) int { return a.records - b.records })
		pl.schema = top.keys
		covered := 0
		pl.covered = make([]bool, len(st.ordered))
		for i, s := range st.ordered {
			if pl.covered[i] = subset(s.keys, top.keys); pl.covered[i] {
				covered += s.records
			}
		}
		pl.coverage = float64(covered) / float64(len(in.recs))
	}
	pl.structType, pl.noStruct = structOf(st.keys)
	pl.seeds = stringValues(in, pl.interned)
	return pl
}

// stringValues returns the distinct string values of the keys, read again
// from the records (which are valid).
func stringValues(in *input, keys []string) []string {
	if len(keys) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	seen := map[string]struct{}{}
	var out, scratch []byte
	var values []string
	sc := &jsonscan.Scanner{Data: in.data}
	for _, r := range in.recs {
		next, more, _ := sc.OpenObject(r.start)
		for more {
			key, v, _ := sc.Member(next)
			scratch = sc.Unquote(key, scratch[:0])
			end, _ := sc.Value(v, 1)
			if want[string(scratch)] && sc.Data[v] == '"' {
				str, _ := sc.Quoted(v)
				out = sc.Unquote(str, out[:0])
				if _, ok := seen[string(out)]; !ok {
					seen[string(out)] = struct{}{}
					values = append(values, string(out))
				}
			}
			next, more, _ = sc.NextMember(end)
		}
	}
	return values
}

// subset reports whether every key of a is in b.
func subset(a, b []string) bool {
	for _, k := range a {
		if !slices.Contains(b, k) {
			return false
		}
	}
	return true
}

// structOf builds the struct a Go user would declare for the keys: a field
// per key, tagged with it, of type string, float64 or bool where every
// value (null aside) is of that JSON type, and any otherwise.
func structOf(keys []*keyStat) (reflect.Type, string) {
	if len(keys) > maxStructFields {
		return nil, fmt.Sprintf("%s distinct keys, more than a struct of %s fields", group(len(keys)), group(maxStructFields))
	}
	fields := make([]reflect.StructField, len(keys))
	for i, k := range keys {
		if !validTag(k.name) {
			return nil, fmt.Sprintf("key %q cannot be the name in a struct tag", k.name)
		}
		t := reflect.TypeFor[any]()
		switch k.kinds &^ kindNull {
		case kindString:
			t = reflect.TypeFor[string]()
		case kindNumber:
			t = reflect.TypeFor[float64]()
		case kindBool:
			t = reflect.TypeFor[bool]()
		}
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(`json:"` + k.name + `"`)}
	}
	return reflect.StructOf(fields), ""
}

// validTag reports whether encoding/json takes name as the name in a
// struct tag: letters, digits, and ASCII punctuation but quotes,
// backslashes and commas.
func validTag(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case unicode.IsLetter(c) || unicode.IsDigit(c):
		default:
			return false
		}
	}
	return true
}

func structApplies(pl *plan) string { return pl.noStruct }

func buildStruct(in *input, pl *plan) (any, error) {
	out := reflect.MakeSlice(reflect.SliceOf(pl.structType), len(in.recs), len(in.recs))
	for i := range in.recs {
		if err := json.Unmarshal(in.record(i), out.Index(i).Addr().Interface()); err != nil {
			return nil, recordError(in, i, err)
		}
	}
	return out.Interface(), nil
}
