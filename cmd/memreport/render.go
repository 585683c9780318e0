package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// writeText prints the report as aligned tables, one per experiment, and a
// line for each input without records.
func writeText(w io.Writer, r Report) error {
	for _, name := range r.Empty {
		fmt.Fprintf(w, "no records in %s\n", name)
	}
	for _, s := range r.TooFew {
		fmt.Fprintf(w, "%s: %d %ss, too few to measure their memory\n", s.Path, s.Objects, s.Unit)
	}
	for i, e := range r.Experiments {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s: %d %ss from %s\n", e.Name, e.Objects, e.Unit, e.Source)
		for _, f := range e.Facts {
			fmt.Fprintf(w, "  %s: %d\n", f.Name, f.Value)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\tapproach\tbytes/%s\tvs %s\ttime\t\n", e.Unit, e.Approaches[0].Name)
		for _, a := range e.Approaches {
			fmt.Fprintf(tw, "\t%s\t%.1f\t%.2f×\t%v\t\n", a.Name, a.BytesPer, a.Ratio, a.Time.Round(time.Microsecond*100))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(e.Schemas) > 0 {
			fmt.Fprintf(w, "  most common key sets:\n")
			for _, s := range e.Schemas {
				fmt.Fprintf(w, "  %8d records  {%s}\n", s.Records, strings.Join(s.Keys, ", "))
			}
		}
	}
	return nil
}

// writeJSON writes the report for machines.
func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeSVG draws one horizontal bar per approach, its length the bytes per
// object relative to the experiment's largest, grouped by experiment: a
// picture for a README or a bug report.
func writeSVG(w io.Writer, r Report) error {
	const (
		width, labelW, barW = 760, 220, 420
		rowH, headH, gap    = 22, 26, 14
	)
	height := gap
	for _, e := range r.Experiments {
		height += headH + rowH*len(e.Approaches) + gap
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="13">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	y := gap
	for _, e := range r.Experiments {
		fmt.Fprintf(&b, `<text x="8" y="%d" font-weight="bold">%s: bytes per %s (%d %ss)</text>`+"\n",
			y+16, html.EscapeString(e.Name), e.Unit, e.Objects, e.Unit)
		y += headH
		most := 0.0
		for _, a := range e.Approaches {
			most = max(most, a.BytesPer)
		}
		for i, a := range e.Approaches {
			length := 0.0
			if most > 0 {
				length = max(a.BytesPer, 0) / most * barW
			}
			color := "#4c78a8"
			if i == 0 {
				color = "#9d9d9d" // the baseline
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW-8, y+15, html.EscapeString(a.Name))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", labelW, y+3, length, rowH-6, color)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.1f B (%.2f×)</text>`+"\n", float64(labelW)+length+6, y+15, a.BytesPer, a.Ratio)
			y += rowH
		}
		y += gap
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
