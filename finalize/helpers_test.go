package finalize_test

import (
	"context"
	"log"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// object is what the tests register cleanups on. It has pointer fields and is
// larger than 16 bytes, so it is never a tiny allocation, whose cleanup might
// not run (and which GODEBUG=checkfinalizers=1 reports).
type object struct {
	name string
	peer *object
	_    [2]int
}

// drain calls finalize.Drain with gctest's deadline and fails t if it does not
// return nil. It takes gctest.TB so that rapid's *T can use it too.
func drain(t gctest.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), gctest.Timeout)
	defer cancel()
	if err := finalize.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
}

// reports collects what the leak and panic hooks are told.
type reports struct {
	mu     sync.Mutex
	leaks  []finalize.Report
	panics []finalize.Report
}

// hooks drains what earlier tests left queued, installs hooks that record
// into the returned reports, and restores the previous hooks when t ends.
func hooks(t testing.TB) *reports {
	t.Helper()
	drain(t)
	r := new(reports)
	prevLeak := finalize.SetLeakHook(func(rep finalize.Report) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.leaks = append(r.leaks, rep)
	})
	prevPanic := finalize.SetPanicHook(func(rep finalize.Report) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.panics = append(r.panics, rep)
	})
	t.Cleanup(func() {
		finalize.SetLeakHook(prevLeak)
		finalize.SetPanicHook(prevPanic)
	})
	return r
}

func (r *reports) snapshot() (leaks, panics []finalize.Report) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.leaks), slices.Clone(r.panics)
}

// counter logs the calls of its add method, in order: the cleanup function
// most tests register. A *counter argument never reaches the object.
type counter struct {
	mu    sync.Mutex
	calls []string
}

func (c *counter) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, name)
}

func (c *counter) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.calls {
		if s == name {
			n++
		}
	}
	return n
}

// all returns the calls so far, oldest first.
func (c *counter) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// logged is a slog.Handler that keeps the records it is given, for the tests
// of the default reports. Records below min are not enabled.
type logged struct {
	min     slog.Level
	mu      sync.Mutex
	records []loggedRecord
}

// loggedRecord is a record that logged kept, its attributes by key.
type loggedRecord struct {
	level slog.Level
	msg   string
	attrs map[string]slog.Value
}

func (l *logged) Enabled(_ context.Context, level slog.Level) bool { return level >= l.min }

func (l *logged) Handle(_ context.Context, r slog.Record) error {
	rec := loggedRecord{level: r.Level, msg: r.Message, attrs: map[string]slog.Value{}}
	r.Attrs(func(a slog.Attr) bool {
		rec.attrs[a.Key] = a.Value.Resolve()
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, rec)
	return nil
}

func (l *logged) WithAttrs([]slog.Attr) slog.Handler { panic("not used by finalize") }
func (l *logged) WithGroup(string) slog.Handler      { panic("not used by finalize") }

func (l *logged) all() []loggedRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.records)
}

// only returns the one record logged, and fails t unless there is exactly
// one, at level, with a message of this package's.
func (l *logged) only(t *testing.T, level slog.Level) loggedRecord {
	t.Helper()
	recs := l.all()
	if len(recs) != 1 {
		t.Fatalf("logged %d records, want 1: %+v", len(recs), recs)
	}
	if rec := recs[0]; rec.level != level || !strings.HasPrefix(rec.msg, "finalize: ") {
		t.Errorf("logged %v %q, want a %v with a finalize: message", rec.level, rec.msg, level)
	}
	return recs[0]
}

// captureSlog makes a logged handler for records at min and above the
// default slog handler until t ends. slog.SetDefault also redirects the log
// package's output, which the cleanup restores too.
func captureSlog(t *testing.T, min slog.Level) *logged {
	l := &logged{min: min}
	prev, out, flags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(slog.New(l))
	t.Cleanup(func() {
		slog.SetDefault(prev)
		log.SetOutput(out)
		log.SetFlags(flags)
	})
	return l
}
