package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// writeText prints the report for people: per input, the approaches, the
// keys, the verdict and the key sets.
func writeText(w io.Writer, r Report, spread bool) error {
	sep := ""
	if r.Demo != nil {
		if err := writeDemo(w, r.Demo); err != nil {
			return err
		}
		sep = "\n"
	}
	for _, in := range r.Inputs {
		fmt.Fprint(w, sep)
		sep = "\n"
		if err := writeInput(w, in, spread); err != nil {
			return err
		}
	}
	return nil
}

func writeInput(w io.Writer, in Input, spread bool) error {
	if in.Skipped > 0 {
		noun := "lines"
		if in.Skipped == 1 {
			noun = "line"
		}
		f := in.FirstSkipped
		fmt.Fprintf(w, "%s: %s %s skipped; first at line %s, byte %s: %s\n", in.Path, group(in.Skipped), noun, group(f.Line), group(int(f.Offset)), f.Error)
	}
	if in.Records == 0 {
		fmt.Fprintf(w, "no records in %s\n", in.Path)
		return nil
	}
	fmt.Fprintf(w, "%s: %s records, %s\n", in.Path, group(in.Records), megabytes(in.InputBytes))
	if in.Warning != "" {
		fmt.Fprintf(w, "warning: %s\n", in.Warning)
	}
	if len(in.Approaches) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := "approach\tbytes/record\ttotal\tdecode ns/record\tvs maps\t"
		if spread {
			head += "bytes range\tns range\t"
		}
		fmt.Fprintln(tw, head)
		for _, a := range in.Approaches {
			fmt.Fprintf(tw, "%s\t%.1f\t%s\t%.0f\t%.2f×\t", labelOf(a.Name), a.BytesPerRecord, megabytes(a.TotalBytes), a.DecodeNsPerRecord, a.VsMaps)
			if spread {
				fmt.Fprintf(tw, "%.1f–%.1f\t%.0f–%.0f\t", a.BytesRange[0], a.BytesRange[1], a.DecodeNsRange[0], a.DecodeNsRange[1])
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, m := range in.NotMeasured {
		fmt.Fprintf(w, "not measured: %s: %s\n", m.Name, m.Reason)
	}
	if err := writeKeys(w, in.Keys); err != nil {
		return err
	}
	if in.Recommendation != nil {
		fmt.Fprintf(w, "\n%s\n", in.Recommendation.Reason)
	}
	noun := "key sets; the most common"
	if in.KeySetCount == 1 {
		noun = "key set"
	}
	fmt.Fprintf(w, "\n%s %s:\n", group(in.KeySetCount), noun)
	for _, s := range in.KeySets {
		fmt.Fprintf(w, "%10s records  {%s}\n", group(s.Records), strings.Join(s.Keys, ", "))
	}
	return nil
}

// maxKeyRows is how many keys the text report lists; -json lists all.
const maxKeyRows = 30

func writeKeys(w io.Writer, keys []KeyReport) error {
	if len(keys) == 0 {
		return nil
	}
	encoded := false
	for _, k := range keys {
		encoded = encoded || k.Encoding != ""
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "key\tpresent\tdistinct\ttypes\tvalue bytes\tdistinct/present\tinterning"
	if encoded {
		head += "\tencoding"
	}
	fmt.Fprintln(tw, head)
	for _, k := range keys[:min(len(keys), maxKeyRows)] {
		verdict, ratio := "-", "-"
		if k.DistinctRatio > 0 { // the key has strings
			ratio = percent(k.DistinctRatio)
			if k.InternPays {
				verdict = "pays (< " + percent(k.InternThreshold) + ")"
			} else {
				verdict = "does not pay (≥ " + percent(k.InternThreshold) + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s", k.Key, percent(k.Present), group(k.Distinct), strings.Join(k.Types, ","), group(int(k.ValueBytes)), ratio, verdict)
		if encoded {
			fmt.Fprintf(tw, "\t%s", k.Encoding)
		}
		fmt.Fprintln(tw)
	}
	if len(keys) > maxKeyRows {
		fmt.Fprintf(tw, "… %s more keys (-json lists them all)\n", group(len(keys)-maxKeyRows))
	}
	return tw.Flush()
}

// percent writes a share from 0 to 1 as a percentage, with a decimal below
// 10%.
func percent(x float64) string {
	if x < 0.1 {
		return fmt.Sprintf("%.1f%%", x*100)
	}
	return fmt.Sprintf("%.0f%%", x*100)
}

func writeDemo(w io.Writer, e *Experiment) error {
	fmt.Fprintf(w, "%s: %s\n", e.Name, e.Source)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "approach\tbytes/%s\tvs %s\ttime\t\n", e.Unit, e.Approaches[0].Name)
	for _, a := range e.Approaches {
		fmt.Fprintf(tw, "%s\t%.1f\t%.2f×\t%v\t\n", a.Name, a.BytesPer, a.Ratio, a.Time.Round(100*time.Microsecond))
	}
	return tw.Flush()
}

// writeJSON writes the report for machines.
func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// A bar is one approach in the chart.
type bar struct {
	label string
	bytes float64 // per record
	ratio float64 // to the first bar
}

// chart returns the title and bars of the chart: the first input's
// approaches, or the demonstration's.
func chart(r Report) (string, []bar) {
	for _, in := range r.Inputs {
		if len(in.Approaches) == 0 {
			continue
		}
		bars := make([]bar, len(in.Approaches))
		for i, a := range in.Approaches {
			bars[i] = bar{labelOf(a.Name), a.BytesPerRecord, a.VsMaps}
		}
		return fmt.Sprintf("%s: bytes per record (%s records)", filepath.Base(in.Path), group(in.Records)), bars
	}
	if e := r.Demo; e != nil {
		bars := make([]bar, len(e.Approaches))
		for i, a := range e.Approaches {
			bars[i] = bar{a.Name, a.BytesPer, a.Ratio}
		}
		return fmt.Sprintf("%s: bytes per %s (%s %ss)", e.Name, e.Unit, group(e.Objects), e.Unit), bars
	}
	return "no records", nil
}

// writeSVG draws one horizontal bar per approach, its length the bytes per
// record relative to the largest, labelled with them: a picture for a
// README or a bug report.
func writeSVG(w io.Writer, r Report) error {
	const (
		width, labelW, barW = 820, 280, 400
		rowH, headH, gap    = 22, 26, 14
	)
	title, bars := chart(r)
	height := gap + headH + rowH*len(bars) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="13">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="8" y="%d" font-weight="bold">%s</text>`+"\n", gap+16, html.EscapeString(title))
	y := gap + headH
	most := 0.0
	for _, a := range bars {
		most = max(most, a.bytes)
	}
	for i, a := range bars {
		length := 0.0
		if most > 0 {
			length = max(a.bytes, 0) / most * barW
		}
		color := "#4c78a8"
		if i == 0 {
			color = "#9d9d9d" // the baseline
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW-8, y+15, html.EscapeString(a.label))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", labelW, y+3, length, rowH-6, color)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.1f B (%.2f×)</text>`+"\n", float64(labelW)+length+6, y+15, a.bytes, a.ratio)
		y += rowH
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
