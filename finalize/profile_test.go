package finalize_test

import (
	"bytes"
	"net/http/httptest"
	httppprof "net/http/pprof"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

// registerPending registers a pending handle on obj, from a function the
// profile's stacks must name.
func registerPending(obj *object, c *counter) *finalize.Handle {
	return finalize.Register(obj, c.add, "pending")
}

// ownDropped owns a resource and drops it: the GC releases it.
func ownDropped() {
	finalize.Own(&conn{}, func(*conn) error { return nil })
}

// TestPendingProfileCountsPendingTracedHandles checks that the profile is
// listed once tracing is on, that its count follows the traced handles that
// are pending (Stats.Pending moves with it) however they end, and that its
// stacks start at Register, then its caller.
func TestPendingProfileCountsPendingTracedHandles(t *testing.T) {
	hooks(t)
	defer finalize.SetTracing(finalize.SetTracing(true))
	p := pprof.Lookup(finalize.PendingProfile)
	if p == nil || !slices.ContainsFunc(pprof.Profiles(), func(q *pprof.Profile) bool { return q.Name() == finalize.PendingProfile }) {
		t.Fatalf("with tracing on, the profile %s is not listed", finalize.PendingProfile)
	}
	baseCount, basePending := p.Count(), finalize.ReadStats().Pending
	expect := func(when string, n int) {
		t.Helper()
		if got := p.Count() - baseCount; got != n {
			t.Errorf("%s: the profile counts %d handles, want %d", when, got, n)
		}
		if got := finalize.ReadStats().Pending - basePending; got != uint64(n) {
			t.Errorf("%s: Stats.Pending is %d more, want %d", when, got, n)
		}
	}
	var c counter
	obj := &object{}
	hs := make([]*finalize.Handle, 10)
	for i := range hs {
		hs[i] = registerPending(obj, &c)
	}
	o := finalize.Own(&conn{}, func(*conn) error { return nil })
	ownDropped()
	ownDropped()
	expect("after 13 registrations", 13)

	var buf bytes.Buffer
	if err := p.WriteTo(&buf, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\n10 @ ") || !startsAt(buf.String(), "finalize.Register[...]+", "finalize_test.registerPending+") {
		t.Errorf("the profile does not show 10 handles registered by registerPending:\n%s", buf.String())
	}

	// net/http/pprof lists it and serves it as the other profiles.
	for url, want := range map[string]string{
		"/debug/pprof/": finalize.PendingProfile,
		"/debug/pprof/" + finalize.PendingProfile + "?debug=1": "finalize_test.registerPending+",
	} {
		rec := httptest.NewRecorder()
		httppprof.Index(rec, httptest.NewRequest("GET", url, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: %d, the body lacks %q:\n%s", url, rec.Code, want, rec.Body.String())
		}
	}

	for _, h := range hs[:4] {
		h.Run()
	}
	for _, h := range hs[4:7] {
		h.Cancel()
	}
	o.Close()
	drain(t)
	expect("after 4 runs, 3 cancellations, a Close and 2 leaks", 3)

	finalize.SetTracing(false)
	untraced := registerPending(obj, &c)
	if got := p.Count() - baseCount; got != 3 {
		t.Errorf("with tracing off, a registration changed the profile's count to %d more, want 3", got)
	}
	for _, h := range append(hs[7:], untraced) {
		h.Cancel()
	}
	expect("after cancelling the rest", 0)
	runtime.KeepAlive(obj)
}

// startsAt reports whether some stack of a debug=1 profile starts with the
// functions fns, innermost first.
func startsAt(profile string, fns ...string) bool {
	lines := strings.Split(profile, "\n")
stacks:
	for i, l := range lines {
		if !strings.Contains(l, " @ ") || i+len(fns) >= len(lines) {
			continue
		}
		for j, fn := range fns {
			if !strings.Contains(lines[i+1+j], fn) {
				continue stacks
			}
		}
		return true
	}
	return false
}
