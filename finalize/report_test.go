package finalize_test

import (
	"runtime"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

type panicker struct{}

func (panicker) boom(string) { panic(errBoom) }

// TestReportNamesTheCleanupFunction checks Report.Func for the three kinds of
// cleanup function: a top-level function, a method value and a function
// literal.
func TestReportNamesTheCleanupFunction(t *testing.T) {
	r := hooks(t)
	const pkg = "github.com/seed5da3ae9a/flyweight/finalize_test."
	cases := []struct {
		fn   func(string)
		want string
	}{
		{boom, pkg + "boom"},
		{panicker{}.boom, pkg + "panicker.boom-fm"},
		{func(string) { panic(errBoom) }, pkg + "TestReportNamesTheCleanupFunction.func1"},
	}
	obj := &object{}
	for _, tc := range cases {
		finalize.Register(obj, tc.fn, "x").Run()
	}
	runtime.KeepAlive(obj)
	leaks, panics := r.snapshot()
	if len(leaks) != 0 || len(panics) != len(cases) {
		t.Fatalf("got %d leak and %d panic reports, want 0 and %d", len(leaks), len(panics), len(cases))
	}
	for i, tc := range cases {
		if rep := panics[i]; rep.Func != tc.want || rep.Collected || rep.Registered != "" || rep.Panic != errBoom || len(rep.PanicStack) == 0 {
			t.Errorf("report %d: %+v, want Func %q, not Collected, no registration stack, Panic %v with its stack", i, rep, tc.want, errBoom)
		}
	}
}
