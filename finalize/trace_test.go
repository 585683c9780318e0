package finalize_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// openTraced registers a handle that leaks, from a function the registration
// stack must name first.
func openTraced(c *counter) {
	finalize.Register(&object{}, c.add, "traced")
}

func ownTraced(c *counter) {
	finalize.Own(&object{}, func(*object) error { c.add("owned"); return nil })
}

func TestTracingNamesTheRegistration(t *testing.T) {
	r := hooks(t)
	defer finalize.SetTracing(finalize.SetTracing(true))
	var c counter
	openTraced(&c)
	ownTraced(&c)
	drain(t)
	leaks, _ := r.snapshot()
	if len(leaks) != 2 {
		t.Fatalf("got %d leak reports, want 2", len(leaks))
	}
	for _, rep := range leaks {
		want := "finalize_test.openTraced\n"
		if strings.HasSuffix(rep.Func, ".ownTraced.func1") {
			want = "finalize_test.ownTraced\n"
		}
		first, _, _ := strings.Cut(rep.Registered, "\t")
		if !strings.HasSuffix(first, want) || !strings.Contains(rep.Registered, "trace_test.go:") {
			t.Errorf("cleanup %s: registration stack does not start at %q:\n%s", rep.Func, want, rep.Registered)
		}
	}
}

// TestTracingOffCostsNothing checks that with tracing off, Register
// allocates at most one object more than runtime.AddCleanup (the handle with
// its arg), so that it captures no stack.
func TestTracingOffCostsNothing(t *testing.T) {
	gctest.SkipIfRace(t)
	hooks(t)
	fn := func(*object) {}
	arg := &object{}
	const runs = 100
	objs := make([]*object, 0, runs+1)
	hs := make([]*finalize.Handle, 0, runs+1)
	measure := func(register func(*object)) float64 {
		n := testing.AllocsPerRun(runs, func() {
			obj := &object{}
			objs = append(objs, obj)
			register(obj)
		})
		for _, h := range hs {
			h.Cancel()
		}
		objs, hs = objs[:0], hs[:0]
		return n
	}
	raw := measure(func(obj *object) { runtime.AddCleanup(obj, fn, arg).Stop() })
	off := measure(func(obj *object) { hs = append(hs, finalize.Register(obj, fn, arg)) })
	if off > raw+1 {
		t.Errorf("with tracing off, Register makes %v allocations, runtime.AddCleanup %v; want at most one more", off, raw)
	}
}

// nested calls register at depth frames of recursion below itself.
func nested(depth int, register func()) {
	if depth == 0 {
		register()
		return
	}
	nested(depth-1, register)
}

// TestTracingKeepsInnermostFrames checks that a registration stack deeper
// than SetTracing documents is cut to its innermost 32 frames, starting at
// the caller of Register.
func TestTracingKeepsInnermostFrames(t *testing.T) {
	r := hooks(t)
	defer finalize.SetTracing(finalize.SetTracing(true))
	var c counter
	nested(100, func() { finalize.Register(&object{}, c.add, "deep") })
	drain(t)
	leaks, _ := r.snapshot()
	if len(leaks) != 1 {
		t.Fatalf("got %d leak reports, want 1", len(leaks))
	}
	frames := strings.Split(strings.TrimSuffix(leaks[0].Registered, "\n"), "\n")
	if len(frames) != 2*32 {
		t.Fatalf("registration stack of %d lines, want 32 frames of 2 lines:\n%s", len(frames), leaks[0].Registered)
	}
	if !strings.HasSuffix(frames[0], "TestTracingKeepsInnermostFrames.func1") {
		t.Errorf("registration stack starts at %q, want the function that called Register", frames[0])
	}
	for i := 2; i < len(frames); i += 2 {
		if !strings.HasSuffix(frames[i], "finalize_test.nested") {
			t.Errorf("frame %d of the registration stack is %q, want finalize_test.nested", i/2, frames[i])
		}
	}
}
