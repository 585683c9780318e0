package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress tells the user on stderr what memreport is doing, but only once
// a step has taken more than a second: quick runs print nothing.
type progress struct {
	w     io.Writer
	after time.Duration // how long a step runs before it is reported
	mu    sync.Mutex
	label string
	since time.Time
	done  chan struct{} // closed by stop
	ended chan struct{} // closed by loop when it returns
}

func newProgress(w io.Writer, after time.Duration) *progress {
	p := &progress{w: w, after: after, done: make(chan struct{}), ended: make(chan struct{})}
	go p.loop()
	return p
}

// step starts a new step.
func (p *progress) step(label string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.since = label, time.Now()
}

func (p *progress) loop() {
	defer close(p.ended)
	t := time.NewTicker(p.after)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case now := <-t.C:
			p.mu.Lock()
			if p.label != "" && now.Sub(p.since) >= p.after {
				fmt.Fprintf(p.w, "memreport: %s (%ds)\n", p.label, int(now.Sub(p.since).Seconds()))
			}
			p.mu.Unlock()
		}
	}
}

// stop ends the progress reports: after it returns, nothing more is
// written to w.
func (p *progress) stop() {
	close(p.done)
	<-p.ended
}
