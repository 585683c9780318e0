package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressDrawsAtMostTenTimesASecond: updates every millisecond for
// two seconds of a fake clock draw the line at most ten times a second,
// none in the first interval, and end erases it.
func TestProgressDrawsAtMostTenTimesASecond(t *testing.T) {
	var out bytes.Buffer
	now := time.Unix(0, 0)
	p := &progress{w: &out, interval: progressInterval, now: func() time.Time { return now }}
	p.start("reading big.json")
	draws := map[int]int{} // per second of the clock
	for ms := range 2000 {
		now = time.Unix(0, 0).Add(time.Duration(ms) * time.Millisecond)
		before := strings.Count(out.String(), "\r")
		p.reading(ms*10, int64(ms)*1000)
		if ms%100 == 50 {
			p.step("measuring maps")
		}
		if strings.Count(out.String(), "\r") > before {
			if ms < int(progressInterval/time.Millisecond) {
				t.Fatalf("drawn at %dms, before the step lasted an interval", ms)
			}
			draws[ms/1000]++
		}
	}
	for s, n := range draws {
		if n > 10 {
			t.Errorf("%d drawings in second %d", n, s)
		}
	}
	if draws[1] < 5 {
		t.Errorf("%d drawings in a second of updates; the line does not move", draws[1])
	}
	if !strings.Contains(out.String(), "memreport: reading big.json: 19,000 records, 1.9 MB, 1.0 MB/s") {
		t.Errorf("no line with the records, bytes and rate: %q", out.String()[max(0, out.Len()-200):])
	}
	p.end()
	if !strings.HasSuffix(out.String(), "\r\x1b[K") {
		t.Errorf("end does not erase the line")
	}
}

// TestProgressOnlyOnTerminal: a progress made for a writer that is not a
// terminal draws nothing.
func TestProgressOnlyOnTerminal(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out)
	p.now = func() time.Time { return time.Now().Add(time.Hour) }
	p.reading(1, 1)
	p.step("measuring")
	p.end()
	if out.Len() != 0 {
		t.Errorf("drew %q on a buffer", out.String())
	}
}
