package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress keeps one line on stderr up to date while memreport works on a
// large input: the records and bytes read and the rate, then the approach
// being measured. It draws only on a terminal, never before a step has
// lasted one interval, and at most once per interval; end erases the line.
type progress struct {
	w        io.Writer // nil: draw nothing
	interval time.Duration
	now      func() time.Time
	label    string
	began    time.Time
	last     time.Time // of the last drawing
	drawn    bool
}

// progressInterval is the least time between two drawings: ten a second
// at most.
const progressInterval = 100 * time.Millisecond

// newProgress returns a progress that draws on w if w is a terminal.
func newProgress(w io.Writer) *progress {
	if !terminal(w) {
		w = nil
	}
	return &progress{w: w, interval: progressInterval, now: time.Now}
}

// terminal reports whether w is a terminal (a character device).
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// start begins a step.
func (p *progress) start(label string) {
	p.label, p.began = label, p.now()
}

// reading shows how much of the input has been read.
func (p *progress) reading(records int, n int64) {
	if p.w == nil {
		return
	}
	now := p.now()
	if !p.due(now) {
		return
	}
	rate := float64(n) / max(now.Sub(p.began).Seconds(), 1e-9) / 1e6
	p.draw(now, fmt.Sprintf("%s: %s records, %.1f MB, %.1f MB/s", p.label, group(records), float64(n)/1e6, rate))
}

// step shows the step that starts, such as the approach being measured.
func (p *progress) step(label string) {
	if p.w == nil {
		return
	}
	if now := p.now(); p.due(now) {
		p.draw(now, label)
	}
}

// due reports whether a drawing at now is allowed.
func (p *progress) due(now time.Time) bool {
	return now.Sub(p.began) >= p.interval && now.Sub(p.last) >= p.interval
}

func (p *progress) draw(now time.Time, line string) {
	fmt.Fprintf(p.w, "\r\x1b[Kmemreport: %s", line)
	p.last, p.drawn = now, true
}

// end erases the line, if one was drawn.
func (p *progress) end() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
