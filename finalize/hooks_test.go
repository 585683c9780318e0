package finalize_test

import (
	"bytes"
	"errors"
	"log"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

var errBoom = errors.New("boom")

func boom(string) { panic(errBoom) }

func TestPanicInRunIsRecoveredAndReported(t *testing.T) {
	r := hooks(t)
	obj := &object{}
	h := finalize.Register(obj, boom, "x")
	if !h.Run() {
		t.Fatal("Run of a panicking fn returned false")
	}
	if h.Pending() || h.Run() {
		t.Error("a handle whose fn panicked can run again")
	}
	leaks, panics := r.snapshot()
	if len(leaks) != 0 || len(panics) != 1 {
		t.Fatalf("got %d leak and %d panic reports, want 0 and 1", len(leaks), len(panics))
	}
	p := panics[0]
	if p.Panic != errBoom || p.Collected || p.Func != "github.com/seed5da3ae9a/flyweight/finalize_test.boom" {
		t.Errorf("panic report %+v", p)
	}
	// The stack is the panicking goroutine's, at the panic.
	if !bytes.Contains(p.PanicStack, []byte("finalize_test.boom(")) {
		t.Errorf("panic stack does not show the panicking function:\n%s", p.PanicStack)
	}
	runtime.KeepAlive(obj)
}

func TestPanicInGCRunIsRecoveredAndReported(t *testing.T) {
	r := hooks(t)
	finalize.Register(&object{}, boom, "x")
	drain(t)
	leaks, panics := r.snapshot()
	if len(leaks) != 1 || len(panics) != 1 {
		t.Fatalf("got %d leak and %d panic reports, want 1 and 1", len(leaks), len(panics))
	}
	for _, rep := range []finalize.Report{leaks[0], panics[0]} {
		if rep.Panic != errBoom || !rep.Collected {
			t.Errorf("report %+v, want Collected with Panic %v", rep, errBoom)
		}
	}
}

// captureLog redirects the standard logger to a buffer until t ends.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	out, flags := log.Writer(), log.Flags()
	log.SetOutput(&buf)
	log.SetFlags(0)
	t.Cleanup(func() {
		log.SetOutput(out)
		log.SetFlags(flags)
	})
	return &buf
}

func TestDefaultPanicHookLogs(t *testing.T) {
	hooks(t)
	finalize.SetPanicHook(nil)
	buf := captureLog(t)
	obj := &object{}
	finalize.Register(obj, boom, "x").Run()
	got := buf.String()
	if !strings.HasPrefix(got, "finalize: cleanup github.com/seed5da3ae9a/flyweight/finalize_test.boom panicked, recovered: boom\n") ||
		!strings.Contains(got, "finalize_test.boom(") {
		t.Errorf("default panic hook logged:\n%s", got)
	}
	runtime.KeepAlive(obj)
}

func TestPanickingHooksAreRecovered(t *testing.T) {
	hooks(t)
	buf := captureLog(t)
	finalize.SetPanicHook(func(finalize.Report) { panic("panic hook") })
	finalize.SetLeakHook(func(finalize.Report) { panic("leak hook") })
	finalize.Register(&object{}, boom, "x")
	drain(t)
	got := buf.String()
	for _, want := range []string{
		"finalize: hook for cleanup github.com/seed5da3ae9a/flyweight/finalize_test.boom panicked, recovered: leak hook\n",
		"finalize: hook for cleanup github.com/seed5da3ae9a/flyweight/finalize_test.boom panicked, recovered: panic hook\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
}

func TestSetHooksReturnPrevious(t *testing.T) {
	hooks(t)
	var calls []string
	a := func(finalize.Report) { calls = append(calls, "a") }
	b := func(finalize.Report) { calls = append(calls, "b") }
	for name, set := range map[string]func(func(finalize.Report)) func(finalize.Report){
		"SetLeakHook": finalize.SetLeakHook, "SetPanicHook": finalize.SetPanicHook,
	} {
		calls = nil
		set(a)
		set(b)(finalize.Report{})
		set(nil)(finalize.Report{})
		if prev := set(nil); prev != nil {
			t.Errorf("%s(nil) twice: second returned a hook", name)
		}
		if strings.Join(calls, "") != "ab" {
			t.Errorf("%s returned hooks %v, want a then b", name, calls)
		}
	}
}
