package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// poolEntryBytes is what an intern.Pool spends per distinct string beyond
// the string's bytes: a string header in its value array and a slot of its
// index (intern's BenchmarkMemory measures the whole entry).
const poolEntryBytes = 32

// interning returns the share of the key's string values that are
// distinct, the share below which interning them pays, and whether it
// does. It pays when the copies it saves cost more than the Pool's entries:
// distinct·(L + entry) < present·L for strings of L bytes on average, that
// is distinct/present < L/(L + entry), the threshold.
func (k *keyStat) interning() (ratio, threshold float64, pays bool) {
	if k.strings == 0 {
		return 0, 0, false
	}
	avg := float64(k.strBytes) / float64(k.strings)
	ratio = float64(k.strDistinct) / float64(k.strings)
	threshold = avg / (avg + poolEntryBytes)
	return ratio, threshold, ratio < threshold
}

// keyReports turns the key statistics into the key table.
func keyReports(in *input, encodings map[string]string) []KeyReport {
	out := make([]KeyReport, len(in.stats.keys))
	for i, k := range in.stats.keys {
		r := KeyReport{
			Key: k.name, Present: float64(k.present) / float64(len(in.recs)), Distinct: k.distinct,
			Types: k.kinds.names(), ValueBytes: k.valueBytes, Encoding: encodings[k.name],
		}
		r.DistinctRatio, r.InternThreshold, r.InternPays = k.interning()
		out[i] = r
	}
	return out
}

// topKeySets is how many key sets the report lists.
const topKeySets = 5

// keySetReports lists the most common key sets, most records first.
func keySetReports(in *input) []KeySetReport {
	sets := slices.Clone(in.stats.ordered)
	slices.SortStableFunc(sets, func(a, b *keySet) int { return b.records - a.records })
	out := make([]KeySetReport, 0, min(len(sets), topKeySets))
	for _, s := range sets[:min(len(sets), topKeySets)] {
		out = append(out, KeySetReport{Keys: s.keys, Records: s.records})
	}
	return out
}

// poolGain is how much smaller than its plain variant a +pool variant must
// be to be recommended: less is within the noise of a measurement.
const poolGain = 0.98

// switchGain is how much smaller than maps a representation must be to be
// recommended instead: a change of types that saves less than a fifth is
// not worth making, and is within the spread of small inputs (Records of
// key sets all different come within a tenth of maps, either side).
const switchGain = 0.8

// recommend chooses the first of these that was measured and is smaller
// than maps by switchGain: a Frame (its columns suit any mix of keys); Dicts, measured
// when one key set covers almost every record (Dict is the type for one
// fixed schema); Records (records of a few key sets share their schemas).
// Otherwise maps. A +pool variant is chosen over its plain one when it is
// smaller by more than the noise.
func recommend(in Input, pl *plan) *Recommendation {
	byName := map[string]ApproachResult{}
	for _, a := range in.Approaches {
		byName[a.Name] = a
	}
	maps := byName["maps"]
	choice := "maps"
	for _, family := range []string{"frame", "dict", "record"} {
		a, ok := byName[family]
		if !ok {
			continue
		}
		if pooled, ok := byName[family+"+pool"]; ok && float64(pooled.TotalBytes) < poolGain*float64(a.TotalBytes) {
			a = pooled
		}
		if float64(a.TotalBytes) < switchGain*float64(maps.TotalBytes) {
			choice = a.Name
			break
		}
	}
	c := byName[choice]
	first := fmt.Sprintf("Use %s: %.2f× maps, %s saved on these %s records.",
		labelOf(choice), c.VsMaps, megabytes(maps.TotalBytes-c.TotalBytes), group(in.Records))
	if choice == "maps" {
		first = "Keep []map[string]any: no other representation measured here is smaller."
		if next := smallestOther(in.Approaches); next.Name != "" {
			first = fmt.Sprintf("Keep []map[string]any: the smallest other representation measured, %s, takes %.2f× maps.", labelOf(next.Name), next.VsMaps)
		}
	}
	lines := []string{first}
	lines = append(lines, why(in, pl, choice, c))
	if l := internLine(in); l != "" {
		lines = append(lines, l)
	}
	return &Recommendation{Approach: choice, SavedBytes: maps.TotalBytes - c.TotalBytes, Reason: strings.Join(lines, "\n")}
}

// smallestOther returns the smallest approach but maps and structs (whose
// keys must be known when the program is written), or a zero result.
func smallestOther(as []ApproachResult) ApproachResult {
	var best ApproachResult
	for _, a := range as {
		if a.Name != "maps" && a.Name != "struct" && (best.Name == "" || a.TotalBytes < best.TotalBytes) {
			best = a
		}
	}
	return best
}

// why says what in the data makes the choice fit, and what a struct would
// take where it is smaller.
func why(in Input, pl *plan, choice string, c ApproachResult) string {
	var s string
	switch strings.TrimSuffix(choice, "+pool") {
	case "frame":
		s = "Its columns are encoded by their data, and rows share key sets."
	case "dict":
		s = fmt.Sprintf("One key set of %d keys covers %.1f%% of the records.", len(pl.schema), pl.coverage*100)
	case "record":
		s = fmt.Sprintf("The records share %s key sets, which Records store once.", group(in.KeySetCount))
	default:
		if in.KeySetCount*2 > in.Records {
			s = fmt.Sprintf("The records have %s key sets in %s records: shared layouts do not pay.", group(in.KeySetCount), group(in.Records))
		} else {
			s = "No other representation measured is smaller."
		}
	}
	for _, a := range in.Approaches {
		if a.Name == "struct" && a.TotalBytes < c.TotalBytes {
			s += fmt.Sprintf(" A struct declared for these %d keys would take %.2f× maps.", len(in.Keys), a.VsMaps)
		}
	}
	return s
}

// internLine names the key where interning saves the most and the largest
// one where it does not pay.
func internLine(in Input) string {
	var pays, not []KeyReport
	for _, k := range in.Keys {
		switch {
		case k.InternPays:
			pays = append(pays, k)
		case k.DistinctRatio > 0:
			not = append(not, k)
		}
	}
	var parts []string
	if len(pays) > 0 {
		// The most saved: the value bytes less the Pool's entries.
		saved := func(k KeyReport) float64 {
			return float64(k.ValueBytes) - float64(k.Distinct)*(float64(k.ValueBytes)/(k.Present*float64(in.Records))+poolEntryBytes)
		}
		k := slices.MaxFunc(pays, func(a, b KeyReport) int { return cmp.Compare(saved(a), saved(b)) })
		parts = append(parts, fmt.Sprintf("`%s` has %s values in %s records: interning it pays.", k.Key, group(k.Distinct), group(int(k.Present*float64(in.Records)+0.5))))
	}
	if len(not) > 0 {
		k := slices.MaxFunc(not, func(a, b KeyReport) int { return cmp.Compare(a.ValueBytes, b.ValueBytes) })
		parts = append(parts, fmt.Sprintf("`%s` is %.0f%% distinct: interning it does not pay.", k.Key, k.DistinctRatio*100))
	}
	return strings.Join(parts, " ")
}

// labelOf returns the text label of the approach called name.
func labelOf(name string) string {
	for _, a := range approaches {
		if a.name == name {
			return a.label
		}
	}
	return name
}

// megabytes writes n bytes in MB (10⁶ bytes) with one decimal, or in kB
// below one MB.
func megabytes(n int64) string {
	if n > -1e6 && n < 1e6 {
		return fmt.Sprintf("%.0f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
